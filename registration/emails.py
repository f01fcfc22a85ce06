"""The messages registrants receive, registered with the outbox, and when each is queued."""

import io

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events.ics import event_calendar
from notifications import registry
from notifications.services import enqueue

from .models import AttendanceMode, Registration
from .previews import preview_subject_for


def manage_url(registration) -> str:
    return settings.SITE_URL + reverse("registration:manage", args=[registration.manage_token])


# The confirmation's HTML shows the ticket's QR code from this inline part ("cid:…").
TICKET_QR_CONTENT_ID = "ticket-qr@plenary"


def ticket_qr_png(registration) -> bytes:
    buffer = io.BytesIO()
    segno.make(registration.ticket_code, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def _context(message):
    registration = message.related_object
    online = registration.attendance_mode == AttendanceMode.VIRTUAL
    confirmed = registration.status == Registration.Status.CONFIRMED
    return {
        "registration": registration,
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "honorific": registration.honorific,
        "manage_url": manage_url(registration),
        # The join link goes only to confirmed online attendees.
        "join_url": registration.event.online_join_url if online and confirmed else "",
        "in_person": not online,
        "ticket_qr_cid": TICKET_QR_CONTENT_ID,
    }


def _confirmation_attachments(message):
    registration = message.related_object
    online = registration.attendance_mode == AttendanceMode.VIRTUAL
    attachments = [
        registry.Attachment(
            f"{registration.event.slug}.ics",
            event_calendar(
                registration.event, join_url=registration.event.online_join_url if online else ""
            ),
            "text/calendar; method=PUBLISH",
        )
    ]
    if not online:
        qr = ticket_qr_png(registration)
        if message.kind in WITH_TICKET_IN_BODY:
            # Shown in the body, and attached too, for clients that hold back images in bodies.
            attachments.append(
                registry.Attachment(
                    "ticket-qr.png", qr, "image/png", content_id=TICKET_QR_CONTENT_ID
                )
            )
        attachments.append(registry.Attachment("ticket.png", qr, "image/png"))
    return attachments


KINDS = {
    "registration_pending": _("We received your registration: {event_title}"),
    "registration_confirmed": _("Confirmed: {event_title}"),
    "registration_waitlisted": _("You are on the waitlist: {event_title}"),
    "registration_promoted": _("A place is yours: {event_title}"),
    "registration_declined": _("Your registration: {event_title}"),
    "registration_cancelled": _("Registration cancelled: {event_title}"),
    "registration_link": _("Your registration link: {event_title}"),
    "event_updated": _("Updated: {event_title}"),
    "event_cancelled": _("Cancelled: {event_title}"),
}
# The messages whose body shows the ticket (templates/registration/emails/_ticket.html).
WITH_TICKET_IN_BODY = {"registration_confirmed", "registration_promoted"}
# A new calendar entry replaces the old one (same UID, higher SEQUENCE).
WITH_CALENDAR = {
    "registration_confirmed",
    "registration_promoted",
    "event_updated",
    "event_cancelled",
}

for name, subject in KINDS.items():
    registry.register(
        registry.MessageKind(
            name=name,
            transactional=True,  # each answers something the registrant did
            subject=subject,
            template=f"registration/emails/{name.removeprefix('registration_')}",
            context=_context,
            attachments=_confirmation_attachments
            if name in WITH_CALENDAR
            else (lambda message: []),
            preview=preview_subject_for(name),
            # The manage link's secret opens the registration: organizers see it masked.
            private_values=lambda message: [message.related_object.manage_secret],
        )
    )


def message_item(registration, kind, *, key="", event=None) -> dict:
    """What enqueue() takes to send `kind` to the registrant, once per registration and key."""
    return {
        "kind": kind,
        "dedupe_key": f"{kind}:registration:{registration.pk}{':' + key if key else ''}",
        "event": event or registration.event,
        "related": registration,
        "to_email": registration.email,
        "to_name": f"{registration.first_name} {registration.last_name}".strip(),
        "language": registration.language,
    }


def notify(registration, kind, *, key=""):
    """Queue `kind` to the registrant in the current transaction; once per registration and key."""
    return enqueue(**message_item(registration, kind, key=key))
