"""Registration and check-in with the keyboard alone (Tab, Shift+Tab, Space, Enter, typing; no
clicks), and every stop on the way shows where the focus is."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from events.models import Event, Membership
from registration.models import Registration
from tests.browser.sessions import sign_in
from tests.factories import EventFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    tag: element.tagName.toLowerCase(),
    name: element.id || element.getAttribute("name") || element.textContent.trim().slice(0, 40),
    focusVisible: element.matches(":focus-visible"),
    outline: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
  };
}"""


def tab_to(page, selector, *, backwards=False, most=80):
    """Press Tab (or Shift+Tab) until the focus is on `selector`; each stop on the way must show
    its focus (an outline of at least 2px, from :focus-visible)."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(most):
        page.keyboard.press(key)
        focus = page.evaluate(FOCUS)
        if focus["tag"] != "body":
            assert focus["focusVisible"], f"{focus['name']} is focused without :focus-visible"
            assert focus["outline"] != "none" and focus["outlineWidth"] >= 2, (
                f"{focus['tag']} {focus['name']!r} shows no focus: {focus}"
            )
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with {key}")


def test_a_delegate_registers_with_the_keyboard_alone(live_server, desktop, organization):
    event = EventFactory(
        organization=organization,
        title="Peacekeeping in Africa",
        format=Event.Format.HYBRID,
        online_join_url="https://zoom.example.org/j/42",
        capacity_in_person=40,
    )
    desktop.goto(live_server.url + event.get_absolute_url())

    # The first stop is the skip link, shown when focused; it moves the focus to the content.
    tab_to(desktop, ".skip-link")
    assert desktop.locator(".skip-link").bounding_box()["x"] >= 0
    desktop.keyboard.press("Enter")
    assert desktop.evaluate("document.activeElement.id") == "main"

    tab_to(desktop, "main a[href$='/register/']")
    desktop.keyboard.press("Enter")
    desktop.wait_for_url("**/register/")

    tab_to(desktop, "#id_first_name")
    desktop.keyboard.type("Kristina")
    tab_to(desktop, "#id_last_name")
    desktop.keyboard.type("Zetterlund")
    # Back to the honorific, before the name, with Shift+Tab.
    tab_to(desktop, "#id_honorific", backwards=True)
    desktop.keyboard.type("H.E. Ms.")
    tab_to(desktop, "#id_email")
    desktop.keyboard.type("kristina@gov.example")
    tab_to(desktop, "#id_organization_name")
    desktop.keyboard.type("Permanent Mission of Sweden")
    tab_to(desktop, "#id_country")
    desktop.keyboard.type("Sweden")
    assert desktop.input_value("#id_country") == "SE"
    tab_to(desktop, "input[name=attendance_mode]")
    desktop.keyboard.press("Space")  # the first choice: in person
    desktop.keyboard.press("ArrowDown")  # then the next: online
    assert desktop.locator("input[name=attendance_mode]:checked").get_attribute("value") == (
        "virtual"
    )
    tab_to(desktop, "#id_consent")
    desktop.keyboard.press("Space")
    tab_to(desktop, "main button[type=submit]")
    desktop.keyboard.press("Enter")
    desktop.wait_for_url("**/register/thanks/")

    assert desktop.get_by_role("heading", level=1).inner_text() == "You are registered"
    registration = Registration.objects.get(email="kristina@gov.example")
    assert (registration.honorific, registration.country, registration.attendance_mode) == (
        "H.E. Ms.",
        "SE",
        "virtual",
    )


def test_staff_check_in_with_the_keyboard_alone(live_server, phone, organization, register):
    event = EventFactory(organization=organization, format=Event.Format.IN_PERSON)
    by_code = register(event, first_name="Kofi", last_name="Mensah")
    by_name = register(event, first_name="Kristina", last_name="Zetterlund")
    staff = MembershipFactory(organization=organization, role=Membership.Role.CHECK_IN).user
    sign_in(phone, live_server.url, staff)
    phone.goto(live_server.url + reverse("checkin:desk", kwargs={"slug": event.slug}))

    # A ticket code typed at the desk, sent with Enter.
    tab_to(phone, "input[name=ticket_code]")
    phone.keyboard.type(by_code.ticket_code)
    phone.keyboard.press("Enter")
    expect(phone.locator("#checkin-result .checkin-result--ok")).to_contain_text("Kofi Mensah")

    # Someone without a ticket, found by name, checked in from the list.
    tab_to(phone, "#search-q")
    phone.keyboard.type("Zetterlund")
    phone.locator(".checkin-list__button").wait_for()
    tab_to(phone, ".checkin-list__button")
    phone.keyboard.press("Enter")
    expect(phone.locator("#checkin-result")).to_contain_text("Kristina Zetterlund")

    by_code.refresh_from_db()
    by_name.refresh_from_db()
    assert by_code.checked_in_at is not None
    assert by_name.checked_in_at is not None
