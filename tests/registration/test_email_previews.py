"""The email texts page previews every registration message: with the event's own registrant
when it has one, with sample data when it has none, in each of the event's languages, and
without writing anything."""

import pytest
from django.urls import reverse

from notifications import templates_service
from notifications.models import Message
from registration import emails
from registration.models import Registration

KINDS = list(emails.KINDS)


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def edit_url(event, kind, language=""):
    url = reverse("outbox:template_edit", kwargs={"slug": event.slug, "kind": kind})
    return f"{url}?language={language}" if language else url


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_previews_with_sample_data_when_the_event_has_no_registrants(
    manager_client, hybrid_event, kind
):
    page = manager_client.get(edit_url(hybrid_event, kind))

    preview = page.context["preview"]
    assert page.status_code == 200
    assert preview is not None, page.context["no_preview"]
    assert preview.sample
    assert "Kristina Zetterlund" in page.content.decode()
    assert "Dear H.E. Ms. Zetterlund" in preview.text
    assert hybrid_event.title in preview.subject
    assert "sample data" in page.content.decode()
    assert Registration.objects.count() == 0
    assert Message.objects.count() == 0


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_previews_with_the_events_own_registrant(
    manager_client, hybrid_event, register, kind
):
    registration = register(hybrid_event, honorific="Mr.", first_name="Kofi", last_name="Mensah")
    messages_before = Message.objects.count()

    page = manager_client.get(edit_url(hybrid_event, kind))

    preview = page.context["preview"]
    assert preview is not None, page.context["no_preview"]
    assert not preview.sample
    assert preview.to_email == registration.email
    assert "Dear Mr. Mensah" in preview.text
    # The registrant's private manage link is not shown to the organizer.
    assert registration.manage_secret not in preview.text + preview.html
    assert Message.objects.count() == messages_before
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_confirmation_preview_shows_the_ticket_qr_inline_and_lists_the_attachments(
    hybrid_event, register
):
    register(hybrid_event)

    preview = templates_service.preview_message(event=hybrid_event, kind="registration_confirmed")

    assert 'src="data:image/png;base64,' in preview.html
    names = [name for name, _size in preview.attachments]
    assert names == [f"{hybrid_event.slug}.ics", "ticket-qr.png", "ticket.png"]
    assert all(size > 0 for _name, size in preview.attachments)


def test_preview_in_another_of_the_events_languages(manager_client, hybrid_event, catalogues):
    english = manager_client.get(edit_url(hybrid_event, "registration_confirmed"))
    arabic = manager_client.get(edit_url(hybrid_event, "registration_confirmed", "ar"))

    assert english.context["preview"].language == "en"
    assert 'lang="en" dir="ltr"' in english.context["preview"].html
    assert arabic.context["preview"].language == "ar"
    assert 'lang="ar" dir="rtl"' in arabic.context["preview"].html
    assert 'href="?language=fr"' in arabic.content.decode()


def test_preview_in_a_language_plenary_does_not_offer_falls_back_to_the_events(
    manager_client, hybrid_event
):
    page = manager_client.get(edit_url(hybrid_event, "registration_confirmed", "xx"))

    assert page.context["preview"].language == hybrid_event.language


def test_preview_without_saving_keeps_the_chosen_language(manager_client, hybrid_event):
    page = manager_client.post(
        edit_url(hybrid_event, "registration_confirmed", "fr"),
        {"subject": "Votre place: {event_title}", "intro": "", "preview": "1"},
    )

    assert page.context["preview"].language == "fr"
    assert page.context["preview"].subject == f"Votre place: {hybrid_event.title}"
    assert not hybrid_event.message_templates.exists()
