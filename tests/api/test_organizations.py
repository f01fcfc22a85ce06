from events.models import Membership, Organization
from tests.factories import MembershipFactory, OrganizationFactory, TeamFactory, UserFactory

URL = "/api/v1/organizations/"


def _results(response):
    assert response.status_code == 200
    return response.json()["results"]


def test_the_list_is_the_directory_and_my_teams_with_my_role(manager_client, organization):
    TeamFactory(name="Another Peace Institute")
    entry = OrganizationFactory(name="Oslo Peace Institute")

    response = manager_client.get(URL, {"search": "peace institute"})

    assert response.json()["count"] == 2
    assert [(row["id"], row["role"], row["is_team"]) for row in _results(response)] == [
        (organization.pk, "manager", True),
        (entry.pk, None, False),
    ]
    assert manager_client.get(URL).json()["count"] == Organization.objects.directory().count() + 1


def test_search_kind_and_country_narrow_the_directory(manager_client, shipped_directory):
    rows = _results(manager_client.get(URL, {"search": "ghana", "kind": "member_state"}))

    assert [row["name"] for row in rows] == ["Permanent Mission of Ghana"]
    assert rows[0]["code"] == "mission:GH"
    by_country = _results(manager_client.get(URL, {"country": "kr"}))
    assert {row["name"] for row in by_country} == {
        "Government of the Republic of Korea",
        "Permanent Mission of the Republic of Korea",
    }


def test_searching_never_finds_another_team(manager_client):
    TeamFactory(name="Secret Policy Forum")

    assert _results(manager_client.get(URL, {"search": "Secret Policy"})) == []


def test_another_team_is_404_like_an_unknown_id(client_for, outsider, organization):
    client = client_for(outsider)

    assert client.get(f"{URL}{organization.pk}/").status_code == 404
    assert client.get(f"{URL}999999/").status_code == 404
    assert client.patch(f"{URL}{organization.pk}/", {"name": "Mine"}, "json").status_code == 404


def test_a_directory_entry_can_be_read_by_anyone_signed_in(client_for, user, shipped_directory):
    entry = Organization.objects.get(code="un:undp")

    response = client_for(user).get(f"{URL}{entry.pk}/")

    assert response.status_code == 200
    assert response.json()["short_name"] == "UNDP"
    assert response.json()["role"] is None


def test_posting_adds_a_directory_entry_that_is_nobodys_team(client_for, user):
    response = client_for(user).post(
        URL, {"name": "Wilton Park", "kind": "other", "country": "GB"}, "json"
    )

    assert response.status_code == 201
    assert response.json()["role"] is None
    assert response.json()["is_team"] is False
    entry = Organization.objects.get(pk=response.json()["id"])
    assert not entry.is_team
    assert not entry.memberships.exists()


def test_check_in_staff_cannot_create_a_team(client_for, organization):
    check_in = MembershipFactory(organization=organization, role=Membership.Role.CHECK_IN).user

    response = client_for(check_in).post(URL, {"name": "My Own Forum"}, "json")

    assert response.status_code == 201
    assert not Organization.objects.get(name="My Own Forum").is_team
    assert Membership.objects.filter(user=check_in).count() == 1


def test_platform_staff_posting_creates_a_team_they_own(client_for):
    staff = UserFactory(is_staff=True)

    response = client_for(staff).post(
        URL, {"name": "International Peace Institute", "short_name": "IPI"}, "json"
    )

    assert response.status_code == 201
    assert response.json()["role"] == "owner"
    assert response.json()["is_team"] is True
    team = Organization.objects.get(pk=response.json()["id"])
    assert team.memberships.get().user == staff
    assert team.memberships.get().role == Membership.Role.OWNER


def test_a_name_already_in_the_directory_is_a_field_error(client_for, user, shipped_directory):
    response = client_for(user).post(URL, {"name": "government of japan"}, "json")

    assert response.status_code == 400
    assert "already in the directory" in response.json()["name"][0]
    assert Organization.objects.filter(name__iexact="government of japan").count() == 1


def test_unknown_country_is_a_field_error(client_for, user):
    before = Organization.objects.count()

    response = client_for(user).post(URL, {"name": "Mission", "country": "XX"}, "json")

    assert response.status_code == 400
    assert "country" in response.json()
    assert Organization.objects.count() == before


def test_owner_may_rename_the_team(client_for, owner, organization):
    response = client_for(owner).patch(f"{URL}{organization.pk}/", {"short_name": "I.P.I."}, "json")

    assert response.status_code == 200
    organization.refresh_from_db()
    assert organization.short_name == "I.P.I."


def test_manager_may_not_change_the_team(manager_client, organization):
    response = manager_client.patch(f"{URL}{organization.pk}/", {"name": "Renamed"}, "json")

    assert response.status_code == 403
    organization.refresh_from_db()
    assert organization.name == "International Peace Institute"


def test_only_platform_staff_change_a_directory_entry(client_for, owner, shipped_directory):
    entry = Organization.objects.get(code="government:JP")

    refused = client_for(owner).patch(f"{URL}{entry.pk}/", {"short_name": "Japan"}, "json")
    allowed = client_for(UserFactory(is_staff=True)).patch(
        f"{URL}{entry.pk}/", {"short_name": "Japan"}, "json"
    )

    assert refused.status_code == 403
    assert allowed.status_code == 200
    entry.refresh_from_db()
    assert entry.short_name == "Japan"
