from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from events.models import Event, Membership, Speaker
from tests.factories import EventFactory, MembershipFactory, SpeakerFactory

FORMSET_PREFIXES = ("hosts", "speakers", "sessions", "resources")


def event_form_data(**fields):
    """A valid POST for the event form: an in-person conference in New York, no inline rows."""
    data = {
        "title": "Peacekeeping in Africa: Fostering Partnership",
        "summary": "A half-day conference followed by a working lunch.",
        "format": Event.Format.IN_PERSON,
        "language": "en",
        "timezone": "America/New_York",
        "starts_at": "2030-11-12T10:00",
        "ends_at": "2030-11-12T13:00",
        "venue_name": "ECOSOC Chamber",
        "venue_address": "United Nations Headquarters, New York",
        "visibility": Event.Visibility.PUBLIC,
        "waitlist_enabled": "on",
    }
    for prefix in FORMSET_PREFIXES:
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    data.update(fields)
    return data


def edit_form_data(event, **fields):
    """What the edit page posts back for `event` when nothing else is touched."""

    def local(value):
        return value.astimezone(event.tzinfo).strftime("%Y-%m-%dT%H:%M:%S")

    current = {
        "title": event.title,
        "timezone": event.timezone,
        "starts_at": local(event.starts_at),
        "ends_at": local(event.ends_at),
        "venue_name": event.venue_name,
        "venue_address": event.venue_address,
    }
    return event_form_data(**(current | fields))


def member(organization, role):
    return MembershipFactory(organization=organization, role=role).user


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def draft(organization):
    return EventFactory(organization=organization, draft=True)


@pytest.mark.parametrize(
    ("name", "needs_slug"),
    [
        ("workspace:event_list", False),
        ("workspace:event_create", False),
        ("workspace:event_detail", True),
        ("workspace:event_edit", True),
        ("workspace:event_cancel", True),
    ],
)
def test_workspace_pages_send_anonymous_visitors_to_sign_in(client, event, name, needs_slug):
    url = reverse(name, kwargs={"slug": event.slug} if needs_slug else None)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_sign_in_page_shows_labelled_fields(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert b'<label for="id_username">' in response.content
    assert b'<label for="id_password">' in response.content


def test_event_list_shows_only_my_organizations_events(manager_client, event):
    stranger_event = EventFactory(title="Someone else's briefing")

    response = manager_client.get(reverse("workspace:event_list"))

    assert event.title in response.text
    assert stranger_event.title not in response.text


def test_event_list_shows_start_in_the_events_own_zone(manager_client, organization):
    EventFactory(
        organization=organization,
        timezone="Europe/Zurich",
        starts_at=datetime(2030, 7, 22, 8, 0, tzinfo=UTC),
        ends_at=datetime(2030, 7, 22, 10, 0, tzinfo=UTC),
    )

    response = manager_client.get(reverse("workspace:event_list"))

    assert "22 Jul 2030, 10:00" in response.text


def test_event_list_without_events_invites_creating_the_first(manager_client):
    response = manager_client.get(reverse("workspace:event_list"))

    assert "No events yet — create your first event" in response.text
    assert reverse("workspace:event_create") in response.text


def test_viewer_is_not_offered_a_new_event_button(client, organization):
    client.force_login(member(organization, Membership.Role.VIEWER))

    response = client.get(reverse("workspace:event_list"))

    assert reverse("workspace:event_create") not in response.text


def test_event_list_pages_by_25(manager_client, organization):
    EventFactory.create_batch(26, organization=organization)

    first = manager_client.get(reverse("workspace:event_list"))
    second = manager_client.get(reverse("workspace:event_list"), {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 1


def test_event_list_puts_upcoming_events_before_past_ones(manager_client, organization):
    now = datetime.now(UTC)
    past = EventFactory(
        organization=organization,
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=3) + timedelta(hours=2),
    )
    later = EventFactory(organization=organization, starts_at=now + timedelta(days=60))
    sooner = EventFactory(organization=organization, starts_at=now + timedelta(days=2))

    response = manager_client.get(reverse("workspace:event_list"))

    assert list(response.context["page"].object_list) == [sooner, later, past]


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "workspace:event_detail"),
        ("get", "workspace:event_edit"),
        ("post", "workspace:event_edit"),
        ("post", "workspace:event_publish"),
        ("get", "workspace:event_cancel"),
        ("post", "workspace:event_cancel"),
    ],
)
def test_another_organizations_event_is_not_found(client, outsider, draft, method, name):
    client.force_login(outsider)

    response = getattr(client, method)(reverse(name, kwargs={"slug": draft.slug}))

    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == Event.Status.DRAFT


