"""Online attendance from the real reports of Zoom, Microsoft Teams and Webex (samples in
attendance_samples/), any CSV with a picked column, and a preview before anyone is marked."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.audit import Actor
from events.models import Membership
from registration import attendance, services
from registration.models import AttendanceUpload, Registration
from tests.factories import MembershipFactory

SAMPLES = Path(__file__).parent / "attendance_samples"


def sample(name):
    return (SAMPLES / name).read_bytes()


def upload(content, name="attendance.csv"):
    if isinstance(content, str):
        content = content.encode()
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture
def online(hybrid_event, register):
    """Two confirmed online registrants, one in person, and one online who cancelled."""
    cancelled = register(hybrid_event, email="gone@mission.example", attendance_mode="virtual")
    services.cancel(actor=Actor.system("test"), registration=cancelled)
    return {
        "ana": register(
            hybrid_event, email="ana.silva@itamaraty.gov.br", attendance_mode="virtual"
        ),
        "kofi": register(hybrid_event, email="kofi@mission.example", attendance_mode="virtual"),
        "in_person": register(hybrid_event, email="door@mission.example"),
        "cancelled": cancelled,
    }


def attended(online):
    return {
        name: Registration.objects.get(pk=registration.pk).attended
        for name, registration in online.items()
    }


def emails(registrations):
    return [registration.email for registration in registrations]


# --- Each platform's own report -------------------------------------------------------------


def test_zoom_report_with_its_meeting_summary_reads_the_participants(hybrid_event, online):
    report = attendance.parse_report(sample("zoom_participants_with_meeting_data.csv"))
    plan = attendance.plan(event=hybrid_event, report=report)

    assert (report.platform, report.email_header) == ("zoom", "User Email")
    assert len(report.rows) == 6  # the summary's own "User Email" (the host's) is not a row
    assert emails(plan.to_mark) == ["ana.silva@itamaraty.gov.br", "kofi@mission.example"]
    assert emails(plan.not_online) == ["door@mission.example"]
    assert plan.not_registered == ["events@ipinst.org"]
    assert plan.without_email == ["iPhone de Mariam"]
    assert plan.errors == []


def test_zoom_report_without_meeting_data_in_its_newer_spelling(hybrid_event, online):
    report = attendance.parse_report(sample("zoom_participants.csv"))
    plan = attendance.plan(event=hybrid_event, report=report)

    assert (report.platform, report.email_header) == ("zoom", "Email")
    assert emails(plan.to_mark) == ["ana.silva@itamaraty.gov.br", "kofi@mission.example"]
    assert plan.without_email == ["Guest 3"]


def test_teams_report_reads_only_its_participants_section(hybrid_event, online):
    report = attendance.parse_report(sample("teams_attendance_report.csv"))
    plan = attendance.plan(event=hybrid_event, report=report)

    assert (report.platform, report.email_header) == ("teams", "Email")
    assert len(report.rows) == 5
    assert emails(plan.to_mark) == ["ana.silva@itamaraty.gov.br", "kofi@mission.example"]
    assert plan.not_registered == ["events@ipinst.org", "m.ivanova@mid.example"]
    # "3. In-Meeting Activities" lists someone.else@…, who is not among the participants.
    assert "someone.else@example.org" not in plan.not_registered


def test_webex_report_in_utf16_with_attendee_email(hybrid_event, online):
    report = attendance.parse_report(sample("webex_attendee_report.csv"))
    plan = attendance.plan(event=hybrid_event, report=report)

    assert (report.platform, report.email_header) == ("webex", "Attendee Email")
    assert emails(plan.to_mark) == ["ana.silva@itamaraty.gov.br", "kofi@mission.example"]
    assert plan.not_registered == ["li.wei@mission-of-china.example"]
    assert plan.without_email == ["Call-in User_1"]


def test_another_platforms_file_needs_its_column_picked(hybrid_event, online):
    unpicked = attendance.parse_report(sample("other_platform.csv"))
    picked = attendance.parse_report(sample("other_platform.csv"), column="Work address")
    by_number = attendance.parse_report(sample("other_platform.csv"), column="3")

    assert unpicked.platform == "" and unpicked.email_column is None
    assert unpicked.headers == ["Participant", "Organisation", "Work address", "Minutes"]
    assert picked.email_column == by_number.email_column == 2
    plan = attendance.plan(event=hybrid_event, report=picked)
    assert emails(plan.to_mark) == ["ana.silva@itamaraty.gov.br", "kofi@mission.example"]


def test_a_column_the_file_does_not_have_is_refused_naming_the_columns(hybrid_event):
    with pytest.raises(ValidationError) as error:
        attendance.parse_report(sample("other_platform.csv"), column="Email")

    assert "Work address" in error.value.message_dict["column"][0]


# --- Marking ---------------------------------------------------------------------------------


def test_import_marks_only_confirmed_online_registrants(hybrid_event, online):
    result = attendance.import_attendance(
        actor=Actor.system("test"),
        event=hybrid_event,
        csv_file=upload(
            "Name,Email,Duration\n"
            "Ana Silva,ANA.SILVA@itamaraty.gov.br,54\n"
            "Door,door@mission.example,3\n"
            "Gone,gone@mission.example,12\n"
        ),
    )

    assert attended(online) == {"ana": True, "kofi": False, "in_person": False, "cancelled": False}
    assert (result["rows"], result["marked"], result["already"]) == (3, 1, 0)
    assert result["unknown"] == ["door@mission.example", "gone@mission.example"]
    assert result["not_online"] == ["door@mission.example", "gone@mission.example"]


def test_a_dry_run_marks_nobody(hybrid_event, online):
    result = attendance.import_attendance(
        actor=Actor.system("test"),
        event=hybrid_event,
        csv_file=upload(sample("teams_attendance_report.csv")),
        dry_run=True,
    )

    assert (result["marked"], result["dry_run"]) == (2, True)
    assert not any(attended(online).values())


def test_importing_the_same_report_again_changes_nothing(hybrid_event, online):
    text = "email\nana.silva@itamaraty.gov.br\nkofi@mission.example\n"
    attendance.import_attendance(
        actor=Actor.system("test"), event=hybrid_event, csv_file=upload(text)
    )

    again = attendance.import_attendance(
        actor=Actor.system("test"), event=hybrid_event, csv_file=upload(text)
    )

    assert (again["marked"], again["already"]) == (0, 2)


def test_bad_addresses_are_reported_and_good_rows_applied(hybrid_event, online):
    result = attendance.import_attendance(
        actor=Actor.system("test"),
        event=hybrid_event,
        csv_file=upload(
            "name,email\nAna,ana.silva@itamaraty.gov.br\nTypo,kofi at mission.example\n"
        ),
    )

    assert result["marked"] == 1
    assert result["errors"] == [
        {"row": 3, "message": "“kofi at mission.example” is not an email address."}
    ]


def test_a_file_saved_by_a_spreadsheet_in_the_windows_code_page_is_read(hybrid_event, online):
    result = attendance.import_attendance(
        actor=Actor.system("test"),
        event=hybrid_event,
        csv_file=upload("email;nom\nkofi@mission.example;Kofi Mensah Ée\n".encode("cp1252")),
    )

    assert result["marked"] == 1


def test_a_file_without_a_column_of_addresses_asks_for_one(hybrid_event, online):
    with pytest.raises(ValidationError) as error:
        attendance.import_attendance(
            actor=Actor.system("test"), event=hybrid_event, csv_file=upload("Name,Minutes\nAna,3\n")
        )

    assert "Name, Minutes" in error.value.message_dict["column"][0]


def test_import_over_the_row_limit_is_refused_and_changes_nothing(hybrid_event, online):
    rows = "".join(f"guest{n}@example.org\n" for n in range(attendance.MAX_IMPORT_ROWS))

    with pytest.raises(ValidationError) as error:
        attendance.import_attendance(
            actor=Actor.system("test"),
            event=hybrid_event,
            csv_file=upload("email\nana.silva@itamaraty.gov.br\n" + rows),
        )

    assert "50,000 rows" in error.value.message_dict["file"][0]
    assert attended(online)["ana"] is False


def test_import_over_five_megabytes_is_refused(hybrid_event):
    with pytest.raises(ValidationError) as error:
        attendance.import_attendance(
            actor=Actor.system("test"),
            event=hybrid_event,
            csv_file=upload("email\n" + "x" * (attendance.MAX_IMPORT_BYTES + 1)),
        )

    assert "5 MB" in error.value.message_dict["file"][0]


# --- The workspace: upload, preview, confirm ---------------------------------------------------


@pytest.fixture
def manager_client(client, organization):
    client.force_login(
        MembershipFactory(organization=organization, role=Membership.Role.MANAGER).user
    )
    return client


def test_uploading_shows_a_preview_and_marks_nobody(manager_client, hybrid_event, online):
    page = manager_client.post(
        reverse("checkin:attendance", kwargs={"slug": hybrid_event.slug}),
        {"file": upload(sample("zoom_participants_with_meeting_data.csv"), "zoom.csv")},
        follow=True,
    )

    content = page.content.decode()
    assert "read as a Zoom participant report, 6 participant rows" in content
    assert "Mark 2 registrants as attended" in content
    for shown in ("ana.silva@itamaraty.gov.br", "door@mission.example", "events@ipinst.org"):
        assert shown in content
    assert "iPhone de Mariam" in content
    assert not any(attended(online).values())


def test_confirming_the_preview_marks_and_forgets_the_file(manager_client, hybrid_event, online):
    manager_client.post(
        reverse("checkin:attendance", kwargs={"slug": hybrid_event.slug}),
        {"file": upload(sample("webex_attendee_report.csv"), "webex.csv")},
    )
    kept = AttendanceUpload.objects.get()
    preview = reverse(
        "checkin:attendance_preview", kwargs={"slug": hybrid_event.slug, "upload_id": kept.pk}
    )

    page = manager_client.post(preview, {"column": "2"}, follow=True)

    assert "2 online registrants marked as attended." in page.content.decode()
    assert attended(online) == {"ana": True, "kofi": True, "in_person": False, "cancelled": False}
    kept.refresh_from_db()
    assert (kept.marked, bytes(kept.content), kept.column) == (2, b"", "Attendee Email")
    assert manager_client.post(preview, {"column": "2"}).status_code == 302  # once only


def test_the_column_picker_reads_another_platforms_file(manager_client, hybrid_event, online):
    manager_client.post(
        reverse("checkin:attendance", kwargs={"slug": hybrid_event.slug}),
        {"file": upload(sample("other_platform.csv"))},
    )
    preview = reverse(
        "checkin:attendance_preview",
        kwargs={"slug": hybrid_event.slug, "upload_id": AttendanceUpload.objects.get().pk},
    )

    unpicked = manager_client.get(preview).content.decode()
    picked = manager_client.get(preview, {"column": "3"}).content.decode()

    assert "No column of email addresses was recognised." in unpicked
    assert '<option value="3">Work address</option>' in unpicked
    assert "Mark 2 registrants as attended" in picked
    assert not any(attended(online).values())


def test_an_upload_that_is_not_a_report_is_refused_on_the_form(manager_client, hybrid_event):
    page = manager_client.post(
        reverse("checkin:attendance", kwargs={"slug": hybrid_event.slug}),
        {"file": upload(b"\xff\xfe\x00\xd8")},
    )

    assert page.status_code == 200
    assert "not text we can read" in page.content.decode()
    assert not AttendanceUpload.objects.exists()


def test_another_teams_upload_is_not_found(client, outsider, hybrid_event, manager_client):
    manager_client.post(
        reverse("checkin:attendance", kwargs={"slug": hybrid_event.slug}),
        {"file": upload(sample("zoom_participants.csv"))},
    )
    preview = reverse(
        "checkin:attendance_preview",
        kwargs={"slug": hybrid_event.slug, "upload_id": AttendanceUpload.objects.get().pk},
    )
    client.force_login(outsider)

    assert client.get(preview).status_code == 404
    assert client.post(preview).status_code == 404
