"""Team management logs each change once: who created the team, invited, joined, changed a role,
removed a member, created or revoked an API token."""

import pytest

from events.audit import Actor
from events.models import LogEntry, Membership
from teams import services
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def actions():
    return list(LogEntry.objects.order_by("id").values_list("action", flat=True))


def test_creating_a_team_logs_it_with_its_owner():
    staff = UserFactory(username="staff")

    team = services.create_team(actor=Actor.user(staff), user=staff, name="Security Council Report")

    (entry,) = LogEntry.objects.all()
    assert (entry.action, entry.team_id, entry.actor_name) == ("team.created", team.pk, "staff")
    assert entry.data == {"name": "Security Council Report", "owner": "staff"}


def test_an_invitation_logs_the_invite_and_the_join_as_the_colleague_who_joins(
    organization, owner, invite
):
    invitation, _token = invite()
    colleague = UserFactory(username="colleague", email="colleague@ipinst.org")

    services.accept_invitation(invitation=invitation, user=colleague)

    invited, joined = LogEntry.objects.order_by("id")
    assert (invited.action, invited.team_id, invited.data) == (
        "member.invited",
        organization.pk,
        {"email": "colleague@ipinst.org", "role": "manager"},
    )
    assert (joined.action, joined.actor_kind, joined.actor_name, joined.actor_user) == (
        "member.joined",
        "user",
        "colleague",
        colleague,
    )


def test_revoking_a_pending_invitation_logs_once(invite, owner):
    invitation, _token = invite()

    services.revoke_invitation(actor=Actor.user(owner), invitation=invitation)
    services.revoke_invitation(actor=Actor.user(owner), invitation=invitation)

    assert actions() == ["member.invited", "team_invitation.revoked"]


def test_changing_a_role_logs_from_and_to_and_the_same_role_logs_nothing(organization, owner):
    member = MembershipFactory(organization=organization, role=Membership.Role.VIEWER)
    actor = Actor.user(owner)

    services.change_role(actor=actor, membership=member, role=Membership.Role.VIEWER)
    services.change_role(actor=actor, membership=member, role=Membership.Role.MANAGER)

    (entry,) = LogEntry.objects.all()
    assert (entry.action, entry.team_id) == ("member.role_changed", organization.pk)
    assert entry.data["role"] == {"from": "viewer", "to": "manager"}


def test_removing_a_member_logs_who_was_removed(organization, owner):
    member = MembershipFactory(organization=organization, role=Membership.Role.VIEWER)

    services.remove_member(actor=Actor.user(owner), membership=member)

    (entry,) = LogEntry.objects.all()
    assert (entry.action, entry.object_id) == ("member.removed", str(member.pk))
    assert entry.data == {"user": member.user.get_username(), "role": "viewer"}


def test_api_tokens_log_creation_and_revocation_without_their_key(manager):
    actor = Actor.user(manager)

    token, key = services.create_api_token(actor=actor, user=manager, name="CRM sync")
    services.revoke_api_token(actor=actor, token=token)

    created, revoked = LogEntry.objects.order_by("id")
    assert (created.action, revoked.action) == ("api_token.created", "api_token.revoked")
    assert created.data == {"name": "CRM sync", "prefix": token.prefix}
    assert key not in str(created.data)
