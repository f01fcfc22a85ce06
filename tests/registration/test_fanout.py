"""Telling many registrants never blocks the organizer: a change writes one job row and returns;
a worker writes the messages, once each, and the page shows how far it got."""

import dataclasses
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from kombu.exceptions import OperationalError

from events.audit import SYSTEM
from events.services import cancel_event, update_event
from notifications import jobs, tasks
from notifications import services as outbox
from notifications.models import FanoutJob, Message
from registration.models import Registration

pytestmark = pytest.mark.django_db


def _confirmed(event, count):
    return Registration.objects.bulk_create(
        Registration(
            event=event, email=f"delegate{n}@mission.example", first_name="Delegate",
            last_name=str(n), attendance_mode="in_person", status="confirmed",
            consent_at=event.created_at, ticket_code=f"CODE{event.pk}X{n}",
        )
        for n in range(count)
    )  # fmt: skip


def _queries_to_move(event):
    with CaptureQueriesContext(connection) as queries:
        update_event(actor=SYSTEM, event=event, starts_at=event.starts_at + timedelta(hours=1),
                     ends_at=event.ends_at + timedelta(hours=1))  # fmt: skip
    return len(queries)


def test_a_time_change_writes_one_job_and_no_message_whatever_the_registrants(organization):
    from tests.factories import EventFactory

    small, large = EventFactory(organization=organization), EventFactory(organization=organization)
    _confirmed(small, 3)
    _confirmed(large, 300)

    assert _queries_to_move(small) == _queries_to_move(large)
    assert not Message.objects.filter(kind="event_updated").exists()
    job = FanoutJob.objects.get(event=large)
    assert (job.name, job.status) == ("event_updated", FanoutJob.Status.QUEUED)


def test_the_job_tells_each_confirmed_registrant_once_however_often_it_runs(
    event, register, run_fanout_jobs
):
    confirmed = [register(event) for _ in range(3)]
    update_event(actor=SYSTEM, event=event, venue_name="Trusteeship Council Chamber")
    job = FanoutJob.objects.get()

    assert run_fanout_jobs() == 3
    assert jobs.run(job.pk) is None  # done: nobody takes it again
    FanoutJob.objects.filter(pk=job.pk).update(status=FanoutJob.Status.QUEUED)
    jobs.run(job.pk)  # a redelivered task

    rows = Message.objects.filter(kind="event_updated")
    assert sorted(rows.values_list("related_id", flat=True)) == sorted(r.pk for r in confirmed)
    job.refresh_from_db()
    assert (job.status, job.total, job.done) == (FanoutJob.Status.DONE, 3, 3)


def test_each_change_is_told_and_the_message_says_the_time_as_it_is_when_sent(
    event, register, run_fanout_jobs, settings
):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    from django.core import mail

    register(event)
    first_start = event.starts_at
    update_event(actor=SYSTEM, event=event, starts_at=first_start + timedelta(hours=1),
                 ends_at=event.ends_at + timedelta(hours=1))  # fmt: skip
    run_fanout_jobs()
    with mock.patch("django.utils.timezone.now", return_value=event.updated_at + timedelta(2)):
        update_event(actor=SYSTEM, event=event, starts_at=first_start + timedelta(hours=2),
                     ends_at=event.ends_at + timedelta(hours=1))  # fmt: skip
    run_fanout_jobs()

    rows = Message.objects.filter(kind="event_updated")
    assert rows.count() == 2  # one per change: the dedupe key carries the revision
    outbox.send_messages(list(rows.values_list("pk", flat=True)))
    latest = (first_start + timedelta(hours=2)).astimezone(event.tzinfo).strftime("%H:%M")
    assert all(f", {latest}–" in sent.body for sent in mail.outbox)


def test_cancelling_tells_every_active_registrant_through_a_job(
    organization, register, run_fanout_jobs
):
    from tests.factories import EventFactory

    event = EventFactory(organization=organization, capacity_in_person=1, waitlist_enabled=True)
    confirmed, waitlisted = register(event), register(event)

    cancel_event(actor=SYSTEM, event=event)
    assert not Message.objects.filter(kind="event_cancelled").exists()
    run_fanout_jobs()

    told = Message.objects.filter(kind="event_cancelled").values_list("related_id", flat=True)
    assert sorted(told) == sorted([confirmed.pk, waitlisted.pk])


