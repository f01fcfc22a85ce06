"""Staff create an invitation in the admin and copy its link."""

import pytest
from django.urls import reverse

from invitations.models import Invitation
from tests.factories import EventFactory, InvitationFactory, SessionFactory, UserFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="staff", is_staff=True, is_superuser=True))
    return client


def _add(admin_client, event, **fields):
    data = {
        "event": event.pk,
        "email": " Kofi@Ghana-Mission.example ",
        "first_name": "Kofi",
        "last_name": "Mensah",
        "seats": 1,
    }
    return admin_client.post(
        reverse("admin:invitations_invitation_add"), data | fields, follow=True
    )


def test_created_invitation_shows_its_link(admin_client, private_event, settings):
    response = _add(admin_client, private_event)

    invitation = Invitation.objects.get()
    assert invitation.email == "kofi@ghana-mission.example"
    assert invitation.status == Invitation.Status.DRAFT
    change = admin_client.get(reverse("admin:invitations_invitation_change", args=[invitation.pk]))
    assert response.status_code == 200
    assert f"{settings.SITE_URL}/invitations/{invitation.token}/" in change.text


def test_draft_invitation_link_registers(admin_client, private_event, client):
    _add(admin_client, private_event)
    invitation = Invitation.objects.get()

    assert client.get(invitation.get_absolute_url()).status_code == 200


def test_invitation_cannot_open_another_events_session(admin_client, private_event, organization):
    elsewhere = SessionFactory(event=EventFactory(organization=organization), invitation_only=True)

    response = _add(admin_client, private_event, sessions=[elsewhere.pk])

    assert "Choose sessions of the invitation" in response.text
    assert not Invitation.objects.exists()


def test_revoke_action_closes_the_link(admin_client, invitation):
    admin_client.post(
        reverse("admin:invitations_invitation_changelist"),
        {"action": "revoke", "_selected_action": [invitation.pk]},
    )

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED


def test_changelist_loads(admin_client, invitation):
    InvitationFactory(event=invitation.event, mission=True)

    response = admin_client.get(reverse("admin:invitations_invitation_changelist"), {"q": "a"})

    assert response.status_code == 200
