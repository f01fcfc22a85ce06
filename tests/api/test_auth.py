from rest_framework.authtoken.models import Token

URL = "/api/v1/auth/token/"


def test_token_is_issued_for_valid_credentials(anonymous_client, manager):
    response = anonymous_client.post(
        URL, {"username": manager.username, "password": "correct horse battery staple"}, "json"
    )

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=manager).key}


def test_the_first_token_is_logged_once_in_the_users_name_without_its_key(
    anonymous_client, manager
):
    from events.models import LogEntry

    credentials = {"username": manager.username, "password": "correct horse battery staple"}
    anonymous_client.post(URL, credentials, "json")
    anonymous_client.post(URL, credentials, "json")  # the same token again: nothing changed

    entry = LogEntry.objects.get()
    key = Token.objects.get(user=manager).key
    assert (entry.action, entry.actor_kind, entry.actor_user_id) == (
        "api_token.created",
        "user",
        manager.pk,
    )
    assert entry.object_id == str(manager.pk)
    assert key not in str(entry.data) and key != entry.object_id


def test_wrong_password_is_a_400_and_issues_no_token(anonymous_client, manager):
    response = anonymous_client.post(
        URL, {"username": manager.username, "password": "wrong"}, "json"
    )

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not Token.objects.exists()


def test_missing_credentials_are_field_errors(anonymous_client, db):
    response = anonymous_client.post(URL, {}, "json")

    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_the_token_authenticates_later_requests(client_for, manager, event):
    response = client_for(manager).get(f"/api/v1/events/{event.slug}/")

    assert response.status_code == 200


def test_requests_without_a_token_are_401(anonymous_client, event):
    assert anonymous_client.get("/api/v1/events/").status_code == 401
    assert anonymous_client.get(f"/api/v1/events/{event.slug}/").status_code == 401
    assert anonymous_client.get("/api/v1/organizations/").status_code == 401