@pytest.mark.parametrize("role", [Membership.Role.VIEWER, Membership.Role.CHECK_IN])
@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "workspace:event_edit"),
        ("post", "workspace:event_edit"),
        ("post", "workspace:event_publish"),
        ("get", "workspace:event_cancel"),
        ("post", "workspace:event_cancel"),
    ],
)
def test_viewer_and_check_in_staff_may_not_change_the_event(
    client, organization, draft, role, method, name
):
    client.force_login(member(organization, role))

    response = getattr(client, method)(reverse(name, kwargs={"slug": draft.slug}))

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Event.Status.DRAFT


@pytest.mark.parametrize("role", [Membership.Role.VIEWER, Membership.Role.CHECK_IN])
def test_viewer_and_check_in_staff_see_the_overview_without_actions(
    client, organization, draft, role
):
    client.force_login(member(organization, role))

    response = client.get(reverse("workspace:event_detail", kwargs={"slug": draft.slug}))

    assert response.status_code == 200
    assert reverse("workspace:event_edit", kwargs={"slug": draft.slug}) not in response.text
    assert reverse("workspace:event_publish", kwargs={"slug": draft.slug}) not in response.text


def test_overview_links_the_public_page_and_calendar_file(manager_client, event):
    response = manager_client.get(reverse("workspace:event_detail", kwargs={"slug": event.slug}))

    assert event.get_absolute_url() in response.text
    assert reverse("events:calendar", kwargs={"slug": event.slug}) in response.text


def test_creating_an_event_reads_times_in_the_events_zone(manager_client, organization):
    response = manager_client.post(
        reverse("workspace:event_create"), event_form_data(organization=organization.pk)
    )

    event = Event.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("workspace:event_detail", kwargs={"slug": event.slug})
    assert event.starts_at == datetime(2030, 11, 12, 15, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2030, 11, 12, 18, 0, tzinfo=UTC)
    assert event.status == Event.Status.DRAFT


def test_edit_page_shows_stored_times_in_the_events_zone(manager_client, organization):
    event = EventFactory(
        organization=organization,
        timezone="America/New_York",
        starts_at=datetime(2030, 7, 22, 14, 0, tzinfo=UTC),
        ends_at=datetime(2030, 7, 22, 16, 0, tzinfo=UTC),
    )

    response = manager_client.get(reverse("workspace:event_edit", kwargs={"slug": event.slug}))

    assert 'value="2030-07-22T10:00"' in response.text
    assert 'value="2030-07-22T12:00"' in response.text


def test_a_time_the_clocks_skip_is_refused(manager_client, organization):
    response = manager_client.post(
        reverse("workspace:event_create"),
        event_form_data(organization=organization.pk, starts_at="2030-03-10T02:30"),
    )

    assert response.status_code == 200
    assert "does not exist in America/New_York" in response.text
    assert not Event.objects.exists()


