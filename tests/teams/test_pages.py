"""The team pages and the invitation link, as members, owners and invitees use them."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from events.models import Membership, Organization
from notifications.models import Message
from teams.models import TeamInvitation
from tests.factories import MembershipFactory, TeamFactory, UserFactory


def _detail(team):
    return reverse("teams:detail", args=[team.pk])


@pytest.fixture
def as_owner(client, owner):
    client.force_login(owner)
    return client


def test_everyone_on_the_team_sees_who_is_on_it(client, organization, owner):
    viewer = MembershipFactory(organization=organization, role=Membership.Role.VIEWER).user
    client.force_login(viewer)

    page = client.get(_detail(organization)).content.decode()

    assert owner.email in page and viewer.email in page
    assert "Invite a colleague" not in page


def test_another_team_is_not_found(client, outsider, organization):
    client.force_login(outsider)

    assert client.get(_detail(organization)).status_code == 404
    assert client.get(reverse("teams:detail", args=[999999])).status_code == 404


def test_a_directory_entry_is_no_team_page(as_owner, db):
    entry = Organization.objects.create(name="Government of Japan")

    assert as_owner.get(_detail(entry)).status_code == 404


def test_an_owner_invites_a_colleague_by_email(as_owner, organization):
    response = as_owner.post(_detail(organization), {"email": "nora@ipinst.org", "role": "viewer"})

    assert response.status_code == 302
    invitation = TeamInvitation.objects.get()
    assert (invitation.email, invitation.role) == ("nora@ipinst.org", "viewer")
    assert Message.objects.get(kind="team_invitation").to_email == "nora@ipinst.org"
    assert "nora@ipinst.org" in as_owner.get(_detail(organization)).content.decode()


def test_a_manager_cannot_invite(client, manager, organization):
    client.force_login(manager)

    response = client.post(_detail(organization), {"email": "nora@ipinst.org", "role": "owner"})

    assert response.status_code == 403
    assert not TeamInvitation.objects.exists()


def test_a_bad_address_is_a_field_error(as_owner, organization):
    response = as_owner.post(_detail(organization), {"email": "nora@", "role": "viewer"})

    assert response.status_code == 200
    assert "Enter an email address like name@example.org." in response.content.decode()
    assert not TeamInvitation.objects.exists()


def test_an_owner_changes_a_role(as_owner, organization, manager):
    membership = Membership.objects.get(user=manager)
    url = reverse("teams:member_role", args=[organization.pk, membership.pk])

    response = as_owner.post(url, {f"m{membership.pk}-role": "check_in"})

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Membership.Role.CHECK_IN


def test_changing_a_role_is_never_a_get(as_owner, organization, manager):
    membership = Membership.objects.get(user=manager)
    url = reverse("teams:member_role", args=[organization.pk, membership.pk])

    assert as_owner.get(url, {f"m{membership.pk}-role": "viewer"}).status_code == 405


def test_the_only_owner_is_told_they_cannot_step_down(as_owner, organization, owner):
    membership = Membership.objects.get(user=owner)
    url = reverse("teams:member_role", args=[organization.pk, membership.pk])

    response = as_owner.post(url, {f"m{membership.pk}-role": "viewer"}, follow=True)

    assert "A team needs an owner" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Membership.Role.OWNER


def test_removing_a_member_asks_first_then_removes(as_owner, organization, manager):
    membership = Membership.objects.get(user=manager)
    url = reverse("teams:member_remove", args=[organization.pk, membership.pk])

    asked = as_owner.get(url)
    still_there = Membership.objects.filter(pk=membership.pk).exists()
    removed = as_owner.post(url)

    assert asked.status_code == 200 and "Yes, remove" in asked.content.decode()
    assert still_there
    assert removed.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_member_of_another_team_cannot_be_removed_through_mine(as_owner, organization):
    stranger = MembershipFactory(organization=TeamFactory())
    url = reverse("teams:member_remove", args=[organization.pk, stranger.pk])

    assert as_owner.post(url).status_code == 404
    assert Membership.objects.filter(pk=stranger.pk).exists()


def test_an_owner_withdraws_an_invitation(as_owner, organization, invite):
    invitation, token = invite()
    url = reverse("teams:invitation_revoke", args=[organization.pk, invitation.pk])

    as_owner.post(url)

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert "withdrawn" in as_owner.get(reverse("teams:join", args=[token])).content.decode()


# --- Creating teams ----------------------------------------------------------------------------


def test_check_in_staff_cannot_create_a_team(client, organization):
    check_in = MembershipFactory(organization=organization, role=Membership.Role.CHECK_IN).user
    client.force_login(check_in)

    listing = client.get(reverse("teams:list")).content.decode()
    refused = client.post(reverse("teams:create"), {"name": "My Forum", "kind": "other"})

    assert reverse("teams:create") not in listing
    assert refused.status_code == 403
    assert not Organization.objects.filter(name="My Forum").exists()


def test_platform_staff_create_a_team_they_own(client, db):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    response = client.post(reverse("teams:create"), {"name": "Wilton Park", "kind": "other"})

    team = Organization.objects.get(name="Wilton Park")
    assert response.status_code == 302
    assert team.is_team
    assert team.memberships.get().user == staff


def test_open_sign_up_lets_any_account_create_its_team(client, user, settings):
    settings.PLENARY_OPEN_TEAM_SIGNUP = True
    client.force_login(user)

    response = client.post(reverse("teams:create"), {"name": "Wilton Park", "kind": "other"})

    assert response.status_code == 302
    assert Organization.objects.get(name="Wilton Park").memberships.get().user == user


# --- The invitation link -----------------------------------------------------------------------


def _join(token):
    return reverse("teams:join", args=[token])


def test_a_wrong_token_is_not_found(client, invite):
    invite()

    assert client.get(_join("not-the-token")).status_code == 404


def test_opening_the_link_changes_nothing(client, invite):
    invitation, token = invite()
    client.force_login(UserFactory())

    response = client.get(_join(token))

    assert response.status_code == 200
    assert "Join the team" in response.content.decode()
    assert response["Referrer-Policy"] == "strict-origin"
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_newcomer_creates_an_account_and_joins(client, invite, organization):
    _invitation, token = invite(email="nora@ipinst.org")

    response = client.post(
        _join(token),
        {
            "first_name": "Nora",
            "last_name": "Colleague",
            "password": "a long passphrase",
            "password_again": "a long passphrase",
        },
    )

    assert response.status_code == 302
    membership = Membership.objects.get(user__username="nora@ipinst.org")
    assert (membership.organization, membership.role) == (organization, "manager")
    assert client.get(_detail(organization)).status_code == 200  # signed in


def test_an_existing_account_signs_in_to_join(client, invite, organization):
    colleague = UserFactory(email="nora@ipinst.org")
    _invitation, token = invite(email="nora@ipinst.org")

    page = client.get(_join(token)).content.decode()
    client.force_login(colleague)
    joined = client.post(_join(token))

    assert "Sign in to join" in page and "Create account" not in page
    assert joined.status_code == 302
    assert Membership.objects.get(user=colleague).organization == organization


def test_a_used_link_says_so(client, invite):
    _invitation, token = invite()
    client.force_login(UserFactory())
    client.post(_join(token))
    client.force_login(UserFactory())

    response = client.post(_join(token))

    assert "used already" in response.content.decode()
    assert Membership.objects.filter(role=Membership.Role.MANAGER).count() == 1


def test_an_expired_link_says_so(client, invite):
    _invitation, token = invite()
    newcomer = UserFactory()
    client.force_login(newcomer)

    with time_machine.travel(timezone.now() + timedelta(days=30)):
        response = client.post(_join(token))

    assert "expired" in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_member_opening_the_link_is_told_they_are_on_the_team(client, invite, manager):
    _invitation, token = invite()
    client.force_login(manager)

    response = client.get(_join(token))

    assert "on this team already" in response.content.decode()
