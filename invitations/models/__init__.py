"""The invitations domain: a team's contacts and lists, and the invitations it sends them."""

from .contacts import Contact, ContactList, ContactTag
from .imports import ContactImport, ContactImportError
from .invitation import Invitation, InvitationQuerySet, new_invitation_secret
from .reminders import ReminderSchedule

__all__ = [
    "Contact",
    "ContactImport",
    "ContactImportError",
    "ContactList",
    "ContactTag",
    "Invitation",
    "InvitationQuerySet",
    "ReminderSchedule",
    "new_invitation_secret",
]
