"""One message of an event's outbox: as it was sent, its delivery events, and sending it again.

Members of the event's team may read it; owners and managers may send it again, after a
confirmation (GET shows it and changes nothing). A message of another team's event is a 404.
The HTML is served on its own URL under a Content-Security-Policy that runs no script and loads
nothing from the network, and the page frames it in a sandbox.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_safe

from events.audit import Actor

from . import resending, selectors
from .models import Message
from .workspace_views import _event_for

# The email's HTML: its own inline styles and images in data: URLs, nothing else.
EMAIL_FRAME_POLICY = (
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "frame-ancestors 'self'"
)


def _message_for(request, slug, message_id, permission):
    event = _event_for(request, slug, permission)
    message = get_object_or_404(Message.objects.select_related("event"), pk=message_id, event=event)
    return event, message


@login_required
@require_safe
def message_detail(request, slug, message_id):
    event, message = _message_for(request, slug, message_id, "events.view_private_details")
    return render(
        request,
        "notifications/workspace/message_detail.html",
        {
            "event": event,
            "message": message,
            "as_sent": selectors.message_as_sent(message),
            "delivery_events": message.delivery_events.order_by("occurred_at", "received_at"),
            "resends": resending.resends_of(message),
            "original": _original(message),
            "may_change": request.user.has_perm("events.change_event", event),
        },
    )


def _original(message):
    """The message this one is a copy of, if it was sent again from the outbox."""
    if not message.dedupe_key.startswith("resend:"):
        return None
    original_id = message.dedupe_key.split(":")[1]
    return Message.objects.filter(pk=original_id, event=message.event_id).first()


@login_required
@require_safe
@never_cache
@xframe_options_sameorigin
def message_html(request, slug, message_id):
    """The HTML part alone, for the sandboxed frame on the message page."""
    _event, message = _message_for(request, slug, message_id, "events.view_private_details")
    as_sent = selectors.message_as_sent(message)
    response = HttpResponse(as_sent.html or "", content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = EMAIL_FRAME_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def message_resend(request, slug, message_id):
    """GET asks to confirm (and changes nothing); the POST button sends the message again."""
    event, message = _message_for(request, slug, message_id, "events.change_event")
    if request.method == "POST":
        try:
            sent = resending.resend(
                actor=Actor.for_request(request),
                message=message,
                nonce=request.POST.get("nonce", ""),
            )
        except resending.MessageNotResendable as refusal:
            messages.error(request, str(refusal))
            return redirect("outbox:message", slug=event.slug, message_id=message.pk)
        if sent.pk == message.pk:
            messages.success(
                request,
                _("The message to %(email)s is queued again.") % {"email": message.to_email},
            )
        else:
            messages.success(
                request,
                _("A copy of the message is queued for %(email)s.") % {"email": message.to_email},
            )
        return redirect("outbox:message", slug=event.slug, message_id=sent.pk)
    return render(
        request,
        "notifications/workspace/message_resend.html",
        {"event": event, "message": message, "nonce": secrets.token_hex(16)},
    )
