"""The invitations' state changes, one module per process, one transaction per change:

- answering.py: the invitee registers through the link or declines;
- guest_list.py: the organizer invites, corrects and revokes;
- sending.py: invitations and reminders go out through the outbox.
"""

from .answering import (
    TOKEN_MAX_LENGTH,
    can_decline,
    decline,
    invitation_for_token,
    invitee_actor,
    register_by_invitation,
    withdrawn_reason,
)
from .guest_list import (
    Invitee,
    InviteesInvalid,
    InviteResult,
    invite,
    revoke,
    seat_limit_error,
    update_invitation,
)
from .sending import (
    remind,
    resend,
    schedule_reminder,
    send_chunks,
    send_invitations,
    send_reminder_chunks,
    send_scheduled_reminders,
)

__all__ = [
    "TOKEN_MAX_LENGTH",
    "InviteResult",
    "Invitee",
    "InviteesInvalid",
    "can_decline",
    "decline",
    "invitation_for_token",
    "invite",
    "invitee_actor",
    "register_by_invitation",
    "remind",
    "resend",
    "revoke",
    "schedule_reminder",
    "seat_limit_error",
    "send_chunks",
    "send_invitations",
    "send_reminder_chunks",
    "send_scheduled_reminders",
    "update_invitation",
    "withdrawn_reason",
]
