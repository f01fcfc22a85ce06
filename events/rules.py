"""Who may do what with an organization's events, by their role in its team."""

import rules

from .models import Event, Membership, Organization

MANAGING_ROLES = {Membership.Role.OWNER, Membership.Role.MANAGER}
CHECK_IN_ROLES = MANAGING_ROLES | {Membership.Role.CHECK_IN}


def _organization_of(obj):
    if isinstance(obj, Organization):
        return obj
    if isinstance(obj, Event):
        return obj.organization
    return obj.event.organization


def role_in(user, obj):
    """The user's role in the team that owns obj, or None."""
    if obj is None or not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, organization_id=_organization_of(obj).pk)
        .values_list("role", flat=True)
        .first()
    )


@rules.predicate
def is_member(user, obj):
    return role_in(user, obj) is not None


@rules.predicate
def is_manager(user, obj):
    return role_in(user, obj) in MANAGING_ROLES


@rules.predicate
def is_owner(user, obj):
    return role_in(user, obj) == Membership.Role.OWNER


@rules.predicate
def can_check_in(user, obj):
    return role_in(user, obj) in CHECK_IN_ROLES


rules.add_perm("events.view_event", is_member)
rules.add_perm("events.change_event", is_manager)
rules.add_perm("events.check_in", can_check_in)
rules.add_perm("events.export_registrants", is_manager)
rules.add_perm("events.add_event", is_manager)


@rules.predicate
def is_directory_entry(user, obj):
    return isinstance(obj, Organization) and not obj.is_team


rules.add_perm("events.view_organization", is_member | is_directory_entry)
# A team's owners name their team; the directory is kept by platform staff.
rules.add_perm("events.change_organization", is_owner | (rules.is_staff & is_directory_entry))
