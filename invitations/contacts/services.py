"""Changes to a team's address book: contacts, their tags, and contact lists.

Each function takes keyword arguments, validates with full_clean() and runs in one transaction.
An email address is one contact per team, compared without regard to case: a second contact
with the same address is refused with an error on the `email` field.
"""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from events.audit import Actor, changes, log_action, snapshot

from ..models import Contact, ContactList, ContactTag

CONTACT_FIELDS = (
    "email",
    "honorific",
    "first_name",
    "last_name",
    "position",
    "organization_name",
    "country",
    "language",
)
TAG_SEPARATORS = re.compile(r"[;,]")


def normalized_email(email) -> str:
    return (email or "").strip().lower()


def split_tags(text) -> list[str]:
    """'focal point; G77, donor' -> ['focal point', 'G77', 'donor'], without repeats."""
    names = [" ".join(part.split()) for part in TAG_SEPARATORS.split(text or "")]
    return _unique_names(name for name in names if name)


def _unique_names(names) -> list[str]:
    seen, unique = set(), []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            unique.append(name)
    return unique


def _email_taken_error(existing: Contact) -> ValidationError:
    return ValidationError(
        {
            "email": _(
                "%(email)s is already in your team's contacts (%(name)s). Edit that contact "
                "instead."
            )
            % {"email": existing.email, "name": existing.full_name or existing.email}
        },
        code="unique",
    )


def _check_email_free(contact: Contact):
    others = Contact.objects.filter(team_id=contact.team_id, email=contact.email)
    if contact.pk:
        others = others.exclude(pk=contact.pk)
    if existing := others.first():
        raise _email_taken_error(existing)


def _save(contact: Contact):
    contact.email = normalized_email(contact.email)
    _check_email_free(contact)
    contact.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():  # a savepoint: the race's loser keeps its transaction
            contact.save()
    except IntegrityError:
        # Someone saved the same address between the check and the save.
        raise _email_taken_error(
            Contact.objects.get(team_id=contact.team_id, email=contact.email)
        ) from None


def tags_named(*, team, names) -> list[ContactTag]:
    """The team's tags with these names (matched without regard to case), created as needed."""
    names = _unique_names(" ".join(name.split()) for name in names if name and name.strip())
    existing = {tag.name.casefold(): tag for tag in ContactTag.objects.filter(team=team)}
    tags = []
    for name in names:
        tag = existing.get(name.casefold())
        if tag is None:
            tag = ContactTag(team=team, name=name)
            tag.full_clean(exclude=["team"], validate_constraints=False)
            tag, _created = ContactTag.objects.get_or_create(team=team, name=name)
            existing[name.casefold()] = tag
        tags.append(tag)
    return tags


def _state(contact: Contact, fields, *, tags=False, lists=False) -> dict:
    """The contact's fields, tag names and list names now, to log what an update changed."""
    state = snapshot(contact, fields)
    if tags:
        state["tags"] = sorted(contact.tags.values_list("name", flat=True))
    if lists:
        state["lists"] = sorted(contact.lists.values_list("name", flat=True))
    return state


def _diff(before: dict, after: dict) -> dict:
    return {
        name: {"from": before[name], "to": after[name]}
        for name in before
        if before[name] != after[name]
    }


def _check_same_team(team, objects, field):
    if any(obj.team_id != team.pk for obj in objects):
        raise ValidationError({field: _("Choose among your team's own contacts and lists.")})


@transaction.atomic
def contact_create(*, actor: Actor, team, email, tags=None, lists=None, **fields) -> Contact:
    """Add someone to the team's contacts, with tag names and the lists they belong to."""
    contact = Contact(team=team, email=email, **_known(fields))
    _save(contact)
    if tags:
        contact.tags.set(tags_named(team=team, names=tags))
    if lists:
        _check_same_team(team, lists, "lists")
        contact.lists.set(lists)
    log_action(
        actor=actor,
        action="contact.created",
        obj=contact,
        data=_state(contact, ["email", "first_name", "last_name", "organization_name"]),
    )
    return contact


