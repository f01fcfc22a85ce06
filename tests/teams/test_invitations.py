"""Inviting a colleague: a link that works once, expires, and stores only its hash."""

import email
import email.policy
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.audit import SYSTEM
from events.models import Membership
from notifications import services as outbox
from notifications.models import Message
from teams import selectors, services
from teams.models import TeamInvitation, hash_secret
from tests.factories import MembershipFactory, UserFactory

Reason = services.InvitationRefused.Reason


def test_the_token_is_long_random_and_stored_only_as_its_hash(invite):
    invitation, token = invite()

    assert len(token) >= 43  # 256 bits in URL-safe base64
    assert invitation.token_hash == hash_secret(token)
    assert token not in invitation.token_hash
    assert selectors.invitation_for_token(token) == invitation


def test_a_wrong_token_opens_nothing(invite):
    _invitation, token = invite()

    assert selectors.invitation_for_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert selectors.invitation_for_token("") is None


def test_accepting_adds_the_account_with_the_invited_role(invite, organization):
    invitation, _token = invite(role=Membership.Role.CHECK_IN)
    colleague = UserFactory()

    membership = services.accept_invitation(invitation=invitation, user=colleague)

    assert (membership.organization, membership.role) == (organization, "check_in")
    invitation.refresh_from_db()
    assert invitation.accepted_by == colleague


def test_an_invitation_works_once(invite):
    invitation, _token = invite()
    services.accept_invitation(invitation=invitation, user=UserFactory())
    second = UserFactory()

    with pytest.raises(services.InvitationRefused) as refusal:
        services.accept_invitation(invitation=invitation, user=second)

    assert refusal.value.reason == Reason.USED
    assert not Membership.objects.filter(user=second).exists()


def test_an_invitation_expires(invite, settings):
    settings.PLENARY_TEAM_INVITATION_DAYS = 7
    invitation, _token = invite()
    colleague = UserFactory()

    with (
        time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)),
        pytest.raises(services.InvitationRefused) as refusal,
    ):
        services.accept_invitation(invitation=invitation, user=colleague)

    assert refusal.value.reason == Reason.EXPIRED
    assert not Membership.objects.filter(user=colleague).exists()


def test_a_member_cannot_use_an_invitation_and_leaves_it_unused(invite, manager):
    invitation, _token = invite()

    with pytest.raises(services.InvitationRefused) as refusal:
        services.accept_invitation(invitation=invitation, user=manager)

    assert refusal.value.reason == Reason.ALREADY_MEMBER
    assert Membership.objects.get(user=manager).role == Membership.Role.MANAGER
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_inviting_someone_already_on_the_team_is_refused(invite, manager):
    with pytest.raises(ValidationError) as refusal:
        invite(email=manager.email.upper())

    assert "on the team already" in refusal.value.message_dict["email"][0]
    assert not TeamInvitation.objects.exists()


def test_inviting_an_address_again_withdraws_its_earlier_link(invite):
    first, _token = invite()
    second, _token = invite()

    first.refresh_from_db()
    assert first.status() == TeamInvitation.Status.REVOKED
    assert second.status() == TeamInvitation.Status.PENDING
    with pytest.raises(services.InvitationRefused) as refusal:
        services.accept_invitation(invitation=first, user=UserFactory())
    assert refusal.value.reason == Reason.REVOKED


def test_a_new_account_joins_with_the_invited_address_as_its_user_name(invite, organization):
    invitation, _token = invite(email="Nora@IPInst.org")

    membership = services.accept_invitation_with_new_account(
        invitation=invitation,
        first_name="Nora",
        last_name="Colleague",
        password="a long passphrase",
    )

    user = membership.user
    assert (user.username, user.email, user.get_full_name()) == (
        "nora@ipinst.org",
        "nora@ipinst.org",
        "Nora Colleague",
    )
    assert user.check_password("a long passphrase")
    assert membership.organization == organization


def test_a_new_account_needs_a_good_password_and_creates_nothing_otherwise(invite):
    invitation, _token = invite()

    with pytest.raises(ValidationError) as refusal:
        services.accept_invitation_with_new_account(
            invitation=invitation, first_name="Nora", last_name="C", password="123"
        )

    assert "password" in refusal.value.message_dict
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_invitation_email_carries_the_one_time_link(invite, settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    from django.core import mail

    _invitation, token = invite()
    outbox.send_messages(list(Message.objects.values_list("pk", flat=True)))

    sent = mail.outbox[0]
    mime = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    parts = {part.get_content_type(): part for part in mime.walk() if not part.is_multipart()}
    text, html = parts["text/plain"].get_content(), parts["text/html"].get_content()
    assert mime["Subject"] == "Join International Peace Institute on Plenary"
    assert mime["To"] == "colleague@ipinst.org"
    assert f"/teams/join/{token}/" in text and f"/teams/join/{token}/" in html
    assert "as manager" in text
    assert "works once" in text


# --- Members -----------------------------------------------------------------------------------


def test_the_last_owner_can_neither_step_down_nor_leave(owner):
    membership = Membership.objects.get(user=owner)

    with pytest.raises(services.LastOwner):
        services.change_role(actor=SYSTEM, membership=membership, role=Membership.Role.MANAGER)
    with pytest.raises(services.LastOwner):
        services.remove_member(actor=SYSTEM, membership=membership)

    membership.refresh_from_db()
    assert membership.role == Membership.Role.OWNER


def test_an_owner_steps_down_once_there_is_another(owner, organization):
    MembershipFactory(organization=organization, role=Membership.Role.OWNER)
    membership = Membership.objects.get(user=owner)

    services.change_role(actor=SYSTEM, membership=membership, role=Membership.Role.VIEWER)

    membership.refresh_from_db()
    assert membership.role == Membership.Role.VIEWER


def test_creating_a_team_makes_the_creator_its_owner(user):
    team = services.create_team(
        actor=SYSTEM, user=user, name="Wilton Park", kind="other", country="GB"
    )

    assert team.is_team
    assert team.memberships.get().user == user
    assert team.memberships.get().role == Membership.Role.OWNER
