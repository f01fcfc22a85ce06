"""axe-core finds no accessibility violation, of any impact, on every page people use, in English
and in Arabic (right to left).

axe-core comes from the npm registry through the project's package-lock.json (`npm ci`, which
scripts/run_tests.py runs when node_modules is missing). One test per page and language, so a
failure names both; it lists each violation with its rule, impact, help and the nodes it found.
"""

import pytest
from django.conf import settings

from .accessibility_pages import PAGES, Site
from .conftest import AXE_SCRIPT
from .sessions import add_session_cookie, signed_in_session

# The data is made and committed once for the module (see pages_served); the mark makes
# pytest-django set up the test database.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

LANGUAGES = ["en", "ar"]

# Every rule axe-core ships for WCAG 2.0-2.2 A and AA, plus its best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def axe_violations(page):
    """Run axe-core on the page as it is now; its violations, ready to print."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return results["violations"]


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:8]:
            lines.append(f"  - {' '.join(map(str, node['target']))}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {summary[:300]}")
    return "\n".join(lines)


def choose_language(page, server, language):
    """As the footer's language switch does: Django's language cookie."""
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": server.url}]
    )


@pytest.fixture
def desktop(browser):
    """A laptop-sized page whose CSP lets Playwright add axe-core's script (the site's CSP,
    checked in test_csp_browser.py, allows no script that is not the site's own)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def pages_served(request, django_db_setup, django_db_blocker):
    """Every page's data, made once for the module (a page and language each), and a server
    of this module's own: pytest-django's live_server empties the database after every test,
    which made the ~100 tests here several times slower."""
    from django.core.management import call_command
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    from tests.factories import MembershipFactory, TeamFactory

    selected = {  # only the pages of the tests that run (pytest -k)
        (item.callspec.params["page_under_test"].name, item.callspec.params["language"])
        for item in request.session.items
        if "page_under_test" in getattr(getattr(item, "callspec", None), "params", {})
    }

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        server = None
        # The data is committed for the module's server: whatever happens while building it,
        # the database is emptied again, or the rows would leak into every later test.
        try:
            organization = TeamFactory(name="International Peace Institute", short_name="IPI")
            manager = MembershipFactory(organization=organization).user
            site = Site(organization=organization, manager=manager)
            paths = {
                (page.name, language): page.build(site)
                for page in PAGES
                for language in LANGUAGES
                if (page.name, language) in selected
            }
            site.session_key = signed_in_session(manager)
            server = LiveServer("localhost")
            server._live_server_modified_settings.enable()
            yield server, site, paths
        finally:
            if server is not None:
                server._live_server_modified_settings.disable()
                server.stop()
            call_command("flush", interactive=False, verbosity=0)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_under_test", PAGES, ids=[page.name for page in PAGES])
def test_page_has_no_accessibility_violation(desktop, axe, pages_served, page_under_test, language):
    server, site, paths = pages_served
    path = paths[page_under_test.name, language]
    choose_language(desktop, server, language)
    if page_under_test.organizer:
        add_session_cookie(desktop, server.url, site.session_key)

    response = desktop.goto(server.url + path)
    assert response.status == page_under_test.status, f"{path} answered {response.status}"
    if page_under_test.then:
        page_under_test.then(desktop, path)
    desktop.wait_for_load_state("networkidle")
    assert desktop.get_attribute("html", "lang") == language

    violations = axe_violations(desktop)

    if violations:
        pytest.fail(
            f"{len(violations)} axe-core violations on {desktop.url}\n{describe(violations)}",
            pytrace=False,
        )
