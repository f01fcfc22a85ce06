"""Sending invitations through the outbox: each email carries its own link and only its own,
in its HTML and text parts, whether it goes alone, merged locally or in an ESP batch."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from events.audit import SYSTEM
from events.services import TransitionNotAllowed
from invitations import services
from invitations.models import Contact, Invitation
from notifications import services as outbox
from notifications.models import Message, MessageTemplate, Suppression
from tests.factories import EventFactory, InvitationFactory

from .conftest import MAILGUN_FIELD

TOKEN = re.compile(r"/invitations/(\d+\.[A-Za-z0-9_-]+)/")


def _mime_parts(mime):
    """(subject, text, html) as the MIME message carries them."""
    parts = {}
    for part in mime.walk():
        if part.get_content_type() in ("text/plain", "text/html"):
            charset = part.get_content_charset() or "utf-8"
            parts[part.get_content_type()] = part.get_payload(decode=True).decode(charset)
    return str(mime["Subject"]), parts["text/plain"], parts["text/html"]


def _as_received(sent, address=None):
    """One recipient's (subject, text, html), from the real MIME of what was handed to the
    backend; for an ESP batch, with that recipient's merge data filled in as the ESP does."""
    subject, text, html = _mime_parts(sent.message())
    if address is None:
        return subject, text, html
    for key, value in sent.merge_data[address].items():
        field = MAILGUN_FIELD.replace("{}", key)
        subject, text, html = (part.replace(field, value) for part in (subject, text, html))
    return subject, text, html


def _invite(event, *people, **options):
    invitees = [services.Invitee(**person, **options) for person in people]
    return services.invite(actor=SYSTEM, event=event, invitees=invitees).created


def _send_all(event):
    queued = services.send_invitations(actor=SYSTEM, event=event, all_drafts=True)
    ids = list(Message.objects.filter(event=event).values_list("pk", flat=True))
    outbox.send_messages(ids)
    return queued


def _people(count):
    return [
        {
            "email": f"delegate{n}@mission{n}.example",
            "honorific": "H.E. Ms." if n % 2 else "Mr.",
            "first_name": f"Anna{n}",
            "last_name": f"Lindqvist{n}",
        }
        for n in range(count)
    ]


def test_sending_marks_drafts_sent_and_writes_one_outbox_row_each(mail_backend, conference):
    invitations = _invite(conference, *_people(3))

    queued = services.send_invitations(actor=SYSTEM, event=conference, all_drafts=True)

    assert queued == 3
    rows = Message.objects.filter(kind="invitation")
    assert sorted(rows.values_list("dedupe_key", flat=True)) == sorted(
        f"invitation:{i.pk}:1" for i in invitations
    )
    assert set(Invitation.objects.values_list("status", "times_sent")) == {("sent", 1)}


def test_sending_again_sends_nothing_more(mail_backend, conference):
    _invite(conference, *_people(2))
    services.send_invitations(actor=SYSTEM, event=conference, all_drafts=True)

    again = services.send_invitations(actor=SYSTEM, event=conference, all_drafts=True)

    assert again == 0
    assert Message.objects.filter(kind="invitation").count() == 2


def test_only_drafts_among_the_ids_are_sent(mail_backend, conference):
    draft, _other = _invite(conference, *_people(2))
    declined = InvitationFactory(event=conference, status="declined")

    queued = services.send_invitations(actor=SYSTEM, event=conference, ids=[draft.pk, declined.pk])

    assert queued == 1
    assert list(Message.objects.values_list("related_id", flat=True)) == [draft.pk]


def test_an_expired_draft_is_not_sent(mail_backend, conference):
    expired = InvitationFactory(
        event=conference, status="draft", expires_at=timezone.now() - timedelta(minutes=1)
    )

    assert services.send_invitations(actor=SYSTEM, event=conference, ids=[expired.pk]) == 0
    assert not Message.objects.exists()


def test_a_draft_event_sends_no_invitations(mail_backend, organization):
    event = EventFactory(organization=organization, draft=True)
    _invite(event, *_people(1))

    with pytest.raises(TransitionNotAllowed, match="Publish the event"):
        services.send_invitations(actor=SYSTEM, event=event, all_drafts=True)
    assert not Message.objects.exists()


def test_each_email_carries_its_own_link_and_only_its_own(mail_backend, conference):
    invitations = _invite(conference, *_people(4))

    _send_all(conference)

    assert len(mail_backend) == 4
    by_address = {invitation.email: invitation for invitation in invitations}
    for sent in mail_backend:
        [address] = [a.rpartition("<")[2].rstrip(">") for a in sent.to]
        mine = by_address[address]
        _subject, text, html = _as_received(sent)
        for part in (text, html):
            assert set(TOKEN.findall(part)) == {mine.token}
            assert mine.link in part
            assert mine.decline_link in part


def test_in_an_esp_batch_each_recipient_reads_their_own_link_only(esp_batches, conference):
    invitations = _invite(conference, *_people(5))

    _send_all(conference)

    [batch] = esp_batches  # one ESP call for all five
    assert batch.anymail_test_params["is_batch_send"]
    for invitation in invitations:
        subject, text, html = _as_received(batch, invitation.email)
        for part in (text, html):
            assert set(TOKEN.findall(part)) == {invitation.token}
            assert invitation.decline_link in part
        assert f"Dear {invitation.honorific} {invitation.last_name}," in text
        assert "%recipient." not in subject + text + html


