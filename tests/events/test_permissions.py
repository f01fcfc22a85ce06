import pytest

from events.models import Membership
from tests.factories import MembershipFactory


@pytest.mark.parametrize(
    ("role", "can_view", "can_change", "can_check_in", "can_export"),
    [
        (Membership.Role.OWNER, True, True, True, True),
        (Membership.Role.MANAGER, True, True, True, True),
        (Membership.Role.CHECK_IN, True, False, True, False),
        (Membership.Role.VIEWER, True, False, False, False),
    ],
)
def test_roles_grant_what_their_names_say(
    event, role, can_view, can_change, can_check_in, can_export
):
    user = MembershipFactory(organization=event.organization, role=role).user

    assert user.has_perm("events.view_event", event) is can_view
    assert user.has_perm("events.change_event", event) is can_change
    assert user.has_perm("events.check_in", event) is can_check_in
    assert user.has_perm("events.export_registrants", event) is can_export


def test_another_organizations_user_has_no_permission_on_the_event(event, outsider):
    assert not outsider.has_perm("events.view_event", event)
    assert not outsider.has_perm("events.change_event", event)
