"""The follow-up after the event: one note to those who came, another to those who did not,
each with the material its audience may see, the recording first; at most one each."""

from unittest import mock

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from events.audit import Actor
from events.models import Resource
from notifications import services as outbox
from notifications.models import FanoutJob, Message, Suppression
from registration import attendance, checkin, followup, services
from tests.factories import ResourceFactory

from .reminder_helpers import DAY, HOUR, text_and_html

pytestmark = pytest.mark.django_db
VIDEO = "https://webtv.un.org/en/asset/k1x/k1xyz"


@pytest.fixture
def mailbox(settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    return mail.outbox


@pytest.fixture
def audience(briefing, register):
    """Who registered for the briefing, and what they did."""
    people = {
        "door": register(briefing, email="door@mission.example", attendance_mode="in_person"),
        "online": register(briefing, email="online@mission.example", attendance_mode="virtual"),
        "absent": register(briefing, email="absent@mission.example", attendance_mode="virtual"),
        "cancelled": register(briefing, email="gone@mission.example", attendance_mode="virtual"),
    }
    services.cancel(actor=Actor.system("test"), registration=people["cancelled"])
    return people


@pytest.fixture
def after_the_event(briefing, audience, at):
    """The day after: one checked in at the door, one marked by the online attendance report."""
    at(-HOUR)
    checkin.check_in(
        actor=Actor.system("test"), event=briefing, ticket_code=audience["door"].ticket_code
    )
    at(DAY)
    report = SimpleUploadedFile("attendance.csv", b"email\nonline@mission.example\n")
    attendance.import_attendance(actor=Actor.system("test"), event=briefing, csv_file=report)
    return audience


@pytest.fixture
def material(briefing):
    kinds = [
        (Resource.Kind.REPORT, "Peacekeeping in Africa: the report", Resource.Audience.PUBLIC),
        (Resource.Kind.RECORDING, "Recording on UN Web TV", Resource.Audience.PUBLIC),
        (Resource.Kind.SLIDES, "Speakers' slides", Resource.Audience.REGISTRANTS),
        (Resource.Kind.PHOTOS, "Photos from the chamber", Resource.Audience.ATTENDEES),
    ]
    return {
        kind: ResourceFactory(
            event=briefing, kind=kind, title=title, audience=audience_,
            url=VIDEO if kind == Resource.Kind.RECORDING else f"https://ipinst.org/{kind}",
        )
        for kind, title, audience_ in kinds
    }  # fmt: skip


def _kinds_by_person(audience):
    rows = Message.objects.filter(kind__in=followup.FOLLOWUP_KINDS)
    by_id = {r.pk: name for name, r in audience.items()}
    return sorted((by_id[row.related_id], row.kind) for row in rows)


def _deliver():
    with mock.patch.object(outbox, "queue_for_sending"):
        ids = list(Message.objects.filter(kind__startswith="followup").values_list("pk", flat=True))
    outbox.send_messages(ids)


def test_those_who_came_and_those_who_did_not_each_get_their_own(
    briefing, after_the_event, run_fanout_jobs
):
    started = followup.start(event=briefing)
    assert (started.attended, started.absent, started.invited) == (2, 1, 0)
    assert not Message.objects.filter(kind__startswith="followup").exists()

    run_fanout_jobs()

    assert _kinds_by_person(after_the_event) == [
        ("absent", "followup_absent"),
        ("door", "followup_attended"),
        ("online", "followup_attended"),
    ]


def test_each_lists_what_its_audience_may_see_with_the_recording_first(
    briefing, after_the_event, material, run_fanout_jobs, mailbox
):
    followup.start(event=briefing)
    run_fanout_jobs()
    _deliver()

    came = next(m for m in mailbox if "door@" in m.to[0])
    missed = next(m for m in mailbox if "absent@" in m.to[0])
    came_text, came_html = text_and_html(came)
    missed_text, missed_html = text_and_html(missed)
    assert came.subject == "Thank you for joining us: Peacekeeping in Africa"
    assert missed.subject == "The recording and reports: Peacekeeping in Africa"
    assert f"Watch the full event video: {VIDEO}" in came_text
    assert came_html.index(VIDEO) < came_html.index("the report") < came_html.index("slides")
    assert "Photos from the chamber" in came_text and "Speakers' slides" in came_text
    assert "Watch the full event video" in missed_html and "We missed you" in missed_text
    assert "Speakers' slides" in missed_text
    assert "Photos from the chamber" not in missed_text + missed_html
    assert came.extra_headers.get("List-Unsubscribe") or came.message()["List-Unsubscribe"]
    assert "you registered for this event" in came_html


def test_each_registrant_gets_one_follow_up_whoever_asks_and_however_often(
    briefing, after_the_event, run_fanout_jobs
):
    followup.start(event=briefing)
    run_fanout_jobs()
    absent = after_the_event["absent"]
    absent.attended = True  # the report arrives late: they were there after all
    absent.save()

    again = followup.start(event=briefing)
    run_fanout_jobs()

    assert (again.attended, again.absent) == (0, 0)
    assert Message.objects.filter(related_id=absent.pk, kind__startswith="followup").count() == 1


def test_there_is_no_follow_up_before_the_end_nor_for_a_cancelled_event(briefing, at):
    from events.audit import SYSTEM
    from events.services import cancel_event

    at(HOUR)  # it has started, not ended
    with pytest.raises(followup.FollowupRefused, match="has not ended"):
        followup.start(event=briefing)
    at(-DAY)
    cancel_event(actor=SYSTEM, event=briefing)
    at(DAY)
    with pytest.raises(followup.FollowupRefused, match="cancelled"):
        followup.start(event=briefing)
    assert not FanoutJob.objects.filter(name="followup").exists()


def test_a_suppressed_address_gets_no_follow_up(briefing, after_the_event, run_fanout_jobs):
    Suppression.objects.create(email="absent@mission.example", reason="unsubscribed")

    followup.start(event=briefing)
    run_fanout_jobs()

    row = Message.objects.get(related_id=after_the_event["absent"].pk, kind="followup_absent")
    assert row.status == Message.Status.SUPPRESSED


def test_follow_ups_go_out_in_batches(
    briefing, after_the_event, run_fanout_jobs, mailbox, settings
):
    settings.OUTBOX_ESP_BATCH_SIZE = 50
    settings.OUTBOX_MERGE_FIELD_FORMAT = "%recipient.{}%"
    followup.start(event=briefing)
    run_fanout_jobs()

    _deliver()

    by_subject = {m.subject: m for m in mailbox}
    attended = by_subject["Thank you for joining us: Peacekeeping in Africa"]
    assert attended.anymail_test_params["is_batch_send"]
    assert len(attended.to) == 2
    assert set(attended.anymail_test_params["merge_headers"]) == {
        "door@mission.example",
        "online@mission.example",
    }


# --- By itself -----------------------------------------------------------------------------------


def test_it_goes_by_itself_once_a_recording_is_added_after_the_end(
    briefing, after_the_event, run_fanout_jobs
):
    briefing.followup_on_recording = True
    briefing.save()
    assert followup.start_due() == 0  # ended, but no recording yet

    ResourceFactory(event=briefing, kind=Resource.Kind.RECORDING)
    assert followup.start_due() == 1
    assert followup.start_due() == 0  # once
    run_fanout_jobs()

    assert len(_kinds_by_person(after_the_event)) == 3


def test_it_goes_by_itself_the_chosen_hours_after_the_end_within_a_day(
    briefing, audience, at, settings
):
    briefing.followup_delay_hours = 24
    briefing.save()

    at(3 * HOUR + 23 * HOUR)
    assert followup.start_due() == 0
    at(3 * HOUR + 49 * HOUR)  # a day and an hour late: beat was down too long
    assert followup.start_due() == 0
    at(3 * HOUR + 24 * HOUR)
    assert followup.start_due() == 1


# --- New material --------------------------------------------------------------------------------


def test_new_material_is_offered_and_goes_once_to_those_who_may_see_it(
    briefing, after_the_event, material, run_fanout_jobs
):
    followup.start(event=briefing)
    run_fanout_jobs()
    assert followup.new_material(briefing) == []
    photos = ResourceFactory(
        event=briefing, kind=Resource.Kind.PHOTOS, title="More photos",
        audience=Resource.Audience.ATTENDEES,
    )  # fmt: skip
    summary = ResourceFactory(
        event=briefing, kind=Resource.Kind.SUMMARY, title="Chair's summary",
        audience=Resource.Audience.REGISTRANTS,
    )  # fmt: skip

    offers = {item.resource: item for item in followup.new_material(briefing)}
    assert (offers[photos].reaches, offers[summary].reaches) == (2, 3)

    followup.send_new_material(resource=photos)
    with pytest.raises(followup.FollowupRefused, match="already"):
        followup.send_new_material(resource=photos)
    run_fanout_jobs()

    notes = Message.objects.filter(kind="followup_update")
    assert sorted(notes.values_list("to_email", flat=True)) == [
        "door@mission.example",
        "online@mission.example",
    ]
    assert {item.resource: item.noted for item in followup.new_material(briefing)} == {
        summary: False,
        photos: True,
    }


def test_a_note_about_new_material_reads_well(briefing, after_the_event, run_fanout_jobs, mailbox):
    followup.start(event=briefing)
    run_fanout_jobs()
    recording = ResourceFactory(event=briefing, kind=Resource.Kind.RECORDING, url=VIDEO)
    followup.send_new_material(resource=recording)
    run_fanout_jobs()

    _deliver()

    note = next(m for m in mailbox if m.subject == "New material: Peacekeeping in Africa")
    text, html = text_and_html(note)
    assert "Since our follow-up, the organizers have added new material" in text
    assert VIDEO in text and "Watch the full event video" in html


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("reminder", "A reminder of the event you registered for."),
        ("followup_attended", "Thank you for joining us"),
        ("followup_absent", "We missed you"),
        ("followup_invited", "You were invited to this event"),
    ],
)
def test_organizers_preview_the_reminder_and_follow_ups_with_their_own_intro(
    briefing, material, kind, expected
):
    from notifications import templates_service

    standard = templates_service.preview_message(event=briefing, kind=kind)
    own = templates_service.preview_message(
        event=briefing, kind=kind, texts={"subject": "", "intro": "See you, {first_name}."}
    )

    assert expected in standard.text and "Ms. Zetterlund" in standard.text
    assert "See you, Kristina." in own.text and expected not in own.text