@transaction.atomic
def contact_update(*, actor: Actor, contact: Contact, tags=None, lists=None, **fields) -> Contact:
    """Change a contact's details; `tags` and `lists`, when given, replace the old ones.
    Logs the fields that changed, and nothing when none did."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    watched = {"fields": list(_known(fields)), "tags": tags is not None, "lists": lists is not None}
    before = _state(contact, **watched)
    for name, value in _known(fields).items():
        setattr(contact, name, value)
    _save(contact)
    if tags is not None:
        contact.tags.set(tags_named(team=contact.team, names=tags))
    if lists is not None:
        _check_same_team(contact.team, lists, "lists")
        contact.lists.set(lists)
    if diff := _diff(before, _state(contact, **watched)):
        log_action(actor=actor, action="contact.updated", obj=contact, data=diff)
    return contact


@transaction.atomic
def contact_delete(*, actor: Actor, contact: Contact) -> None:
    """Remove the contact from the team's address book and from every list. Invitations already
    made for them keep their own copy of the name and address."""
    # The address as stored, whatever the caller's copy says.
    email = Contact.objects.filter(pk=contact.pk).values_list("email", flat=True).first()
    if Contact.objects.filter(pk=contact.pk).delete()[0]:
        log_action(actor=actor, action="contact.deleted", obj=contact, data={"email": email})


def _known(fields):
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown contact fields: {', '.join(sorted(unknown))}")
    return fields


# --- Lists -------------------------------------------------------------------------------------


def _name_taken_error(name):
    return ValidationError(
        {"name": _("Your team already has a list named “%(name)s”.") % {"name": name}},
        code="unique",
    )


def _save_list(contact_list: ContactList):
    contact_list.name = " ".join((contact_list.name or "").split())
    contact_list.full_clean(validate_constraints=False)
    others = ContactList.objects.filter(
        team_id=contact_list.team_id, name__iexact=contact_list.name
    )
    if contact_list.pk:
        others = others.exclude(pk=contact_list.pk)
    if others.exists():
        raise _name_taken_error(contact_list.name)
    try:
        with transaction.atomic():
            contact_list.save()
    except IntegrityError:
        raise _name_taken_error(contact_list.name) from None


@transaction.atomic
def list_create(*, actor: Actor, team, name, description="", contacts=None) -> ContactList:
    contact_list = ContactList(team=team, name=name, description=description)
    _save_list(contact_list)
    if contacts:
        _check_same_team(team, contacts, "contacts")
        contact_list.contacts.set(contacts)
    log_action(
        actor=actor,
        action="contact_list.created",
        obj=contact_list,
        data={"name": contact_list.name, "contacts": len(contacts or [])},
    )
    return contact_list


@transaction.atomic
def list_update(*, actor: Actor, contact_list: ContactList, contacts=None, **fields) -> ContactList:
    """Rename or describe the list; `contacts`, when given, become its members."""
    contact_list = ContactList.objects.select_for_update().get(pk=contact_list.pk)
    before = snapshot(contact_list, [name for name in ("name", "description") if name in fields])
    members_before = set(contact_list.contacts.values_list("pk", flat=True))
    for name in ("name", "description"):
        if name in fields:
            setattr(contact_list, name, fields.pop(name))
    if fields:
        raise TypeError(f"Unknown list fields: {', '.join(sorted(fields))}")
    _save_list(contact_list)
    if contacts is not None:
        _check_same_team(contact_list.team, contacts, "contacts")
        contact_list.contacts.set(contacts)
    diff = changes(before, contact_list)
    if contacts is not None:
        members = {contact.pk for contact in contacts}
        if added := len(members - members_before):
            diff["contacts_added"] = added
        if removed := len(members_before - members):
            diff["contacts_removed"] = removed
    if diff:
        log_action(actor=actor, action="contact_list.updated", obj=contact_list, data=diff)
    return contact_list


@transaction.atomic
def list_delete(*, actor: Actor, contact_list: ContactList) -> None:
    """Delete the list; its contacts stay in the address book."""
    name = ContactList.objects.filter(pk=contact_list.pk).values_list("name", flat=True).first()
    if ContactList.objects.filter(pk=contact_list.pk).delete()[0]:
        log_action(
            actor=actor, action="contact_list.deleted", obj=contact_list, data={"name": name}
        )


@transaction.atomic
def list_add_contacts(*, actor: Actor, contact_list: ContactList, contacts) -> int:
    """Add contacts to the list; returns how many were not members yet."""
    contacts = list(contacts)
    _check_same_team(contact_list.team, contacts, "contacts")
    members = set(
        contact_list.contacts.filter(pk__in=[c.pk for c in contacts]).values_list("pk", flat=True)
    )
    new = [contact for contact in contacts if contact.pk not in members]
    Membership = ContactList.contacts.through
    Membership.objects.bulk_create(
        [Membership(contactlist_id=contact_list.pk, contact_id=c.pk) for c in new],
        ignore_conflicts=True,
    )
    if new:
        log_action(
            actor=actor,
            action="contact_list.contacts_added",
            obj=contact_list,
            data={"count": len(new)},
        )
    return len(new)


@transaction.atomic
def list_remove_contacts(*, actor: Actor, contact_list: ContactList, contacts) -> int:
    """Take contacts off the list (they stay in the address book); returns how many left it."""
    removed, _by_model = ContactList.contacts.through.objects.filter(
        contactlist_id=contact_list.pk, contact_id__in=[c.pk for c in contacts]
    ).delete()
    if removed:
        log_action(
            actor=actor,
            action="contact_list.contacts_removed",
            obj=contact_list,
            data={"count": removed},
        )
    return removed
