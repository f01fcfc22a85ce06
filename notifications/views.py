"""Public pages of the outbox: unsubscribe, and the guard in front of anymail's webhooks."""

import logging

from anymail.urls import urlpatterns as anymail_urlpatterns
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404, render
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from events.audit import Actor
from events.throttling import UnsubscribeThrottle, throttle

from . import services
from .models import Message, Suppression

logger = logging.getLogger(__name__)


def _message_for_token(message_id, token):
    message = get_object_or_404(Message.objects.select_related("event"), pk=message_id)
    if not constant_time_compare(token, message.unsubscribe_token):
        raise Http404
    return message


# Mail providers POST here without a CSRF token (RFC 8058 one-click); the token in the URL is
# what authorizes the request, and it opens only this one message's address.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@throttle(UnsubscribeThrottle, methods=("GET", "HEAD", "POST"))
def unsubscribe(request, message_id, token):
    """A GET only shows the question: link scanners open every link in an email."""
    message = _message_for_token(message_id, token)
    done = False
    if request.method == "POST":
        services.suppress(
            actor=Actor.attendee(message.to_name or message.to_email),
            email=message.to_email,
            reason=Suppression.Reason.UNSUBSCRIBED,
            message=message,
        )
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {"message": message, "done": done, "already": not done and _is_suppressed(message)},
    )


def _is_suppressed(message):
    return Suppression.objects.filter(email=message.to_email).exists()


def configured_tracking_esp() -> str:
    """The ESP whose delivery webhook is routed: EMAIL_TRACKING_ESP, else the anymail backend's
    ESP in EMAIL_BACKEND (anymail.backends.<esp>.EmailBackend), else none."""
    if settings.EMAIL_TRACKING_ESP:
        return settings.EMAIL_TRACKING_ESP
    module = settings.EMAIL_BACKEND.rpartition(".")[0]
    if module.startswith("anymail.backends."):
        return module.removeprefix("anymail.backends.")
    return ""


# anymail's tracking views by ESP, from its own URL names ("postmark_tracking_webhook").
TRACKING_VIEWS = {
    pattern.name.removesuffix("_tracking_webhook"): pattern.callback
    for pattern in anymail_urlpatterns
    if pattern.name.endswith("_tracking_webhook")
}


# What an ESP's payload parser raises on a body of the wrong shape (anymail indexes into the
# JSON it expects); anymail's own validation failures are SuspiciousOperation, already a 400.
UNREADABLE_PAYLOAD = (ValueError, KeyError, IndexError, TypeError, AttributeError)


@csrf_exempt
def tracking_webhook(request, esp):
    """anymail's /anymail/<esp>/tracking/ for the configured ESP only; other ESPs' are not found
    (an unconfigured ESP's view would fail on its missing settings). anymail accepts
    unauthenticated webhooks when no secret is set; Plenary refuses them. A body the ESP's
    parser cannot read is a 400, and whatever it had recorded is rolled back."""
    view = TRACKING_VIEWS.get(esp)
    if view is None or esp != configured_tracking_esp():
        raise Http404
    if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
        return HttpResponseForbidden("Delivery webhooks need ANYMAIL_WEBHOOK_SECRET.")
    try:
        with transaction.atomic():
            return view(request)
    except ImproperlyConfigured:
        logger.exception("The %s delivery webhook is not configured.", esp)
        raise Http404 from None
    except UNREADABLE_PAYLOAD:
        logger.warning("Unreadable %s delivery webhook payload.", esp, exc_info=True)
        return HttpResponseBadRequest("The webhook payload could not be read.")
