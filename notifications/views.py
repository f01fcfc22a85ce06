"""Public pages of the outbox: unsubscribe, and the guard in front of anymail's webhooks."""

from functools import wraps

from django.conf import settings
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import get_object_or_404, render
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import services
from .models import Message, Suppression


def _message_for_token(message_id, token):
    message = get_object_or_404(Message.objects.select_related("event"), pk=message_id)
    if not constant_time_compare(token, message.unsubscribe_token):
        raise Http404
    return message


# Mail providers POST here without a CSRF token (RFC 8058 one-click); the token in the URL is
# what authorizes the request, and it opens only this one message's address.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, message_id, token):
    """A GET only shows the question: link scanners open every link in an email."""
    message = _message_for_token(message_id, token)
    done = False
    if request.method == "POST":
        services.suppress(
            email=message.to_email, reason=Suppression.Reason.UNSUBSCRIBED, message=message
        )
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {"message": message, "done": done, "already": not done and _is_suppressed(message)},
    )


def _is_suppressed(message):
    return Suppression.objects.filter(email=message.to_email).exists()


def require_webhook_secret(view):
    """anymail accepts unauthenticated webhooks when no secret is set; Plenary refuses them."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
            return HttpResponseForbidden("Delivery webhooks need ANYMAIL_WEBHOOK_SECRET.")
        return view(request, *args, **kwargs)

    return guarded