def test_invalid_event_shows_errors_beside_fields_and_writes_nothing(manager_client, organization):
    data = event_form_data(
        organization=organization.pk,
        starts_at="2030-11-12T13:00",
        ends_at="2030-11-12T10:00",
        venue_name="",
        **{"speakers-TOTAL_FORMS": "1", "speakers-0-name": "Cho Hyun", "speakers-0-order": "1"},
        **{"speakers-0-role": Speaker.Role.OPENING_REMARKS},
    )

    response = manager_client.post(reverse("workspace:event_create"), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["ends_at"] == ["The event must end after it starts."]
    assert form.errors["venue_name"] == ["An in-person or hybrid event needs a venue."]
    assert 'aria-describedby="id_ends_at_error"' in response.text
    assert 'id="id_ends_at_error"' in response.text
    assert "field--error" in response.text
    assert not Event.objects.exists()
    assert not Speaker.objects.exists()


def test_organizer_cannot_create_an_event_for_a_team_they_only_view(client, organization):
    user = member(organization, Membership.Role.VIEWER)
    MembershipFactory(user=user, role=Membership.Role.MANAGER)
    client.force_login(user)

    response = client.post(
        reverse("workspace:event_create"), event_form_data(organization=organization.pk)
    )

    assert "organization" in response.context["form"].errors
    assert not Event.objects.exists()


def test_user_without_a_managing_role_cannot_open_the_create_page(client, organization):
    client.force_login(member(organization, Membership.Role.VIEWER))

    response = client.get(reverse("workspace:event_create"))

    assert response.status_code == 403


def test_a_taken_slug_gets_a_suffix(manager_client, organization):
    EventFactory(organization=organization, slug="peacekeeping-in-africa-fostering-partnership")

    manager_client.post(
        reverse("workspace:event_create"), event_form_data(organization=organization.pk)
    )

    assert Event.objects.filter(slug="peacekeeping-in-africa-fostering-partnership-2").exists()


def test_moving_the_start_grows_the_calendar_sequence(manager_client, event):
    later = event.starts_at.astimezone(event.tzinfo) + timedelta(hours=1)
    data = edit_form_data(event, starts_at=later.strftime("%Y-%m-%dT%H:%M:%S"))

    response = manager_client.post(
        reverse("workspace:event_edit", kwargs={"slug": event.slug}), data
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.sequence == 1
    assert event.starts_at == later


def test_changing_only_the_title_keeps_the_calendar_sequence(manager_client, event):
    data = edit_form_data(event, title="A renamed briefing")

    manager_client.post(reverse("workspace:event_edit", kwargs={"slug": event.slug}), data)

    event.refresh_from_db()
    assert event.title == "A renamed briefing"
    assert event.sequence == 0


def test_formset_adds_a_speaker_with_honorific_role_and_order(manager_client, event):
    data = edit_form_data(
        event,
        **{
            "speakers-TOTAL_FORMS": "1",
            "speakers-0-honorific": "H.E. Mr.",
            "speakers-0-name": "Cho Hyun",
            "speakers-0-position": "Permanent Representative of the Republic of Korea to the UN",
            "speakers-0-role": Speaker.Role.OPENING_REMARKS,
            "speakers-0-order": "1",
        },
    )

    manager_client.post(reverse("workspace:event_edit", kwargs={"slug": event.slug}), data)

    speaker = event.speakers.get()
    assert speaker.full_name == "H.E. Mr. Cho Hyun"
    assert speaker.role == Speaker.Role.OPENING_REMARKS
    assert speaker.order == 1


def test_formset_removes_a_speaker_marked_for_deletion(manager_client, event):
    speaker = SpeakerFactory(event=event)
    data = edit_form_data(
        event,
        **{
            "speakers-TOTAL_FORMS": "1",
            "speakers-INITIAL_FORMS": "1",
            "speakers-0-id": str(speaker.pk),
            "speakers-0-name": speaker.name,
            "speakers-0-role": speaker.role,
            "speakers-0-order": str(speaker.order),
            "speakers-0-DELETE": "on",
        },
    )

    manager_client.post(reverse("workspace:event_edit", kwargs={"slug": event.slug}), data)

    assert not event.speakers.exists()


def test_session_times_are_read_in_the_events_zone(manager_client, event):
    data = edit_form_data(
        event,
        **{
            "sessions-TOTAL_FORMS": "1",
            "sessions-0-title": "Working lunch",
            "sessions-0-starts_at": "2030-11-12T13:15",
            "sessions-0-ends_at": "2030-11-12T14:45",
        },
    )

    manager_client.post(reverse("workspace:event_edit", kwargs={"slug": event.slug}), data)

    assert event.sessions.get().starts_at == datetime(2030, 11, 12, 18, 15, tzinfo=UTC)


def test_publishing_by_post_makes_the_draft_public(manager_client, draft):
    response = manager_client.post(
        reverse("workspace:event_publish", kwargs={"slug": draft.slug}), follow=True
    )

    draft.refresh_from_db()
    assert draft.status == Event.Status.PUBLISHED
    assert "Published. The event page is now public." in response.text


def test_get_to_the_publish_address_changes_nothing(manager_client, draft):
    response = manager_client.get(reverse("workspace:event_publish", kwargs={"slug": draft.slug}))

    assert response.status_code == 405
    draft.refresh_from_db()
    assert draft.status == Event.Status.DRAFT


def test_publishing_a_published_event_explains_why_not(manager_client, event):
    response = manager_client.post(
        reverse("workspace:event_publish", kwargs={"slug": event.slug}), follow=True
    )

    assert "Only a draft can be published" in response.text


def test_cancel_page_asks_for_confirmation_and_changes_nothing(manager_client, event):
    response = manager_client.get(reverse("workspace:event_cancel", kwargs={"slug": event.slug}))

    assert response.status_code == 200
    assert event.title in response.text
    assert "Yes, cancel the event" in response.text
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_cancelling_by_post_cancels_the_event(manager_client, event):
    response = manager_client.post(
        reverse("workspace:event_cancel", kwargs={"slug": event.slug}), follow=True
    )

    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert event.sequence == 1
    assert "Cancelled." in response.text


def test_event_text_is_escaped(manager_client, organization):
    event = EventFactory(organization=organization, title="<script>alert(1)</script>")

    response = manager_client.get(reverse("workspace:event_detail", kwargs={"slug": event.slug}))

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
