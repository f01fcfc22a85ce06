"""Registering, and every change a registration goes through. One transaction each.

A registration's status moves only through these functions: pending → confirmed | waitlisted |
declined, waitlisted → confirmed (promotion), confirmed | pending | waitlisted → cancelled.
Seats are taken and given back in the same transaction, and a freed seat goes to the first
person waiting in that mode before the transaction commits.
"""

from .links import manage_token_registration, remind_link
from .refusals import (
    REFUSED_FIELDS,
    DuplicateRegistration,
    RegistrationRefused,
    sends_link_again,
    waitlist_or_refuse,
)
from .registering import (
    TICKET_CODE_ATTEMPTS,
    InvitationGrant,
    allowed_modes,
    register,
    registration_is_open,
)
from .transitions import (
    WAITLIST,
    approve,
    cancel,
    decline,
    promote_waitlist,
    switch_mode,
    update_details,
)

__all__ = [
    "REFUSED_FIELDS",
    "TICKET_CODE_ATTEMPTS",
    "WAITLIST",
    "DuplicateRegistration",
    "InvitationGrant",
    "RegistrationRefused",
    "allowed_modes",
    "approve",
    "cancel",
    "decline",
    "manage_token_registration",
    "promote_waitlist",
    "register",
    "registration_is_open",
    "remind_link",
    "sends_link_again",
    "switch_mode",
    "update_details",
    "waitlist_or_refuse",
]
