import os

import pytest

from events.audit import Actor
from events.models import Event, Membership
from registration import services as registration_services

from .catalogues import catalogues, no_catalogues  # noqa: F401 - fixtures for every folder
from .factories import EventFactory, MembershipFactory, TeamFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django's ORM is still used
# synchronously there, which is safe in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (Playwright's own browser download fails here).

    One for the whole run, here so tests/browser and tests/journeys share it: Playwright's sync
    API cannot start a second one inside the first one's event loop."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Factories hash passwords; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language, as a worker does: a language one test
    activated (a page in French, an email in Arabic) never carries over into the next."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def messages_handed_over_at_commit(settings):
    """Each commit hands its messages to the sender at once, as tests expect to see them go;
    tests/notifications/test_waking.py covers the coalesced hand-over."""
    settings.OUTBOX_WAKE_SECONDS = 0


@pytest.fixture(autouse=True)
def fresh_throttle_counts(settings):
    """Each test counts requests from zero, in its own memory: the throttles' counts never
    carry over from another test (or another run sharing the Redis server)."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture
def unthrottled(settings):
    """For a test that sends many requests on purpose: no rate limit at all."""
    settings.THROTTLE_RATES = dict.fromkeys(settings.THROTTLE_RATES)


def pytest_collection_modifyitems(config, items):
    """Skip service tests where the service is missing, except in CI (the test script decides)."""
    from django.conf import settings

    skip_postgres = pytest.mark.skip(reason="needs PostgreSQL; running on SQLite")
    skip_redis = pytest.mark.skip(reason="needs a Redis server; none configured")
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    on_redis = settings.CELERY_BROKER_URL.startswith("redis")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_postgres)
        if "redis" in item.keywords and not on_redis:
            item.add_marker(skip_redis)


@pytest.fixture
def organization(db):
    """A team: International Peace Institute."""
    return TeamFactory(name="International Peace Institute", short_name="IPI")


@pytest.fixture
def shipped_directory(db):
    """The directory shipped with Plenary. The migration loads it, but a transactional test
    empties every table after it, so tests that need it ask for it."""
    from events import directory
    from events.models import Organization

    directory.load(Organization)


@pytest.fixture
def manager(organization):
    return MembershipFactory(organization=organization, role=Membership.Role.MANAGER).user


@pytest.fixture
def outsider(db):
    """A user of another organization."""
    return MembershipFactory(role=Membership.Role.OWNER).user


@pytest.fixture
def event(organization):
    return EventFactory(organization=organization)


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def hybrid_event(organization):
    return EventFactory(
        organization=organization,
        title="Peacekeeping in Africa",
        format=Event.Format.HYBRID,
        online_join_url="https://zoom.example.org/j/42",
        capacity_in_person=2,
        capacity_virtual=100,
    )


@pytest.fixture
def register():
    """Register a delegate with sensible defaults; keyword arguments override them."""
    counter = iter(range(1, 10_000))

    def _register(event, **fields):
        number = next(counter)
        defaults = dict(
            email=f"delegate{number}@mission.example",
            first_name="Kristina",
            last_name=f"Delegate {number}",
            consent=True,
            attendance_mode="in_person" if event.format != Event.Format.VIRTUAL else "",
            actor=Actor.attendee(f"Kristina Delegate {number}"),
        )
        return registration_services.register(event=event, **(defaults | fields))

    return _register


@pytest.fixture
def run_fanout_jobs(db):
    """Run the queued fan-out jobs as a worker would once the organizer's request committed;
    returns how many messages they wrote."""
    from notifications import jobs
    from notifications.models import FanoutJob

    def _run():
        queued = FanoutJob.objects.filter(status=FanoutJob.Status.QUEUED).order_by("pk")
        return sum(jobs.run(pk) or 0 for pk in queued.values_list("pk", flat=True))

    return _run


def pytest_terminal_summary(terminalreporter, config):
    """Say what the API schema fuzzer did, so its run stands out in the test report."""
    from tests.api.test_schema_fuzz import FUZZ_SUMMARY

    summary = config.stash.get(FUZZ_SUMMARY, None)
    if summary:
        terminalreporter.write_sep("-", "API schema fuzzer (schemathesis)")
        terminalreporter.write_line(
            f"{summary['operations']} operations, {summary['requests']} generated requests; "
            "failures, if any, are listed above as SUBFAIL lines."
        )
