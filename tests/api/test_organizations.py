from events.models import Membership, Organization
from tests.factories import OrganizationFactory

URL = "/api/v1/organizations/"


def test_list_shows_only_my_organizations_with_my_role(manager_client, organization):
    OrganizationFactory()

    response = manager_client.get(URL)

    assert response.status_code == 200
    assert [(row["id"], row["role"]) for row in response.json()["results"]] == [
        (organization.pk, "manager")
    ]


def test_creating_an_organization_makes_me_its_owner(client_for, user):
    response = client_for(user).post(
        URL,
        {"name": "Permanent Mission of Norway", "kind": "member_state", "country": "NO"},
        "json",
    )

    assert response.status_code == 201
    assert response.json()["role"] == "owner"
    assert response.json()["country"] == "NO"
    organization = Organization.objects.get(pk=response.json()["id"])
    assert organization.memberships.get().user == user
    assert organization.memberships.get().role == Membership.Role.OWNER


def test_unknown_country_is_a_field_error(client_for, user):
    response = client_for(user).post(URL, {"name": "Mission", "country": "XX"}, "json")

    assert response.status_code == 400
    assert "country" in response.json()
    assert not Organization.objects.exists()


def test_another_organization_is_404(client_for, outsider, organization):
    response = client_for(outsider).get(f"{URL}{organization.pk}/")

    assert response.status_code == 404


def test_owner_may_rename_the_organization(client_for, owner, organization):
    response = client_for(owner).patch(f"{URL}{organization.pk}/", {"short_name": "I.P.I."}, "json")

    assert response.status_code == 200
    organization.refresh_from_db()
    assert organization.short_name == "I.P.I."


def test_manager_may_not_change_the_organization(manager_client, organization):
    response = manager_client.patch(f"{URL}{organization.pk}/", {"name": "Renamed"}, "json")

    assert response.status_code == 403
    organization.refresh_from_db()
    assert organization.name == "International Peace Institute"
