import pytest

from events.models import Organization
from tests.factories import OrganizationFactory, TeamFactory

SUGGEST = "/directory/suggest"


def _names(response):
    assert response.status_code == 200
    return [entry["name"] for entry in response.json()["results"]]


def test_typing_ghana_offers_its_permanent_mission_first(client, shipped_directory):
    assert _names(client.get(SUGGEST, {"q": "Ghan"}))[:2] == [
        "Permanent Mission of Ghana",
        "Government of Ghana",
    ]


def test_a_short_name_finds_its_entry(client, shipped_directory):
    assert _names(client.get(SUGGEST, {"q": "unicef"})) == ["United Nations Children's Fund"]


def test_suggestions_never_include_a_team(client, db):
    TeamFactory(name="Institute of Quiet Teams")
    OrganizationFactory(name="Institute of Open Entries")

    assert _names(client.get(SUGGEST, {"q": "institute of"})) == ["Institute of Open Entries"]


def test_suggestions_are_public_cacheable_and_ask_for_two_letters(client, db):
    OrganizationFactory(name="Geneva Centre")

    response = client.get(SUGGEST, {"q": "G"})

    assert _names(response) == []
    assert "public" in response["Cache-Control"]
    assert client.post(SUGGEST, {"q": "Geneva"}).status_code == 405


@pytest.fixture
def signed_in(client, manager):
    client.force_login(manager)
    return client


def test_the_directory_page_searches_entries_but_not_teams(signed_in, shipped_directory):
    TeamFactory(name="Ghana Policy Team")

    page = signed_in.get("/workspace/directory/", {"q": "ghana"}).content.decode()

    assert "Permanent Mission of Ghana" in page
    assert "Ghana Policy Team" not in page


def test_an_organizer_adds_an_entry_the_directory_lacks(signed_in, db):
    response = signed_in.post(
        "/workspace/directory/", {"name": "Wilton Park", "kind": "other", "country": "GB"}
    )

    assert response.status_code == 302
    entry = Organization.objects.get(name="Wilton Park")
    assert not entry.is_team and not entry.memberships.exists()


def test_the_directory_page_refuses_a_second_entry_of_a_name(signed_in, db):
    OrganizationFactory(name="Wilton Park")

    response = signed_in.post("/workspace/directory/", {"name": "WILTON PARK", "kind": "other"})

    assert response.status_code == 200
    assert "already in the directory" in response.content.decode()
    assert Organization.objects.filter(name__iexact="wilton park").count() == 1


def test_the_directory_page_needs_a_sign_in(client, db):
    response = client.get("/workspace/directory/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
