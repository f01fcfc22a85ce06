"""The organizer's guest list in the workspace: who may see and do what, inviting, sending,
reminding, revoking, correcting and exporting."""

import pytest
from django.urls import reverse

from events.models import Membership
from invitations.models import Contact, ContactList, Invitation
from notifications.models import Message
from tests.factories import InvitationFactory, MembershipFactory


def _url(event, name="list", **kwargs):
    return reverse(f"guests:{name}", kwargs={"slug": event.slug, **kwargs})


@pytest.fixture
def organizer(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def viewer(client, organization):
    client.force_login(
        MembershipFactory(organization=organization, role=Membership.Role.VIEWER).user
    )
    return client


def test_another_teams_event_is_not_found(client, outsider, conference):
    client.force_login(outsider)

    for name in ("list", "invite", "send", "remind", "export"):
        assert client.get(_url(conference, name)).status_code == 404


def test_a_viewer_sees_the_list_but_may_not_act(viewer, conference):
    invitation = InvitationFactory(event=conference)

    page = viewer.get(_url(conference))

    assert page.status_code == 200
    assert invitation.email in page.text
    assert "/revoke/" not in page.text and 'action="/workspace' not in page.text
    assert viewer.get(_url(conference, "invite")).status_code == 403
    assert viewer.post(_url(conference, "send"), {"confirmed": "1"}).status_code == 403
    assert viewer.post(_url(conference, "revoke", invitation_id=invitation.pk)).status_code == 403
    assert viewer.get(_url(conference, "export")).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, conference):
    response = client.get(_url(conference))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_list_counts_filters_and_searches(organizer, conference):
    InvitationFactory(event=conference, first_name="Kofi", last_name="Mensah")
    InvitationFactory(event=conference, status="declined", decline_reason="Travelling.")
    InvitationFactory(event=conference, status="draft", organization_name="Mission of Norway")

    page = organizer.get(_url(conference))
    declined = organizer.get(_url(conference), {"status": "declined"})
    found = organizer.get(_url(conference), {"q": "norway"})

    assert "3 invitations" in page.text
    assert [i.state for i in declined.context["page"].object_list] == ["declined"]
    assert "“Travelling.”" in declined.text
    assert [i.organization_name for i in found.context["page"].object_list] == ["Mission of Norway"]


def test_an_empty_guest_list_says_how_to_begin(organizer, conference):
    page = organizer.get(_url(conference))

    assert "Nobody is invited yet." in page.text


def test_inviting_pasted_addresses_creates_drafts_and_reports_the_known_ones(organizer, conference):
    InvitationFactory(event=conference, email="known@mission.example")

    response = organizer.post(
        _url(conference, "invite"),
        {"addresses": "H.E. Ms. Anna Lindqvist <anna@gov.example>\nknown@mission.example\n",
         "seats": "1"},
        follow=True,
    )  # fmt: skip

    anna = Invitation.objects.get(email="anna@gov.example")
    assert (anna.honorific, anna.first_name, anna.last_name, anna.status) == (
        "H.E. Ms.",
        "Anna",
        "Lindqvist",
        "draft",
    )
    assert "1 invitation created." in response.text
    assert "1 address was invited already and left as it was: known@mission.example" in (
        response.text
    )


def test_a_bad_pasted_line_invites_nobody_and_names_the_line(organizer, conference):
    response = organizer.post(
        _url(conference, "invite"),
        {"addresses": "anna@gov.example\nnot an address\n", "seats": "1"},
    )

    assert response.status_code == 200
    assert "Line 2: “not an address” holds no valid email address." in response.text
    assert not Invitation.objects.exists()


def test_inviting_a_contact_list_with_the_lunch_and_sending_at_once(
    organizer, conference, mail_backend
):
    team = conference.organization
    focal_points = ContactList.objects.create(team=team, name="Focal points")
    for n in range(3):
        focal_points.contacts.add(
            Contact.objects.create(team=team, email=f"focal{n}@mission.example", language="fr")
        )
    lunch = conference.sessions.get()

    organizer.post(
        _url(conference, "invite"),
        {"contact_list": focal_points.pk, "seats": "2", "transferable": "on",
         "sessions": [lunch.pk], "send_now": "on"},
    )  # fmt: skip

    invitations = Invitation.objects.filter(event=conference)
    assert invitations.count() == 3
    assert {(i.seats, i.transferable, i.language, i.status) for i in invitations} == {
        (2, True, "fr", "sent")
    }
    assert all(list(i.sessions.all()) == [lunch] for i in invitations)
    assert Message.objects.filter(kind="invitation").count() == 3


