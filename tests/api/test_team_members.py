from events.models import Membership
from notifications.models import Message
from teams.models import TeamInvitation
from tests.factories import MembershipFactory, OrganizationFactory, TeamFactory


def _url(team, member=None):
    url = f"/api/v1/organizations/{team.pk}/members/"
    return f"{url}{member.pk}/" if member else url


def test_every_member_sees_who_is_on_the_team(client_for, viewer, owner, organization):
    response = client_for(viewer).get(_url(organization))

    assert response.status_code == 200
    rows = {row["email"]: row["role"] for row in response.json()["results"]}
    assert rows == {viewer.email: "viewer", owner.email: "owner"}


def test_another_team_and_a_directory_entry_have_no_members_to_read(client_for, outsider):
    team = TeamFactory()
    entry = OrganizationFactory(name="Permanent Mission of Ghana")

    assert client_for(outsider).get(_url(team)).status_code == 404
    assert client_for(outsider).get(_url(entry)).status_code == 404


def test_owner_invites_by_email_and_the_link_goes_out_through_the_outbox(
    client_for, owner, organization
):
    response = client_for(owner).post(
        _url(organization), {"email": "Colleague@IPInst.org", "role": "manager"}, "json"
    )

    assert response.status_code == 201
    assert response.json()["email"] == "colleague@ipinst.org"
    assert response.json()["status"] == "pending"
    message = Message.objects.get(kind="team_invitation")
    assert message.to_email == "colleague@ipinst.org"
    assert "token" not in response.json() and "link" not in response.json()
    assert TeamInvitation.objects.get().role == Membership.Role.MANAGER


def test_a_manager_may_not_invite(manager_client, organization):
    response = manager_client.post(
        _url(organization), {"email": "someone@example.org", "role": "owner"}, "json"
    )

    assert response.status_code == 403
    assert not TeamInvitation.objects.exists()


def test_inviting_a_member_again_is_a_field_error(client_for, owner, manager, organization):
    response = client_for(owner).post(
        _url(organization), {"email": manager.email, "role": "viewer"}, "json"
    )

    assert response.status_code == 400
    assert "email" in response.json()


def test_owner_changes_a_role(client_for, owner, organization):
    member = MembershipFactory(organization=organization, role=Membership.Role.VIEWER)

    response = client_for(owner).patch(_url(organization, member), {"role": "check_in"}, "json")

    assert response.status_code == 200
    assert response.json()["role"] == "check_in"
    member.refresh_from_db()
    assert member.role == Membership.Role.CHECK_IN


def test_the_last_owner_cannot_step_down_or_be_removed(client_for, owner, organization):
    membership = Membership.objects.get(user=owner)
    client = client_for(owner)

    demoted = client.patch(_url(organization, membership), {"role": "manager"}, "json")
    removed = client.delete(_url(organization, membership))

    assert demoted.status_code == 409
    assert removed.status_code == 409
    assert "needs an owner" in removed.json()["detail"]
    membership.refresh_from_db()
    assert membership.role == Membership.Role.OWNER


def test_owner_removes_a_member(client_for, owner, manager, organization):
    membership = Membership.objects.get(user=manager)

    response = client_for(owner).delete(_url(organization, membership))

    assert response.status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_viewer_may_not_change_roles(client_for, viewer, owner, organization):
    membership = Membership.objects.get(user=owner)

    response = client_for(viewer).patch(_url(organization, membership), {"role": "viewer"}, "json")

    assert response.status_code == 403


def test_owner_lists_and_withdraws_pending_invitations(client_for, owner, organization):
    client = client_for(owner)
    client.post(_url(organization), {"email": "a@example.org", "role": "viewer"}, "json")
    url = f"/api/v1/organizations/{organization.pk}/invitations/"

    listed = client.get(url).json()["results"]
    withdrawn = client.delete(f"{url}{listed[0]['id']}/")

    assert [row["email"] for row in listed] == ["a@example.org"]
    assert withdrawn.status_code == 204
    assert client.get(url).json()["results"] == []
    assert TeamInvitation.objects.get().revoked_at is not None
