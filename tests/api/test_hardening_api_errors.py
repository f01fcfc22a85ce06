"""Every answer under /api/v1/ is JSON in the API's error shape, and the schema documents the
errors each operation can give."""

import pytest
from django.test import RequestFactory

from config.urls import handler500_view

SCHEMA = "/api/v1/schema/?format=json"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/nothing-here/"),
        ("get", "/api/v1/events/some-event/nothing-here/"),
        ("post", "/api/v1/registrations/manage/"),
        ("get", "/api/v1/v2/"),
        ("get", "/api/v1/events/a%0Ab/stats/"),  # a line break the slug pattern refuses
    ],
)
def test_unknown_api_paths_are_json_404s(anonymous_client, db, method, path):
    response = getattr(anonymous_client, method)(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_unknown_pages_outside_the_api_stay_html(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_server_error_under_the_api_is_json(db):
    response = handler500_view(RequestFactory().get("/api/v1/events/"))

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"


@pytest.fixture
def schema(anonymous_client, db):
    return anonymous_client.get(SCHEMA).json()


def _operation(schema, path, method):
    return schema["paths"][path][method]


def test_registering_documents_each_error_it_can_give(schema):
    responses = _operation(schema, "/api/v1/events/{event_slug}/registrations/", "post")[
        "responses"
    ]

    assert {"201", "400", "401", "403", "404", "409", "429"} <= set(responses)
    for code in ("400", "404", "409", "429"):
        assert "application/json" in responses[code]["content"], code
    assert "Retry-After" in responses["429"]["headers"]


def test_every_organizer_operation_documents_401_and_403(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if operation.get("security") and {} not in operation["security"]:
                assert {"401", "403"} <= set(operation["responses"]), (method, path)


def test_every_operation_on_an_object_documents_404(schema):
    for path, operations in schema["paths"].items():
        if "{" in path:
            for method, operation in operations.items():
                assert "404" in operation["responses"], (method, path)


def test_every_operation_with_a_body_documents_400(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in ("post", "patch", "put"):
                assert "400" in operation["responses"], (method, path)


def test_consent_is_required_when_registering(schema):
    register = schema["components"]["schemas"]["RegisterRequest"]

    assert "consent" in register["required"]
    assert register["properties"]["consent"]["type"] == "boolean"


def test_the_token_endpoint_needs_no_token(schema):
    operation = _operation(schema, "/api/v1/auth/token/", "post")

    assert operation.get("security", [{}]) == [{}]
    assert "401" not in operation["responses"]
    assert "429" in operation["responses"]


def test_public_endpoints_document_their_throttle(schema):
    for path in (
        "/api/v1/invitations/{token}/decline/",
        "/api/v1/registrations/manage/{token}/cancel/",
        "/api/v1/registrations/manage/{token}/mode/",
    ):
        assert "429" in _operation(schema, path, "post")["responses"], path
