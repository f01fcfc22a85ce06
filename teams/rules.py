"""Who may create teams and manage their members."""

import rules
from django.conf import settings

from events.rules import is_member, is_owner


@rules.predicate
def may_open_a_team(user):
    """Platform staff, or anyone signed in when open team sign-up is on."""
    return user.is_authenticated and (user.is_staff or settings.PLENARY_OPEN_TEAM_SIGNUP)


rules.add_perm("teams.add_team", may_open_a_team)
rules.add_perm("teams.view_members", is_member)
rules.add_perm("teams.manage_members", is_owner)
