"""The invitations domain: a team's contacts and lists, and the invitations it sends them."""

from .contacts import Contact, ContactList, ContactTag
from .invitation import Invitation, new_invitation_secret

__all__ = ["Contact", "ContactList", "ContactTag", "Invitation", "new_invitation_secret"]
