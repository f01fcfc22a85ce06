"""Chromium reports no Content-Security-Policy violation on the pages people use, the check-in
desk and the API docs, with their scripts running (htmx, Swagger UI, ReDoc)."""

import pytest
from django.urls import reverse

from events.models import Membership
from tests.browser.sessions import sign_in
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def _violations(page, url, *, wait_for=None):
    reported = []
    page.on("console", lambda message: reported.append(message.text))
    page.add_init_script(LISTEN)
    page.goto(url)
    if wait_for:
        page.wait_for_selector(wait_for, timeout=15_000)
    page.wait_for_load_state("networkidle")
    in_page = page.evaluate("window.__cspViolations")
    return in_page + [text for text in reported if "Content Security Policy" in text]


def _signed_in(desktop, live_server, user):
    sign_in(desktop, live_server.url, user)
    return desktop


def test_public_pages_report_no_violation(live_server, desktop, hybrid_event, register):
    registration = register(hybrid_event)
    for path in (
        "/",
        hybrid_event.get_absolute_url(),
        f"/events/{hybrid_event.slug}/register/",
        f"/registrations/{registration.manage_token}/",
        "/accounts/login/",
    ):
        assert _violations(desktop, live_server.url + path) == [], path


def test_workspace_pages_and_the_desk_report_no_violation(
    live_server, desktop, organization, hybrid_event, register
):
    register(hybrid_event, first_name="Kristina", last_name="Zetterlund")
    owner = MembershipFactory(organization=organization, role=Membership.Role.OWNER).user
    page = _signed_in(desktop, live_server, owner)
    slug = hybrid_event.slug
    for path in (
        reverse("workspace:event_list"),
        reverse("workspace:event_detail", kwargs={"slug": slug}),
        reverse("registrants:list", kwargs={"slug": slug}),
        reverse("checkin:desk", kwargs={"slug": slug}),
        reverse("outbox:outbox", kwargs={"slug": slug}),
    ):
        assert _violations(page, live_server.url + path) == [], path


def test_the_desk_search_runs_with_htmx_without_violation(
    live_server, desktop, organization, event, register
):
    register(event, first_name="Kristina", last_name="Zetterlund")
    owner = MembershipFactory(organization=organization, role=Membership.Role.OWNER).user
    page = _signed_in(desktop, live_server, owner)
    page.add_init_script(LISTEN)
    page.goto(live_server.url + reverse("checkin:desk", kwargs={"slug": event.slug}))

    page.fill("#search-q", "Zetter")
    page.wait_for_selector("text=Zetterlund", timeout=10_000)

    assert page.evaluate("window.__cspViolations") == []


def test_the_registrants_select_all_box_works(live_server, desktop, organization, event, register):
    register(event)
    register(event)
    owner = MembershipFactory(organization=organization, role=Membership.Role.OWNER).user
    page = _signed_in(desktop, live_server, owner)
    page.goto(live_server.url + reverse("registrants:list", kwargs={"slug": event.slug}))

    page.check("#select-all")

    boxes = page.locator('input[name="registrations"][form="bulk"]')
    assert boxes.count() == 2
    assert all(boxes.nth(index).is_checked() for index in range(2))


def test_swagger_ui_renders_without_violation(live_server, desktop, db):
    violations = _violations(desktop, live_server.url + "/api/v1/docs/", wait_for=".opblock-tag")

    assert violations == []


def test_redoc_renders_without_violation(live_server, desktop, db):
    violations = _violations(
        desktop, live_server.url + "/api/v1/docs/redoc/", wait_for="text=Plenary API"
    )

    assert violations == []
