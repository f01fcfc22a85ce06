"""What the email texts page previews each registration message with: the event's latest
registrant in the status the message is sent in, or a sample delegate when it has none.

Nothing here writes. A real registrant is copied in memory with a dummy manage secret, so the
preview shows their name and details but no link that opens their registration.
"""

import copy

from django.utils import timezone

from notifications.registry import PreviewSubject

from . import tickets
from .models import AttendanceMode, Registration

Status = Registration.Status

# The status a registrant is in when a message of each kind is sent.
STATUS_OF_KIND = {
    "registration_pending": Status.PENDING,
    "registration_confirmed": Status.CONFIRMED,
    "registration_waitlisted": Status.WAITLISTED,
    "registration_promoted": Status.CONFIRMED,
    "registration_declined": Status.DECLINED,
    "registration_cancelled": Status.CANCELLED,
    "registration_link": Status.CONFIRMED,
    "event_updated": Status.CONFIRMED,
    "event_cancelled": Status.CONFIRMED,
    "reminder": Status.CONFIRMED,
    "followup_attended": Status.CONFIRMED,
    "followup_absent": Status.CONFIRMED,
    "followup_update": Status.CONFIRMED,
}
PREVIEW_SECRET = "preview"  # noqa: S105 - a manage link with it opens nothing


def sample_registration(event, status) -> Registration:
    """A made-up delegate of the event, never saved."""
    return Registration(
        event=event,
        email="kristina.zetterlund@example.org",
        honorific="H.E. Ms.",
        first_name="Kristina",
        last_name="Zetterlund",
        position="Counsellor",
        organization_name="Permanent Mission of Sweden",
        country="SE",
        attendance_mode=AttendanceMode.IN_PERSON if event.is_in_person else AttendanceMode.VIRTUAL,
        status=status,
        language=event.language,
        consent_at=timezone.now(),
        manage_secret=PREVIEW_SECRET,
        ticket_code=tickets.new_ticket_code(),
    )


def _latest_registrant(event, status):
    """The latest registration in this status, in-person first (its message shows a ticket);
    else the latest of any status."""
    registrations = Registration.objects.filter(event=event).select_related("event")
    return (
        registrations.filter(status=status)
        .order_by("attendance_mode" if event.is_in_person else "-attendance_mode", "-created_at")
        .first()
        or registrations.order_by("-created_at").first()
    )


def preview_subject_for(kind, context=lambda event: {}):
    """The preview hook of one kind of registration message (see MessageKind.preview);
    `context` gives what a real message of the kind stores beside its registration."""
    status = STATUS_OF_KIND[kind]

    def preview(event) -> PreviewSubject:
        registration = _latest_registrant(event, status)
        sample = registration is None
        if sample:
            registration = sample_registration(event, status)
        else:
            registration = copy.copy(registration)
            registration.manage_secret = PREVIEW_SECRET
            registration.status = status
        return PreviewSubject(
            to_email=registration.email,
            to_name=f"{registration.first_name} {registration.last_name}".strip(),
            related=registration,
            context=context(event),
            sample=sample,
        )

    return preview
