"""Who may read and change a team's contacts, lists and imports: every member but check-in
staff reads (the door needs no address book), owners and managers change. Always asked of the
team (an Organization), never of a contact."""

import rules

from events.rules import is_manager, may_see_private_details

rules.add_perm("invitations.view_contacts", may_see_private_details)
rules.add_perm("invitations.change_contacts", is_manager)
