"""Registrants' organizations come from the directory when they can: picked or typed exactly,
an entry counts as one delegation for seats_per_organization."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from events.models import Organization
from registration.models import Registration
from tests.factories import EventFactory, InvitationFactory, TeamFactory
from tests.registration.test_public_pages import _form, _register_url


@pytest.fixture
def ghana(shipped_directory):
    return Organization.objects.get(code="mission:GH")


@pytest.fixture
def capped_event(organization):
    return EventFactory(organization=organization, seats_per_organization=1, capacity_in_person=50)


def _api_register(event, **fields):
    payload = {
        "email": "delegate@mission.example",
        "first_name": "Kofi",
        "last_name": "Mensah",
        "attendance_mode": "in_person",
        "consent": True,
    } | fields
    return APIClient().post(f"/api/v1/events/{event.slug}/registrations/", payload, "json")


def test_the_organization_field_suggests_from_the_directory_without_inline_script(client, event):
    page = client.get(_register_url(event)).content.decode()

    assert 'list="organization-suggestions"' in page
    assert f'data-suggest-url="{reverse("events:directory_suggest")}"' in page
    assert '<datalist id="organization-suggestions">' in page
    assert "js/organization-picker.js" in page
    assert "<script>" not in page


def test_the_invitation_form_suggests_too(client, ghana):
    invitation = InvitationFactory()

    page = client.get(invitation.get_absolute_url()).content.decode()

    assert 'list="organization-suggestions"' in page


def test_a_name_typed_exactly_as_an_entry_is_that_entry(client, event, ghana):
    client.post(_register_url(event), _form(organization_name="permanent mission of  GHANA"))

    registration = Registration.objects.get()
    assert registration.organization == ghana
    assert registration.organization_name == "permanent mission of  GHANA"


def test_free_text_is_still_allowed(client, event, ghana):
    client.post(_register_url(event), _form(organization_name="Ghana's mission in New York"))

    registration = Registration.objects.get()
    assert registration.organization is None
    assert registration.organization_name == "Ghana's mission in New York"


def test_the_api_takes_a_directory_entry_and_names_it(capped_event, ghana):
    response = _api_register(capped_event, organization=ghana.pk)

    assert response.status_code == 201
    registration = Registration.objects.get()
    assert (registration.organization, registration.organization_name) == (
        ghana,
        "Permanent Mission of Ghana",
    )


def test_the_api_refuses_a_team_as_it_refuses_an_unknown_entry(capped_event):
    team = TeamFactory(name="Secret Forum")

    team_answer = _api_register(capped_event, organization=team.pk)
    unknown = _api_register(capped_event, organization=999999)

    assert team_answer.status_code == unknown.status_code == 400
    assert team_answer.json()["organization"] == unknown.json()["organization"]
    assert "Secret Forum" not in team_answer.content.decode()
    assert not Registration.objects.exists()


def test_picked_and_typed_count_together_for_seats_per_organization(client, capped_event, ghana):
    picked = _api_register(capped_event, organization=ghana.pk)
    typed = client.post(
        _register_url(capped_event),
        _form(email="second@mission.example", organization_name="Permanent Mission of Ghana"),
    )

    assert picked.status_code == 201
    assert "already holds its 1 seats" in typed.content.decode()
    assert Registration.objects.count() == 1


def test_the_service_refuses_a_team_as_a_registrants_organization(capped_event, register):
    with pytest.raises(ValidationError):
        register(capped_event, organization=TeamFactory())

    assert not Registration.objects.exists()
