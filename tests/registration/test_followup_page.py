"""The organizer's Follow-up page: who would get what, the send button behind a confirmation,
the settings for sending by itself, and new material to announce."""

import pytest
from django.urls import reverse

from events.models import Membership, Resource
from notifications.models import FanoutJob, Message
from registration import followup
from tests.factories import MembershipFactory, ResourceFactory

from .reminder_helpers import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, manager, settings):
    settings.SESSION_COOKIE_AGE = 365 * 24 * 3600  # the tests travel weeks ahead
    client.force_login(manager)
    return client


@pytest.fixture
def ended(briefing, register, at):
    came = register(briefing, email="came@mission.example")
    register(briefing, email="missed@mission.example")
    came.attended = True
    came.save()
    ResourceFactory(event=briefing, kind=Resource.Kind.RECORDING, title="The video")
    ResourceFactory(event=briefing, kind=Resource.Kind.PHOTOS, title="Photos",
                    audience=Resource.Audience.ATTENDEES)  # fmt: skip
    at(DAY)
    return briefing


def _url(event, name="followup", *args):
    return reverse(f"schedule:{name}", args=[event.slug, *args])


def test_the_page_says_who_would_get_what(ended, manager_client):
    response = manager_client.get(_url(ended))

    page = response.content.decode()
    assert response.context["counts"] == {"attended": 1, "absent": 1}
    assert response.context["invitees"] == 0
    assert "Those who attended" in page and "Registrants who did not attend" in page
    material = dict(response.context["material"])
    assert [r["title"] for r in material["Those who attended"]] == ["The video", "Photos"]
    assert [r["title"] for r in material["Registrants who did not attend"]] == ["The video"]


def test_sending_asks_first_then_queues_and_returns_at_once(ended, manager_client, run_fanout_jobs):
    confirm = manager_client.get(_url(ended, "followup_send"))
    assert "Send the follow-up now?" in confirm.content.decode()
    assert not FanoutJob.objects.exists()

    response = manager_client.post(_url(ended, "followup_send"), follow=True)

    assert "The follow-up is going out: 1 to those who attended, 1 to those who did not" in (
        response.content.decode()
    )
    assert "Sending the follow-up to registrants" in response.content.decode()
    run_fanout_jobs()
    assert Message.objects.filter(kind__in=followup.FOLLOWUP_KINDS).count() == 2


def test_new_material_is_offered_with_a_confirmation(ended, manager_client, run_fanout_jobs):
    followup.start(event=ended)
    run_fanout_jobs()
    report = ResourceFactory(event=ended, kind=Resource.Kind.REPORT, title="The report")

    page = manager_client.get(_url(ended)).content.decode()
    assert "New since the follow-up" in page
    assert "Tell the 2 people who had the follow-up" in page

    assert manager_client.get(_url(ended, "followup_note", report.pk)).status_code == 200
    assert not FanoutJob.objects.filter(name="followup_update").exists()
    manager_client.post(_url(ended, "followup_note", report.pk))
    run_fanout_jobs()
    assert Message.objects.filter(kind="followup_update").count() == 2


def test_settings_for_sending_by_itself_are_saved(ended, manager_client):
    response = manager_client.post(
        _url(ended),
        {"settings-followup_on_recording": "on", "settings-followup_delay_hours": "24"},
    )

    assert response.status_code == 302
    ended.refresh_from_db()
    assert (ended.followup_on_recording, ended.followup_delay_hours) == (True, 24)
    assert ended.followup_include_invitees is False


def test_another_teams_event_is_not_found_and_a_viewer_only_looks(
    ended, client, outsider, organization, settings
):
    settings.SESSION_COOKIE_AGE = 365 * 24 * 3600
    client.force_login(outsider)
    assert client.get(_url(ended)).status_code == 404
    assert client.post(_url(ended, "followup_send")).status_code == 404

    viewer = MembershipFactory(organization=organization, role=Membership.Role.VIEWER).user
    client.force_login(viewer)
    page = client.get(_url(ended))
    assert page.status_code == 200
    assert "Send follow-up" not in page.content.decode()
    assert client.post(_url(ended, "followup_send")).status_code == 403
    assert client.post(_url(ended), {"settings-followup_delay_hours": "1"}).status_code == 403
    assert not FanoutJob.objects.exists()


def test_before_the_end_the_page_says_so_and_offers_no_button(briefing, manager_client):
    page = manager_client.get(_url(briefing)).content.decode()

    assert "it has not ended yet" in page
    assert _url(briefing, "followup_send") not in page