def test_a_job_made_while_the_broker_is_down_is_queued_by_the_sweep(
    event, register, django_capture_on_commit_callbacks, time_machine
):
    register(event)
    with (
        mock.patch.object(
            tasks.run_fanout_job, "apply_async", side_effect=OperationalError("down")
        ) as publish,
        django_capture_on_commit_callbacks(execute=True),
    ):
        update_event(actor=SYSTEM, event=event, venue_name="Trusteeship Council Chamber")
    assert publish.called
    job = FanoutJob.objects.get()
    assert job.status == FanoutJob.Status.QUEUED

    with mock.patch.object(tasks.run_fanout_job, "apply_async") as publish:
        jobs.requeue_stalled()
        assert not publish.called  # not yet: it may still be on its way
        time_machine.move_to(job.updated_at + timedelta(minutes=2))
        tasks.sweep_fanout_jobs()

    publish.assert_called_once_with((job.pk,), retry=False)


def test_a_job_whose_worker_died_is_taken_over_after_its_lease(event, register, time_machine):
    register(event)
    update_event(actor=SYSTEM, event=event, venue_name="Trusteeship Council Chamber")
    job = FanoutJob.objects.get()
    _token, claimed = jobs.claim(job.pk)  # a worker took it, then died
    assert claimed is not None

    assert jobs.run(job.pk) is None  # another worker leaves it while the lease holds
    time_machine.move_to(claimed.lease_expires_at + timedelta(seconds=1))
    assert jobs.run(job.pk) == 1

    assert Message.objects.filter(kind="event_updated").count() == 1


def test_a_failing_job_is_tried_again_then_given_up(event, register, settings):
    settings.FANOUT_MAX_ATTEMPTS = 2
    register(event)
    update_event(actor=SYSTEM, event=event, venue_name="Trusteeship Council Chamber")
    job = FanoutJob.objects.get()

    failing = dataclasses.replace(
        jobs.get("event_updated"), chunks=mock.Mock(side_effect=RuntimeError("database gone"))
    )
    with mock.patch.dict(jobs._fanouts, {"event_updated": failing}):
        jobs.run(job.pk)
        job.refresh_from_db()
        assert (job.status, job.attempts) == (FanoutJob.Status.QUEUED, 1)
        assert "database gone" in job.error
        jobs.run(job.pk)

    job.refresh_from_db()
    assert job.status == FanoutJob.Status.FAILED


def test_the_event_page_shows_the_progress_and_polls_until_done(
    event, register, client, manager, run_fanout_jobs
):
    register(event)
    update_event(actor=SYSTEM, event=event, venue_name="Trusteeship Council Chamber")
    client.force_login(manager)
    progress_url = reverse("outbox:fanout_progress", args=[event.slug])

    page = client.get(reverse("workspace:event_detail", args=[event.slug])).content.decode()
    assert "Telling confirmed registrants about the change" in page
    assert "Waiting for a worker" in page
    assert f'hx-get="{progress_url}"' in page

    run_fanout_jobs()
    partial = client.get(progress_url).content.decode()
    assert "1 message written to the outbox" in partial
    assert "hx-get" not in partial


def test_another_teams_progress_is_not_found(event, client, outsider):
    client.force_login(outsider)

    assert client.get(reverse("outbox:fanout_progress", args=[event.slug])).status_code == 404


def test_jobs_queued_before_a_cancellation_write_nothing_after_it(event, register, run_fanout_jobs):
    from registration import reminders

    register(event)
    update_event(actor=SYSTEM, event=event, venue_name="Trusteeship Council Chamber")
    reminders.send_now(event=event, key="P1D")
    cancel_event(actor=SYSTEM, event=event)

    run_fanout_jobs()

    kinds = set(Message.objects.values_list("kind", flat=True))
    assert "event_cancelled" in kinds
    assert not kinds & {"event_updated", "reminder"}
