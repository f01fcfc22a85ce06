"""Check-in and online attendance through the API, as a door-scanning app or a script would."""

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from events.audit import Actor
from events.models import Membership
from registration import checkin
from registration.models import Registration
from tests.factories import EventFactory, MembershipFactory


def checkins_url(event):
    return f"/api/v1/events/{event.slug}/checkins/"


def import_url(event):
    return f"/api/v1/events/{event.slug}/attendance/import/"


def report(text):
    return SimpleUploadedFile("attendance.csv", text.encode(), content_type="text/csv")


@pytest.fixture
def staff_client(client_for, organization):
    return client_for(
        MembershipFactory(organization=organization, role=Membership.Role.CHECK_IN).user
    )


@pytest.fixture
def delegate(hybrid_event, register):
    return register(
        hybrid_event,
        email="kristina.zetterlund@gov.se",
        honorific="H.E. Ms.",
        first_name="Kristina",
        last_name="Zetterlund",
        organization_name="Permanent Mission of Sweden",
    )


def test_check_in_answers_the_registration(staff_client, hybrid_event, delegate):
    response = staff_client.post(
        checkins_url(hybrid_event), {"ticket_code": delegate.ticket_code}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["already_checked_in"] is False
    registration = body["registration"]
    assert {key: registration[key] for key in registration if key != "checked_in_at"} == {
        "id": delegate.pk,
        "first_name": "Kristina",
        "last_name": "Zetterlund",
        "honorific": "H.E. Ms.",
        "organization_name": "Permanent Mission of Sweden",
        "attendance_mode": "in_person",
        "status": "confirmed",
    }
    assert registration["checked_in_at"]
    assert Registration.objects.get(pk=delegate.pk).attended is True


def test_second_check_in_answers_already_with_the_first_time_in_the_events_zone(
    staff_client, hybrid_event, delegate
):
    first = datetime(2019, 11, 12, 15, 4, tzinfo=UTC)
    checkin.check_in(
        actor=Actor.system("test"), event=hybrid_event, ticket_code=delegate.ticket_code, now=first
    )

    response = staff_client.post(
        checkins_url(hybrid_event), {"ticket_code": delegate.ticket_code.lower()}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["already_checked_in"] is True
    assert response.json()["registration"]["checked_in_at"] == "2019-11-12T10:04:00-05:00"


def test_unknown_code_is_404(staff_client, hybrid_event, register):
    elsewhere = register(EventFactory(organization=hybrid_event.organization))

    response = staff_client.post(
        checkins_url(hybrid_event), {"ticket_code": elsewhere.ticket_code}, format="json"
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "No ticket with this code for this event."}


def test_waitlisted_registration_is_409_and_not_checked_in(staff_client, hybrid_event, register):
    register(hybrid_event)
    register(hybrid_event)
    waiting = register(hybrid_event)

    response = staff_client.post(
        checkins_url(hybrid_event), {"ticket_code": waiting.ticket_code}, format="json"
    )

    assert response.status_code == 409
    assert response.json() == {"detail": "This registration is waitlisted, not confirmed."}
    assert Registration.objects.get(pk=waiting.pk).checked_in_at is None


def test_missing_code_is_400(staff_client, hybrid_event):
    response = staff_client.post(checkins_url(hybrid_event), {}, format="json")

    assert response.status_code == 400
    assert "ticket_code" in response.json()


def test_viewer_may_not_check_in(client_for, viewer, hybrid_event, delegate):
    response = client_for(viewer).post(
        checkins_url(hybrid_event), {"ticket_code": delegate.ticket_code}, format="json"
    )

    assert response.status_code == 403
    assert Registration.objects.get(pk=delegate.pk).checked_in_at is None


def test_another_organizations_event_is_404(client_for, outsider, hybrid_event, delegate):
    response = client_for(outsider).post(
        checkins_url(hybrid_event), {"ticket_code": delegate.ticket_code}, format="json"
    )

    assert response.status_code == 404


def test_check_in_needs_a_token(anonymous_client, hybrid_event, delegate):
    response = anonymous_client.post(
        checkins_url(hybrid_event), {"ticket_code": delegate.ticket_code}, format="json"
    )

    assert response.status_code in (401, 403)


def test_attendance_import_answers_the_report(manager_client, hybrid_event, register):
    online = register(hybrid_event, email="ana@itamaraty.gov.br", attendance_mode="virtual")

    response = manager_client.post(
        import_url(hybrid_event),
        {"file": report("email;name\nANA@itamaraty.gov.br;Ana\nguest@example.org;Guest\nbad;X\n")},
        format="multipart",
    )

    assert response.status_code == 200
    answer = response.json()
    assert {key: answer[key] for key in ("rows", "marked", "already", "unknown", "errors")} == {
        "rows": 3,
        "marked": 1,
        "already": 0,
        "unknown": ["guest@example.org"],
        "errors": [{"row": 4, "message": "“bad” is not an email address."}],
    }
    assert (answer["column"], answer["dry_run"]) == ("email", False)
    assert Registration.objects.get(pk=online.pk).attended is True


def test_attendance_import_without_a_file_is_400(manager_client, hybrid_event):
    response = manager_client.post(import_url(hybrid_event), {}, format="multipart")

    assert response.status_code == 400
    assert "file" in response.json()


def test_attendance_import_without_an_email_column_is_400(manager_client, hybrid_event):
    response = manager_client.post(
        import_url(hybrid_event), {"file": report("name\nAna\n")}, format="multipart"
    )

    assert response.status_code == 400
    assert "column" in response.json()["column"][0]


def test_attendance_import_reads_a_teams_report_with_a_dry_run(
    manager_client, hybrid_event, register
):
    from pathlib import Path

    online = register(hybrid_event, email="ana.silva@itamaraty.gov.br", attendance_mode="virtual")
    teams = (
        Path(__file__).parents[1] / "registration/attendance_samples/teams_attendance_report.csv"
    )

    response = manager_client.post(
        import_url(hybrid_event),
        {"file": SimpleUploadedFile("teams.csv", teams.read_bytes()), "dry_run": "true"},
        format="multipart",
    )

    answer = response.json()
    assert (answer["platform"], answer["column"], answer["marked"]) == ("teams", "Email", 1)
    assert answer["dry_run"] is True
    assert Registration.objects.get(pk=online.pk).attended is False


def test_attendance_import_takes_the_column_by_name(manager_client, hybrid_event, register):
    online = register(hybrid_event, email="ana@itamaraty.gov.br", attendance_mode="virtual")

    response = manager_client.post(
        import_url(hybrid_event),
        {"file": report("Who,Work address\nAna,ana@itamaraty.gov.br\n"), "column": "Work address"},
        format="multipart",
    )

    assert response.json()["marked"] == 1
    assert Registration.objects.get(pk=online.pk).attended is True


def test_check_in_staff_may_not_import_attendance(staff_client, hybrid_event):
    response = staff_client.post(
        import_url(hybrid_event),
        {"file": report("email\nana@itamaraty.gov.br\n")},
        format="multipart",
    )

    assert response.status_code == 403


def test_attendance_import_of_another_organizations_event_is_404(
    client_for, outsider, hybrid_event
):
    response = client_for(outsider).post(
        import_url(hybrid_event),
        {"file": report("email\nana@itamaraty.gov.br\n")},
        format="multipart",
    )

    assert response.status_code == 404
