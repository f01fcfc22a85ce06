"""Every kind an event's organizers may rewrite previews on the email texts page: with the
event's own registrant or invitee when it has one, with sample data when it has none, and never
showing a private link or writing a row. Kinds of every app are checked, so a kind added
without its preview hook fails here."""

import pytest
from django.urls import reverse

from events.models import Resource
from notifications import registry
from notifications.models import Message
from tests.factories import InvitationFactory, ResourceFactory

PER_EVENT_KINDS = sorted(kind.name for kind in registry.registered() if kind.per_event)


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def preview_of(client, event, kind):
    page = client.get(reverse("outbox:template_edit", kwargs={"slug": event.slug, "kind": kind}))
    assert page.status_code == 200
    preview = page.context["preview"]
    assert preview is not None, page.context["no_preview"]
    return preview


def test_the_kinds_checked_here_are_those_of_every_app():
    assert {"registration_confirmed", "invitation", "reminder", "followup_invited"} <= set(
        PER_EVENT_KINDS
    )


@pytest.mark.parametrize("kind", PER_EVENT_KINDS)
def test_every_kind_previews_with_sample_data_on_an_event_without_people(
    manager_client, hybrid_event, kind
):
    preview = preview_of(manager_client, hybrid_event, kind)

    assert preview.sample
    assert "Zetterlund" in preview.text
    assert hybrid_event.title in preview.subject
    assert not Message.objects.exists()


@pytest.mark.parametrize("kind", PER_EVENT_KINDS)
def test_every_kind_previews_with_the_events_own_people_and_hides_their_links(
    manager_client, hybrid_event, register, kind
):
    registration = register(hybrid_event, honorific="Mr.", first_name="Kofi", last_name="Mensah")
    invitation = InvitationFactory(event=hybrid_event, honorific="Mr.", last_name="Mensah")
    ResourceFactory(event=hybrid_event, kind=Resource.Kind.RECORDING)
    rows_before = Message.objects.count()

    preview = preview_of(manager_client, hybrid_event, kind)

    assert not preview.sample
    assert "Dear Mr. Mensah" in preview.text
    shown = preview.text + preview.html
    assert registration.manage_secret not in shown
    assert invitation.secret not in shown
    assert Message.objects.count() == rows_before


def test_a_kind_about_no_event_is_not_offered_on_the_events_texts_page(
    manager_client, hybrid_event
):
    listing = manager_client.get(
        reverse("outbox:template_list", kwargs={"slug": hybrid_event.slug})
    )
    page = manager_client.get(
        reverse(
            "outbox:template_edit", kwargs={"slug": hybrid_event.slug, "kind": "team_invitation"}
        )
    )

    assert "team_invitation" not in listing.content.decode()
    assert page.status_code == 404
