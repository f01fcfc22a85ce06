"""Adding speakers on the new-event form, with JavaScript (in place) and without (a round trip
that saves nothing)."""

import pytest
from django.urls import reverse

from events.models import Event, Membership
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def organizer(organization):
    return MembershipFactory(organization=organization, role=Membership.Role.MANAGER).user


def _sign_in(page, live_server, user):
    page.goto(f"{live_server.url}{reverse('login')}?next={reverse('workspace:event_create')}")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()


def _fill_event(page):
    page.locator("#id_title").fill("Briefing on the Protection of Civilians")
    page.locator("#id_format").select_option("virtual")
    page.locator("#id_starts_at").fill("2030-11-12T10:00")
    page.locator("#id_ends_at").fill("2030-11-12T11:30")


def test_speaker_rows_are_added_in_place_and_saved_together(live_server, desktop, organizer):
    _sign_in(desktop, live_server, organizer)
    _fill_event(desktop)
    url_before = desktop.url

    speakers = desktop.locator('[data-formset="speakers"]')
    speakers.get_by_label("Name").nth(0).fill("Cho Hyun")
    speakers.get_by_role("button", name="Add another speaker").click()
    speakers.get_by_role("button", name="Add another speaker").click()

    assert desktop.url == url_before
    assert speakers.locator("fieldset").count() == 3
    new_row = speakers.locator("fieldset").nth(2)
    assert new_row.locator("input:not([type=hidden])").first.evaluate(
        "el => el === document.activeElement"
    )
    speakers.get_by_label("Name").nth(1).fill("Namie Di Razza")
    speakers.get_by_label("Name").nth(2).fill("Arthur Boutellis")
    desktop.get_by_role("button", name="Create draft").click()
    desktop.get_by_text("Event created as a draft.").wait_for()

    event = Event.objects.get()
    assert sorted(event.speakers.values_list("name", flat=True)) == [
        "Arthur Boutellis",
        "Cho Hyun",
        "Namie Di Razza",
    ]


def test_without_javascript_adding_a_row_keeps_what_was_typed(live_server, browser, organizer):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    _sign_in(page, live_server, organizer)
    _fill_event(page)
    speakers = page.locator('[data-formset="speakers"]')
    speakers.get_by_label("Name").nth(0).fill("Cho Hyun")

    speakers.get_by_role("button", name="Add another speaker").click()

    speakers = page.locator('[data-formset="speakers"]')
    assert speakers.locator("fieldset").count() == 2
    assert speakers.get_by_label("Name").nth(0).input_value() == "Cho Hyun"
    assert page.locator("#id_title").input_value() == "Briefing on the Protection of Civilians"
    assert page.url.endswith("#speakers-added")
    assert Event.objects.count() == 0
    speakers.get_by_label("Name").nth(1).fill("Namie Di Razza")
    page.get_by_role("button", name="Create draft").click()
    page.get_by_text("Event created as a draft.").wait_for()

    assert sorted(Event.objects.get().speakers.values_list("name", flat=True)) == [
        "Cho Hyun",
        "Namie Di Razza",
    ]
    context.close()