def test_the_email_greets_with_honorific_and_gives_the_events_facts(mail_backend, conference):
    _invite(
        conference,
        {"email": "anna@gov.example", "honorific": "H.E. Ms.", "first_name": "Anna",
         "last_name": "Lindqvist"},
    )  # fmt: skip

    _send_all(conference)

    [sent] = mail_backend
    subject, text, html = _as_received(sent)
    assert subject == "Invitation: Peacekeeping in Africa: Fostering Partnership"
    local = conference.starts_at.astimezone(conference.tzinfo)
    for part in (text, html):
        assert "Dear H.E. Ms. Lindqvist," in part
        assert "IPI together with the Governments of Ethiopia and Japan" in part
        assert local.strftime("%H:%M") in part
        assert "New York time" in part
        assert "ECOSOC Chamber" in part
        assert "events@ipinst.example" in part
    assert sent.extra_headers["List-Unsubscribe"].startswith("<http")
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_organizers_intro_replaces_the_standard_opening(mail_backend, conference):
    MessageTemplate.objects.create(
        event=conference,
        kind="invitation",
        intro="The Permanent Missions of Ghana and Norway have the honour to invite {salutation}.",
    )
    _invite(conference, *_people(2))

    _send_all(conference)

    for sent in mail_backend:
        _subject, text, _html = _as_received(sent)
        assert "have the honour to invite Dear" in text
        assert "we have the pleasure of inviting you" not in text


def test_a_missions_invitation_speaks_of_its_delegation_and_goes_in_its_own_batch(
    esp_batches, conference
):
    _invite(conference, *_people(2))
    [_mission] = _invite(
        conference,
        {"email": "focal@sweden.example", "organization_name": "Permanent Mission of Sweden"},
        seats=2,
        transferable=True,
    )

    _send_all(conference)

    # The two personal invitations in one ESP call; the mission's alone (a batch of one).
    assert sorted(len(sent.to) for sent in esp_batches) == [1, 2]
    [sent] = [s for s in esp_batches if len(s.to) == 1]
    _subject, text, _html = _as_received(sent)
    assert "your delegation (up to 2 people)" in text
    assert "Permanent Mission of Sweden" in text
    assert "Dear colleague," in text


def test_a_contacts_preferred_language_is_the_invitations(mail_backend, conference):
    contact = Contact.objects.create(
        team=conference.organization, email="jean@gouv.example", last_name="Dupont", language="fr"
    )
    services.invite(
        actor=SYSTEM, event=conference, invitees=[services.Invitee.from_contact(contact)]
    )

    _send_all(conference)

    message = Message.objects.get(kind="invitation")
    assert message.language == "fr"
    [sent] = mail_backend
    assert '<html lang="fr"' in _as_received(sent)[2]


def test_a_suppressed_address_is_not_written_to(mail_backend, conference):
    Suppression.objects.create(email="gone@mission.example", reason="unsubscribed")
    _invite(conference, {"email": "gone@mission.example"})

    _send_all(conference)

    assert mail_backend == []
    assert Message.objects.get().status == Message.Status.SUPPRESSED


def test_resend_writes_a_new_message_with_the_same_link(mail_backend, conference):
    [invitation] = _invite(conference, *_people(1))
    services.send_invitations(actor=SYSTEM, event=conference, all_drafts=True)

    services.resend(actor=SYSTEM, invitation=invitation)

    keys = sorted(Message.objects.values_list("dedupe_key", flat=True))
    assert keys == [f"invitation:{invitation.pk}:1", f"invitation:{invitation.pk}:2"]
    contexts = {m.context["invitation_url"] for m in Message.objects.all()}
    assert contexts == {invitation.link}


@pytest.mark.parametrize("status", ["declined", "revoked"])
def test_a_declined_or_revoked_invitation_is_not_sent_again(mail_backend, conference, status):
    invitation = InvitationFactory(event=conference, status=status)

    with pytest.raises(TransitionNotAllowed):
        services.resend(actor=SYSTEM, invitation=invitation)
    assert not Message.objects.exists()


def test_a_large_send_is_handed_to_a_job_and_answers_with_the_count(
    mail_backend, conference, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from invitations import tasks
    from invitations.services import sending

    monkeypatch.setattr(sending, "INLINE_LIMIT", 2)
    handed = []
    monkeypatch.setattr(
        tasks.send_invitations, "apply_async", lambda kwargs, **options: handed.append(kwargs)
    )
    invitations = _invite(conference, *_people(5))

    with django_capture_on_commit_callbacks(execute=True):
        queued = services.send_invitations(actor=SYSTEM, event=conference, all_drafts=True)

    assert queued == 5
    assert not Message.objects.exists()  # the job writes them
    assert sorted(handed[0]["invitation_ids"]) == sorted(i.pk for i in invitations)
    tasks.send_invitations.run(**handed[0])
    assert Message.objects.filter(kind="invitation").count() == 5


def test_with_the_broker_down_a_large_send_is_written_in_the_request(
    mail_backend, conference, django_capture_on_commit_callbacks, monkeypatch
):
    from invitations import tasks
    from invitations.services import sending

    monkeypatch.setattr(sending, "INLINE_LIMIT", 2)

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(tasks.send_invitations, "apply_async", broker_down)
    _invite(conference, *_people(5))

    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitations(actor=SYSTEM, event=conference, all_drafts=True)

    assert Message.objects.filter(kind="invitation").count() == 5
