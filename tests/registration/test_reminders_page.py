"""The organizer's Reminders page: the schedule with what went and what is due, the offsets to
edit, and "send now" behind a confirmation."""

import pytest
from django.urls import reverse

from events.models import Membership
from notifications.models import FanoutJob, Message
from registration import reminders
from tests.factories import MembershipFactory

from .reminder_helpers import DAY, HOUR

pytestmark = pytest.mark.django_db


def _page(event):
    return reverse("schedule:reminders", args=[event.slug])


def _send(event, key):
    return reverse("schedule:reminder_send", args=[event.slug, key])


@pytest.fixture
def manager_client(client, manager, settings):
    settings.SESSION_COOKIE_AGE = 365 * 24 * 3600  # the tests travel weeks ahead
    client.force_login(manager)
    return client


def test_the_schedule_shows_each_reminder_its_time_and_what_went(
    briefing, register, manager_client, at
):
    first, second = register(briefing), register(briefing)
    at(-7 * DAY)
    reminders.send_due()
    Message.objects.filter(related_id=first.pk).update(status=Message.Status.SENT)
    register(briefing)  # registered after the 7-day reminder's time

    response = manager_client.get(_page(briefing))

    rows = {row.key: row for row in response.context["schedule"]}
    assert list(rows) == ["P7D", "P1D", "PT1H"]
    assert (rows["P7D"].sent, rows["P7D"].queued, rows["P7D"].state) == (1, 1, "due")
    assert rows["P1D"].still_due == 3 and rows["P1D"].state == "upcoming"
    assert rows["PT1H"].is_last
    page = response.content.decode()
    assert "7 days before" in page and "1 hour before" in page
    assert "Mon 11 Nov 2030, 10:00" in page  # the one-day reminder, in New York time
    assert second.pk  # silence: both registrants count above


def test_another_teams_event_is_not_found_and_a_viewer_cannot_send(
    briefing, client, outsider, organization
):
    client.force_login(outsider)
    assert client.get(_page(briefing)).status_code == 404

    viewer = MembershipFactory(organization=organization, role=Membership.Role.VIEWER).user
    client.force_login(viewer)
    page = client.get(_page(briefing))
    assert page.status_code == 200
    assert "Send now" not in page.content.decode()
    assert client.post(_send(briefing, "P1D")).status_code == 403
    assert client.post(_page(briefing), {}).status_code == 403
    assert not FanoutJob.objects.exists()


def _offsets_form(*rows):
    data = {
        "offsets-TOTAL_FORMS": str(len(rows)),
        "offsets-INITIAL_FORMS": "0",
        "offsets-MIN_NUM_FORMS": "0",
        "offsets-MAX_NUM_FORMS": "8",
    }
    for number, (amount, unit) in enumerate(rows):
        data |= {f"offsets-{number}-amount": amount, f"offsets-{number}-unit": unit}
    return data


def test_the_organizer_changes_the_reminders_in_plain_units(briefing, manager_client):
    response = manager_client.post(
        _page(briefing), _offsets_form(("2", "hours"), ("", "days"), ("3", "days"))
    )

    assert response.status_code == 302
    briefing.refresh_from_db()
    assert briefing.reminder_offsets == ["P3D", "PT2H"]


def test_the_same_reminder_twice_is_refused_and_nothing_changes(briefing, manager_client):
    response = manager_client.post(_page(briefing), _offsets_form(("1", "days"), ("24", "hours")))

    assert response.status_code == 200
    assert "two rows say the same" in response.content.decode()
    briefing.refresh_from_db()
    assert briefing.reminder_offsets == ["P7D", "P1D", "PT1H"]


def test_send_now_asks_first_then_sends_once_and_not_again_at_its_time(
    briefing, register, manager_client, run_fanout_jobs, at
):
    registration = register(briefing)
    at(-3 * DAY)

    confirm = manager_client.get(_send(briefing, "P1D"))
    assert confirm.status_code == 200
    assert "It goes now to 1 confirmed registrant" in confirm.content.decode()
    assert not FanoutJob.objects.exists()

    response = manager_client.post(_send(briefing, "P1D"))
    assert response.status_code == 302
    assert not Message.objects.filter(kind="reminder").exists()  # the worker writes them
    run_fanout_jobs()
    at(-DAY)
    reminders.send_due()

    assert list(Message.objects.filter(kind="reminder").values_list("dedupe_key", flat=True)) == [
        f"reminder:P1D:registration:{registration.pk}"
    ]


def test_no_reminder_is_sent_now_once_the_event_has_started(briefing, manager_client, at):
    at(HOUR)

    response = manager_client.post(_send(briefing, "PT1H"), follow=True)

    assert "The event has started" in response.content.decode()
    assert not FanoutJob.objects.exists()


def test_the_event_page_links_to_the_reminders(briefing, manager_client):
    page = manager_client.get(reverse("workspace:event_detail", args=[briefing.slug]))

    assert _page(briefing) in page.content.decode()
