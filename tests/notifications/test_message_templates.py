"""An event's own subject and opening paragraph per kind of message, with a preview."""

import pytest
from django.urls import reverse

from events.audit import SYSTEM
from events.models import Membership
from notifications import registry
from notifications.models import MessageTemplate
from notifications.templates_service import save_message_template
from tests.factories import EventFactory, MembershipFactory

from .conftest import _registered


@pytest.fixture
def event(organization):
    return EventFactory(organization=organization, title="Peacekeeping in Africa")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def viewer_client(client, organization):
    client.force_login(
        MembershipFactory(organization=organization, role=Membership.Role.VIEWER).user
    )
    return client


def edit_url(event, kind="invitation"):
    return reverse("outbox:template_edit", kwargs={"slug": event.slug, "kind": kind})


def list_url(event):
    return reverse("outbox:template_list", kwargs={"slug": event.slug})


def test_list_shows_registered_kinds_with_default_subject(viewer_client, announcement_kind, event):
    response = viewer_client.get(list_url(event))

    assert response.status_code == 200
    assert "Invitation" in response.text
    assert "Invitation: {event_title}" in response.text


def test_list_shows_the_events_own_subject(viewer_client, announcement_kind, event):
    save_message_template(actor=SYSTEM, event=event, kind="invitation", subject="You are invited")

    response = viewer_client.get(list_url(event))

    assert "You are invited" in response.text
    assert "Invitation: {event_title}" not in response.text


def test_edit_saves_subject_and_intro(manager_client, announcement_kind, event):
    response = manager_client.post(
        edit_url(event), {"subject": "Join us: {event_title}", "intro": "We hope you can come."}
    )

    assert response.status_code == 302
    template = MessageTemplate.objects.get(event=event, kind="invitation")
    assert (template.subject, template.intro) == ("Join us: {event_title}", "We hope you can come.")


def test_saving_both_fields_empty_goes_back_to_the_standard_text(
    manager_client, announcement_kind, event
):
    save_message_template(actor=SYSTEM, event=event, kind="invitation", subject="Join us")

    manager_client.post(edit_url(event), {"subject": "", "intro": "  "})

    assert not MessageTemplate.objects.filter(event=event).exists()


def test_preview_shows_filled_subject_and_salutation(manager_client, announcement_kind, event):
    response = manager_client.get(edit_url(event))

    preview = response.context["preview"]
    assert preview.subject == "Invitation: Peacekeeping in Africa"
    assert "Dear Ms. Zetterlund" in preview.html
    assert "Dear Ms. Zetterlund" in preview.text
    assert 'sandbox=""' in response.text
    assert "Invitation: Peacekeeping in Africa" in response.text


def test_preview_shows_saved_intro_filled_in(manager_client, announcement_kind, event):
    save_message_template(
        actor=SYSTEM, event=event, kind="invitation", intro="Welcome, {first_name}."
    )

    response = manager_client.get(edit_url(event))

    assert "Welcome, Kristina." in response.context["preview"].text


def test_preview_without_saving_shows_typed_texts_and_saves_nothing(
    manager_client, announcement_kind, event
):
    response = manager_client.post(
        edit_url(event), {"subject": "Save the date: {event_date}", "intro": "", "preview": ""}
    )

    assert response.status_code == 200
    assert response.context["preview"].subject.startswith("Save the date: ")
    assert "{event_date}" not in response.context["preview"].subject
    assert not MessageTemplate.objects.filter(event=event).exists()


def test_placeholders_are_not_evaluated_as_python_format(manager_client, announcement_kind, event):
    manager_client.post(edit_url(event), {"subject": "{event_title.__class__} {event_title}"})

    response = manager_client.get(edit_url(event))

    assert response.context["preview"].subject == "{event_title.__class__} Peacekeeping in Africa"


def test_placeholders_are_listed(manager_client, announcement_kind, event):
    response = manager_client.get(edit_url(event))

    for placeholder in ("{first_name}", "{salutation}", "{event_url}", "{venue}"):
        assert placeholder in response.text


def test_viewer_may_not_edit(viewer_client, announcement_kind, event):
    response = viewer_client.post(edit_url(event), {"subject": "Mine"})

    assert response.status_code == 403
    assert not MessageTemplate.objects.exists()


def test_viewer_may_not_open_the_edit_page(viewer_client, announcement_kind, event):
    response = viewer_client.get(edit_url(event))

    assert response.status_code == 403


def test_edit_of_another_organizations_event_is_not_found(
    client, outsider, announcement_kind, event
):
    client.force_login(outsider)

    response = client.get(edit_url(event))

    assert response.status_code == 404


def test_unregistered_kind_is_not_found(manager_client, event, monkeypatch):
    from notifications import registry

    # A kind of Message.Kind that no app has registered (yet).
    monkeypatch.delitem(registry._kinds, "followup_absent")

    response = manager_client.get(edit_url(event, kind="followup_absent"))

    assert response.status_code == 404


def test_unknown_kind_is_not_found(manager_client, event):
    response = manager_client.get(edit_url(event, kind="no-such-kind"))

    assert response.status_code == 404


def test_too_long_subject_is_refused_with_a_field_error(manager_client, announcement_kind, event):
    response = manager_client.post(edit_url(event), {"subject": "x" * 301, "intro": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["subject"]
    assert not MessageTemplate.objects.exists()


@pytest.fixture
def kind_without_preview():
    yield from _registered(
        registry.MessageKind(
            name="reminder",
            transactional=False,
            subject="Soon: {event_title}",
            template="tests/emails/announcement",
        )
    )


def test_a_kind_without_a_preview_hook_says_there_is_no_sample(
    manager_client, kind_without_preview, event
):
    page = manager_client.get(edit_url(event, "reminder"))

    assert page.status_code == 200
    assert page.context["preview"] is None
    assert "There is no sample for this kind of message yet." in page.content.decode()
