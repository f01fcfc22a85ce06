"""Nobody acts in another's name: a member of team A cannot name team B on anything it
publishes, by the API or the workspace, and never learns that team B exists."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.models import Event, EventHost
from tests.events.test_workspace import edit_form_data, event_form_data
from tests.factories import EventHostFactory, OrganizationFactory, TeamFactory

SECRET_TEAM = "Secret Forum for Quiet Diplomacy"


@pytest.fixture
def other_team(db):
    return TeamFactory(name=SECRET_TEAM)


@pytest.fixture
def api(manager):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=manager).key}")
    return client


@pytest.fixture
def workspace(client, manager):
    client.force_login(manager)
    return client


def hosts_url(event, host=None):
    url = f"/api/v1/events/{event.slug}/hosts/"
    return f"{url}{host.pk}/" if host else url


def test_api_refuses_another_team_as_organizer_in_the_words_for_an_unknown_id(
    api, event, other_team
):
    foreign = api.post(hosts_url(event), {"organization": other_team.pk, "role": "organizer"})
    unknown = api.post(hosts_url(event), {"organization": 999999, "role": "organizer"})

    assert foreign.status_code == unknown.status_code == 400
    assert foreign.json()["organization"] == unknown.json()["organization"]
    assert SECRET_TEAM not in foreign.content.decode()
    assert not event.hosts.exists()


def test_api_refuses_another_team_as_co_host(api, event, other_team):
    response = api.post(hosts_url(event), {"organization": other_team.pk, "role": "co_host"})

    assert response.status_code == 400
    assert not event.hosts.exists()


def test_api_names_the_events_own_team_as_organizer(api, event, organization):
    response = api.post(hosts_url(event), {"organization": organization.pk, "role": "organizer"})

    assert response.status_code == 201
    assert event.hosts.get().organization == organization


def test_api_refuses_a_directory_entry_as_organizer(api, event):
    entry = OrganizationFactory(name="Government of Japan")

    response = api.post(hosts_url(event), {"organization": entry.pk, "role": "organizer"})

    assert response.status_code == 400
    assert "own team" in response.json()["role"][0]
    assert not event.hosts.exists()


def test_api_refuses_promoting_a_co_host_to_organizer(api, event):
    host = EventHostFactory(event=event, organization=OrganizationFactory())

    response = api.patch(hosts_url(event, host), {"role": "organizer"})

    assert response.status_code == 400
    host.refresh_from_db()
    assert host.role == EventHost.Role.CO_HOST


def test_api_refuses_an_event_for_another_team(api, other_team):
    payload = {
        "organization": other_team.pk,
        "title": "Briefing",
        "format": "virtual",
        "starts_at": "2030-07-22T10:00:00-04:00",
        "ends_at": "2030-07-22T11:30:00-04:00",
    }

    response = api.post("/api/v1/events/", payload, "json")

    assert response.status_code == 400
    assert SECRET_TEAM not in response.content.decode()
    assert not Event.objects.exists()


def test_host_dropdown_lists_the_directory_and_my_team_never_another(workspace, event, other_team):
    OrganizationFactory(name="Permanent Mission of Norway")

    page = workspace.get(reverse("workspace:event_edit", args=[event.slug])).content.decode()

    assert "Permanent Mission of Norway" in page
    assert "International Peace Institute (your team)" in page
    assert SECRET_TEAM not in page


def test_workspace_refuses_another_team_as_a_host(workspace, event, other_team):
    data = edit_form_data(
        event,
        **{
            "hosts-TOTAL_FORMS": "1",
            "hosts-0-organization": str(other_team.pk),
            "hosts-0-role": "organizer",
            "hosts-0-order": "0",
        },
    )

    response = workspace.post(reverse("workspace:event_edit", args=[event.slug]), data)

    assert response.status_code == 200
    assert "Choose a valid entry from the directory." in response.content.decode()
    assert SECRET_TEAM not in response.content.decode()
    assert not event.hosts.exists()


def test_workspace_refuses_a_directory_entry_as_organizer(workspace, event):
    entry = OrganizationFactory(name="Government of Japan")
    data = edit_form_data(
        event,
        **{
            "hosts-TOTAL_FORMS": "1",
            "hosts-0-organization": str(entry.pk),
            "hosts-0-role": "organizer",
            "hosts-0-order": "0",
        },
    )

    response = workspace.post(reverse("workspace:event_edit", args=[event.slug]), data)

    assert response.status_code == 200
    assert "The organizer is always the event&#x27;s own team" in response.content.decode()
    assert not event.hosts.exists()


def test_a_new_event_names_its_own_team_as_organizer(workspace, organization):
    entry = OrganizationFactory(name="Government of Japan")
    data = event_form_data(
        organization=str(organization.pk),
        **{
            "hosts-TOTAL_FORMS": "2",
            "hosts-0-organization": str(organization.pk),
            "hosts-0-role": "organizer",
            "hosts-0-order": "0",
            "hosts-1-organization": str(entry.pk),
            "hosts-1-role": "co_host",
            "hosts-1-order": "1",
        },
    )

    response = workspace.post(reverse("workspace:event_create"), data)

    assert response.status_code == 302
    event = Event.objects.get()
    assert [(h.organization, h.role) for h in event.hosts.all()] == [
        (organization, "organizer"),
        (entry, "co_host"),
    ]


def test_a_new_event_cannot_be_made_for_another_team(workspace, other_team):
    response = workspace.post(
        reverse("workspace:event_create"), event_form_data(organization=str(other_team.pk))
    )

    assert response.status_code == 200
    assert SECRET_TEAM not in response.content.decode()
    assert not Event.objects.exists()