def test_another_teams_contact_list_cannot_be_invited(organizer, conference):
    from tests.factories import OrganizationFactory

    theirs = ContactList.objects.create(team=OrganizationFactory(), name="Theirs")

    response = organizer.post(_url(conference, "invite"), {"contact_list": theirs.pk, "seats": "1"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Invitation.objects.exists()


def test_sending_asks_first_then_sends_every_draft(organizer, conference, mail_backend):
    InvitationFactory.create_batch(3, event=conference, status="draft")

    question = organizer.get(_url(conference, "send"))
    assert "Send 3 invitations?" in question.text
    assert not Message.objects.exists()

    organizer.post(_url(conference, "send"), {"confirmed": "1", "scope": "all"})

    assert Message.objects.filter(kind="invitation").count() == 3
    assert not Invitation.objects.filter(status="draft").exists()


def test_reminding_asks_first_and_counts_who_would_be_reminded(organizer, conference):
    InvitationFactory(event=conference)
    InvitationFactory(event=conference, status="declined")

    question = organizer.get(_url(conference, "remind"))
    assert "Remind 1 invitee?" in question.text
    assert not Message.objects.exists()

    organizer.post(_url(conference, "remind"), {"confirmed": "1"})

    assert Message.objects.filter(kind="invitation_reminder").count() == 1


def test_revoking_asks_first_and_returns_to_the_same_view(organizer, conference):
    invitation = InvitationFactory(event=conference)
    url = _url(conference, "revoke", invitation_id=invitation.pk)

    question = organizer.get(url, {"status": "sent"})
    invitation.refresh_from_db()
    assert invitation.status == "sent"
    assert "Revoke the invitation?" in question.text

    response = organizer.post(url + "?status=sent")

    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    assert response["Location"] == _url(conference) + "?status=sent"


def test_correcting_a_bounced_address_and_sending_again(organizer, conference, mail_backend):
    invitation = InvitationFactory(event=conference, delivery="bounced", email="old@x.example")

    organizer.post(
        _url(conference, "edit", invitation_id=invitation.pk),
        {"email": "new@x.example", "seats": "1", "last_name": invitation.last_name,
         "resend": "1"},
    )  # fmt: skip

    invitation.refresh_from_db()
    assert (invitation.email, invitation.delivery, invitation.times_sent) == (
        "new@x.example",
        "",
        2,
    )
    assert Message.objects.get(kind="invitation").to_email == "new@x.example"


def test_the_export_is_a_csv_of_the_guest_list_and_of_the_answers_by_organization(
    organizer, conference
):
    InvitationFactory(event=conference, organization_name="=HYPERLINK(1)", status="declined")

    rows = organizer.get(_url(conference, "export")).content.decode("utf-8-sig")
    by_organization = organizer.get(_url(conference, "export"), {"by": "organization"})

    assert rows.splitlines()[0].startswith("Email,Honorific,First name")
    assert "'=HYPERLINK(1)" in rows  # never a formula
    assert "Declined" in rows
    assert by_organization["Content-Type"].startswith("text/csv")
    assert "No answer" in by_organization.content.decode("utf-8-sig").splitlines()[0]


def test_the_event_overview_shows_the_funnel(organizer, conference):
    InvitationFactory(event=conference, organization_name="Permanent Mission of Ghana")

    page = organizer.get(reverse("workspace:event_detail", kwargs={"slug": conference.slug}))

    assert "Opened" in page.text and "unreliable" in page.text
    assert "By organization: who has answered" in page.text
    assert "Permanent Mission of Ghana" in page.text


def test_the_page_takes_the_same_number_of_queries_however_long_the_list(
    organizer, conference, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    InvitationFactory.create_batch(3, event=conference)
    with CaptureQueriesContext(connection) as few:
        organizer.get(_url(conference))
    InvitationFactory.create_batch(60, event=conference)
    with CaptureQueriesContext(connection) as many:
        organizer.get(_url(conference))

    assert len(many) == len(few)


def test_the_invitation_text_is_edited_and_previewed_with_a_sample_invitee(organizer, conference):
    url = reverse("outbox:template_edit", kwargs={"slug": conference.slug, "kind": "invitation"})

    response = organizer.post(
        url, {"subject": "You are invited: {event_title}", "intro": "Dear friends,", "preview": "1"}
    )

    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.subject == f"You are invited: {conference.title}"
    assert "Dear Ms. Zetterlund," in preview.text
    assert "Accept and register" in preview.text
    assert "events@ipinst.example" in preview.text


def test_the_events_contact_address_is_set_in_the_form_and_the_api(organizer, manager, conference):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(manager)

    response = api.patch(
        f"/api/v1/events/{conference.slug}/", {"contact_email": "rsvp@ipinst.example"},
        format="json",
    )  # fmt: skip
    form = organizer.get(reverse("workspace:event_edit", kwargs={"slug": conference.slug}))

    assert response.json()["contact_email"] == "rsvp@ipinst.example"
    assert 'value="rsvp@ipinst.example"' in form.text
