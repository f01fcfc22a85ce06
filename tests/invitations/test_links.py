"""The links an invitation email carries: opening them (as a mail scanner does) changes nothing;
expired and revoked links say so, give the organizers' address and write nothing."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from events.audit import SYSTEM
from invitations import services
from invitations.models import Invitation
from notifications import services as outbox
from notifications.models import Message, Suppression
from registration.models import Registration
from tests.factories import InvitationFactory

from .test_sending import _as_received

LINK = re.compile(r"https?://[^\s\"'<>]+")


def _path(url):
    return urlsplit(url).path


def _snapshot():
    """Everything a link could change."""
    return (
        list(Invitation.objects.order_by("pk").values_list(
            "status", "decline_reason", "responded_at", "delivery", "times_sent"
        )),
        Registration.objects.count(),
        Suppression.objects.count(),
        list(Message.objects.order_by("pk").values_list("status", "delivery_status")),
    )  # fmt: skip


@pytest.mark.parametrize("kind", ["invitation", "invitation_reminder"])
def test_a_get_on_every_link_in_the_email_changes_nothing(client, mail_backend, conference, kind):
    invitation = InvitationFactory(event=conference, status="draft")
    services.send_invitations(actor=SYSTEM, event=conference, ids=[invitation.pk])
    if kind == "invitation_reminder":
        services.remind(actor=SYSTEM, event=conference)
    outbox.send_messages(list(Message.objects.filter(kind=kind).values_list("pk", flat=True)))
    [sent] = mail_backend
    _subject, text, html = _as_received(sent)
    header = sent.extra_headers["List-Unsubscribe"].strip("<>")
    links = {link.rstrip(".,") for link in LINK.findall(text + html)} | {header}
    assert invitation.link in links and invitation.decline_link in links
    before = _snapshot()

    for link in links:
        response = client.get(_path(link))
        assert response.status_code < 500, link

    assert _snapshot() == before


@pytest.fixture
def expired(conference):
    invitation = InvitationFactory(event=conference)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=5)
    )
    invitation.refresh_from_db()
    return invitation


@pytest.mark.parametrize("action", ["invitation", "decline"])
def test_an_expired_link_says_so_offers_the_contact_and_writes_nothing(client, expired, action):
    path = _path(expired.link if action == "invitation" else expired.decline_link)
    before = _snapshot()

    page = client.get(path)
    posted = client.post(
        path,
        {"first_name": "Kofi", "last_name": "Mensah", "email": expired.email, "consent": "on",
         "reason": "x"},
    )  # fmt: skip

    for response in (page, posted):
        assert response.status_code == 410
        assert "This invitation expired on" in response.text
        assert "mailto:events@ipinst.example" in response.text
    assert _snapshot() == before


def test_an_expired_token_registers_nobody_through_the_api(client, expired, conference):
    response = client.post(
        f"/api/v1/events/{conference.slug}/registrations/",
        {"email": expired.email, "first_name": "Kofi", "last_name": "Mensah", "consent": True,
         "invitation_token": expired.token},
        content_type="application/json",
    )  # fmt: skip

    assert response.status_code == 409
    assert "expired" in response.json()["detail"]
    assert "events@ipinst.example" in response.json()["detail"]
    assert not Registration.objects.exists()


@pytest.mark.parametrize("state", ["expired", "revoked"])
def test_the_public_api_answers_410_with_the_contact(client, conference, expired, state):
    invitation = expired
    if state == "revoked":
        invitation = InvitationFactory(event=conference, status="revoked")

    get = client.get(f"/api/v1/invitations/{invitation.token}/")
    decline = client.post(f"/api/v1/invitations/{invitation.token}/decline/")

    assert get.status_code == decline.status_code == 410
    assert get.json()["contact_email"] == "events@ipinst.example"
    invitation.refresh_from_db()
    assert invitation.status != Invitation.Status.DECLINED


def test_declining_with_a_reason_keeps_it_and_the_page_gives_the_contact(client, conference):
    invitation = InvitationFactory(event=conference)

    client.post(_path(invitation.decline_link), {"reason": "I will be in Geneva."})
    page = client.get(_path(invitation.link))

    invitation.refresh_from_db()
    assert (invitation.status, invitation.decline_reason) == ("declined", "I will be in Geneva.")
    assert "You have declined this invitation." in page.text
    assert "mailto:events@ipinst.example" in page.text


def test_without_its_own_contact_the_event_offers_the_sending_address(client, conference, settings):
    settings.DEFAULT_FROM_EMAIL = "IPI Events <events@ipi.example>"
    conference.contact_email = ""
    conference.save()
    invitation = InvitationFactory(event=conference, status="revoked")

    response = client.get(_path(invitation.link))

    assert "mailto:events@ipi.example" in response.text
