import pytest

from events.audit import SYSTEM
from events.models import Membership
from notifications.models import Message
from teams import services
from tests.factories import MembershipFactory


@pytest.fixture
def owner(organization):
    return MembershipFactory(organization=organization, role=Membership.Role.OWNER).user


@pytest.fixture
def invite(organization, owner):
    """Invite an address to the team; returns the invitation and the token its email carries."""

    def _invite(email="colleague@ipinst.org", role=Membership.Role.MANAGER):
        invitation = services.invite_member(
            actor=SYSTEM, team=organization, email=email, role=role, invited_by=owner
        )
        join_url = Message.objects.get(dedupe_key=f"team_invitation:{invitation.pk}").context[
            "join_url"
        ]
        return invitation, join_url.rstrip("/").rsplit("/", 1)[-1]

    return _invite
