"""POST /api/v1/events/{slug}/followup/: 202 with the split, at once; a worker writes the rest."""

from datetime import timedelta

import pytest

from events.models import Event
from notifications.models import FanoutJob, Message
from registration.models import Registration
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended(organization, time_machine):
    event = EventFactory(organization=organization, format=Event.Format.HYBRID,
                         online_join_url="https://zoom.example.org/j/1")  # fmt: skip
    for number, (mode, came) in enumerate(
        [("in_person", True), ("virtual", False), ("virtual", False), ("in_person", False)]
    ):
        Registration.objects.create(
            event=event, email=f"d{number}@mission.example", first_name="D", last_name=str(number),
            attendance_mode=mode, status="confirmed", consent_at=event.created_at, attended=came,
        )  # fmt: skip
    time_machine.move_to(event.ends_at + timedelta(hours=2))
    return event


def _url(event):
    return f"/api/v1/events/{event.slug}/followup/"


def test_the_follow_up_is_queued_and_answered_with_the_split(
    ended, manager_client, run_fanout_jobs
):
    response = manager_client.post(_url(ended), {}, format="json")

    assert response.status_code == 202
    body = response.json()
    assert (body["attended"], body["absent"], body["invited"]) == (1, 3, 0)
    assert FanoutJob.objects.get(pk=body["job"]).name == "followup"
    assert not Message.objects.filter(kind__startswith="followup").exists()
    run_fanout_jobs()
    assert Message.objects.filter(kind="followup_attended").count() == 1
    assert Message.objects.filter(kind="followup_absent").count() == 3


def test_asked_again_it_reaches_nobody_twice(ended, manager_client, run_fanout_jobs):
    manager_client.post(_url(ended), {}, format="json")
    run_fanout_jobs()

    again = manager_client.post(_url(ended), {"include_invitees": True}, format="json").json()

    assert (again["attended"], again["absent"], again["invited"]) == (0, 0, 0)


def test_before_the_end_it_is_a_conflict(organization, manager_client):
    event = EventFactory(organization=organization)

    response = manager_client.post(_url(event), {}, format="json")

    assert response.status_code == 409
    assert "has not ended" in response.json()["detail"]
    assert not FanoutJob.objects.exists()


def test_another_teams_event_is_not_found_and_a_viewer_may_not_send(
    ended, client_for, outsider, viewer
):
    assert client_for(outsider).post(_url(ended), {}, format="json").status_code == 404
    assert client_for(viewer).post(_url(ended), {}, format="json").status_code == 403
    assert not FanoutJob.objects.exists()


def test_a_bad_option_is_a_field_error(ended, manager_client):
    response = manager_client.post(_url(ended), {"include_invitees": "perhaps"}, format="json")

    assert response.status_code == 400
    assert "include_invitees" in response.json()


def test_the_event_api_reads_and_writes_the_follow_up_settings(ended, manager_client):
    response = manager_client.patch(
        f"/api/v1/events/{ended.slug}/",
        {"followup_on_recording": True, "followup_delay_hours": 48},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["followup_delay_hours"] == 48
    ended.refresh_from_db()
    assert ended.followup_on_recording is True
