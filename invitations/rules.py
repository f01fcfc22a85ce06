"""Who may read and change a team's contacts, lists and imports: every member reads, owners and
managers change. Always asked of the team (an Organization), never of a contact."""

import rules

from events.rules import is_manager, is_member

rules.add_perm("invitations.view_contacts", is_member)
rules.add_perm("invitations.change_contacts", is_manager)
