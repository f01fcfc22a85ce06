"""The event form: rows added without saving (with or without JavaScript), the team named as
organizer unless the organizer says otherwise, and a hosts line that reads right."""

import re

import pytest
from django.urls import reverse

from events.models import Event, EventHost, Organization, Speaker
from events.selectors import hosts_phrase
from tests.factories import EventHostFactory, OrganizationFactory, SpeakerFactory

from .test_workspace import edit_form_data, event_form_data


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def create_url():
    return reverse("workspace:event_create")


def edit_url(event):
    return reverse("workspace:event_edit", kwargs={"slug": event.slug})


def host_rows(*hosts):
    data = {"hosts-TOTAL_FORMS": str(len(hosts)), "hosts-INITIAL_FORMS": "0"}
    for index, (organization, role) in enumerate(hosts):
        data |= {
            f"hosts-{index}-organization": str(organization.pk),
            f"hosts-{index}-role": role,
            f"hosts-{index}-order": str(index),
        }
    return data


def test_adding_a_row_without_javascript_shows_one_more_and_saves_nothing(manager_client):
    typed = event_form_data(
        title="Briefing on the Protection of Civilians",
        starts_at="",  # not filled in yet: not an error, since nothing is being saved
        **{"speakers-TOTAL_FORMS": "1", "speakers-0-name": "Cho Hyun", "add_row": "speakers"},
    )

    page = manager_client.post(create_url(), typed)

    content = page.content.decode()
    assert page.status_code == 200
    assert Event.objects.count() == 0
    assert Speaker.objects.count() == 0
    assert 'name="speakers-TOTAL_FORMS" value="2"' in content
    assert 'name="speakers-1-name"' in content
    assert re.search(r'name="speakers-1-order" value="0"', content)
    assert '<option value="speaker" selected>' in content.split('name="speakers-1-role"')[1]
    assert 'value="Cho Hyun"' in content
    assert 'value="Briefing on the Protection of Civilians"' in content
    assert "A row was added below." in content
    assert 'id="speakers-added"' in content
    assert "This field is required." not in content
    assert "Nothing was saved. Please correct" not in content


def test_adding_a_row_to_an_existing_event_changes_nothing(manager_client, event):
    SpeakerFactory(event=event, name="Namie Di Razza")
    data = edit_form_data(event, title="A new title", add_row="sessions")

    manager_client.post(edit_url(event), data)

    event.refresh_from_db()
    assert event.title != "A new title"
    assert event.speakers.count() == 1
    assert event.sessions.count() == 0


def test_each_formset_has_an_add_button_and_an_empty_row_to_clone(manager_client):
    content = manager_client.get(create_url()).content.decode()

    for prefix in ("hosts", "speakers", "sessions", "resources"):
        assert f'name="add_row" value="{prefix}"' in content
        assert f'data-formset="{prefix}"' in content
        template = re.search(
            rf'data-formset="{prefix}".*?<template data-formset-template>(.*?)</template>',
            content,
            re.S,
        )[1]
        assert f'name="{prefix}-__prefix__-' in template
    assert "js/formset.js" in content
    # No inline script: the page must work under a Content-Security-Policy without 'unsafe-inline'.
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", content) is None


def test_a_new_event_without_hosts_names_its_team_as_organizer(manager_client, organization):
    manager_client.post(create_url(), event_form_data(organization=str(organization.pk)))

    event = Event.objects.get()
    host = event.hosts.get()
    assert (host.organization, host.role) == (organization, EventHost.Role.ORGANIZER)


def test_a_new_event_naming_another_organizer_is_refused_and_saves_nothing(
    manager_client, organization, shipped_directory
):
    """The organizer host is always the event's own team (issue 12); only its role may change."""
    ghana = Organization.objects.get(code="mission:GH")
    data = event_form_data(organization=str(organization.pk)) | host_rows(
        (ghana, "organizer"), (organization, "co_host")
    )

    page = manager_client.post(create_url(), data)

    assert page.status_code == 200
    assert not Event.objects.exists()


def test_listing_the_team_as_co_host_is_saying_otherwise(manager_client, organization):
    japan = OrganizationFactory(name="Government of Japan")
    data = event_form_data(organization=str(organization.pk)) | host_rows(
        (japan, "co_host"), (organization, "partner")
    )

    manager_client.post(create_url(), data)

    hosts = {(h.organization, h.role) for h in Event.objects.get().hosts.all()}
    assert hosts == {(japan, "co_host"), (organization, "partner")}


def test_saving_an_event_left_without_an_organizer_names_the_team_again(manager_client, event):
    japan = EventHostFactory(event=event, role="co_host").organization

    manager_client.post(edit_url(event), edit_form_data(event))

    assert {(h.organization, h.role) for h in event.hosts.all()} == {
        (japan, "co_host"),
        (event.organization, "organizer"),
    }


def test_an_event_created_through_the_api_names_its_team_as_organizer(organization, manager):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(manager)
    answer = client.post(
        "/api/v1/events/",
        {
            "title": "Briefing",
            "format": "virtual",
            "starts_at": "2030-11-12T10:00:00-05:00",
            "ends_at": "2030-11-12T11:00:00-05:00",
            "timezone": "America/New_York",
        },
        format="json",
    )

    assert answer.status_code == 201, answer.json()
    hosts = client.get(f"/api/v1/events/{answer.json()['slug']}/hosts/").json()["results"]
    assert [(h["organization"], h["role"]) for h in hosts] == [(organization.pk, "organizer")]


def test_without_an_organizer_host_the_team_leads_the_hosts_line(event):
    EventHostFactory(event=event, organization=OrganizationFactory(name="Government of Japan"))

    assert hosts_phrase(event.hosts.all(), team=event.organization) == (
        "IPI together with the Government of Japan"
    )


def test_a_hosts_line_starting_with_a_group_starts_with_a_capital(event):
    EventHostFactory(event=event, organization=OrganizationFactory(name="Government of Japan"))
    EventHostFactory(event=event, organization=event.organization, role="partner")

    assert hosts_phrase(event.hosts.all(), team=event.organization) == (
        "The Government of Japan and IPI"
    )


def test_the_public_page_reads_with_the_team_leading(client, event):
    EventHostFactory(event=event, organization=OrganizationFactory(name="Government of Japan"))
    EventHostFactory(event=event, organization=OrganizationFactory(name="Government of Ethiopia"))

    page = client.get(event.get_absolute_url())

    assert "IPI together with the Governments of Japan and Ethiopia" in page.content.decode()


def test_the_create_page_chooses_the_only_team_for_the_organizer(manager_client, organization):
    content = manager_client.get(create_url()).content.decode()

    assert f'<option value="{organization.pk}" selected>' in content
