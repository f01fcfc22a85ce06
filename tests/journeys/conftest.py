"""What the journeys share: Chromium contexts per person, a real Celery worker writing every
email it sends as a MIME file, the words of the interface in a given language, and a full-page
screenshot of every open page when a step fails (var/test-artifacts/journeys/, not committed).
"""

import email
import os
import re
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from email import policy
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import translation
from playwright.sync_api import expect

from config.celery import app

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "var" / "test-artifacts"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
LOCALES = {
    "en": "en-US",
    "fr": "fr-FR",
    "es": "es-ES",
    "ar": "ar",
    "zh-hans": "zh-CN",
    "ru": "ru-RU",
}


def t(language, text, **values):
    """The interface's words in `language`, as the site shows them: English until the
    language's catalogue lands, then the translation, so the journeys never pin English copy."""
    with translation.override(language):
        translated = translation.gettext(text)
    return translated % values if values else translated


def nt(language, singular, plural, count, **values):
    with translation.override(language):
        translated = translation.ngettext(singular, plural, count)
    return translated % ({"count": count} | values)


def has_catalogue(language):
    """Whether Plenary ships a compiled catalogue for `language` (the i18n work adds them)."""
    folder = translation.to_locale(language)
    return any(
        (Path(path) / folder / "LC_MESSAGES" / "django.mo").exists()
        for path in django_settings.LOCALE_PATHS
    )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so a fixture can tell that the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


class People:
    """The browser contexts of a journey, one per person, and the step being walked."""

    def __init__(self, chromium, base_url):
        self.browser = chromium
        self.base_url = base_url
        self.pages = {}
        self.step = "setup"

    def page(self, who, *, language="en", device=DESKTOP):
        context = self.browser.new_context(
            base_url=self.base_url,
            locale=LOCALES[language],
            extra_http_headers={"Accept-Language": LOCALES[language]},
            **device,
        )
        context.set_default_timeout(20_000)
        page = context.new_page()
        self.pages[who] = page
        return page

    @contextmanager
    def walking(self, step):
        self.step = step
        yield

    def screenshot_all(self, test_name):
        folder = ARTIFACTS / "journeys"
        folder.mkdir(parents=True, exist_ok=True)
        saved = []
        for who, page in self.pages.items():
            if page.is_closed():
                continue
            path = folder / f"{_slug(test_name)}--{_slug(self.step)}--{_slug(who)}.png"
            try:
                page.screenshot(path=path, full_page=True)
            except Exception as error:  # a crashed page must not hide the test's own failure
                print(f"No screenshot of {who}: {error}")
                continue
            saved.append(path)
        return saved

    def close(self):
        for page in self.pages.values():
            page.context.close()


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


@pytest.fixture
def people(browser, live_server, request):
    """People in their own browsers; when the test fails, each one's page is saved in full."""
    crowd = People(browser, live_server.url)
    # A loaded machine runs a browser, the site and a worker at once: each wait gets its time.
    expect.set_options(timeout=20_000)
    yield crowd
    expect.set_options(timeout=5_000)  # Playwright's default, for the other browser tests
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        for path in crowd.screenshot_all(request.node.name):
            print(f"Screenshot of the failed step: {path}")
    crowd.close()


def _database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Mailbox:
    """The mail a real worker (and this process) sent, read back as MIME messages."""

    def __init__(self, folder):
        self.folder = folder

    def messages(self):
        found = []
        for log in sorted(self.folder.glob("*.log")):
            # The file backend separates messages with a line of 79 dashes.
            for chunk in log.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    found.append(email.message_from_bytes(chunk, policy=policy.default))
        return found

    def to(self, address):
        return [message for message in self.messages() if address in message["To"]]

    def wait_for(self, address, count=1, timeout=60, matching=None):
        """The messages to `address` once there are `count` of them (which `matching` accepts):
        the worker sends them a moment after the request that queued them."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.to(address) if matching is None or matching(m)]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                subjects = [(m["To"], m["Subject"]) for m in self.messages()]
                raise AssertionError(
                    f"{count} message(s) to {address} expected within {timeout} s; "
                    f"the worker sent: {subjects}"
                )
            time.sleep(0.2)  # polls the outbox folder, which no browser event announces


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()


def link_in(message, base_url, path_start):
    """The first link to `base_url` + a path starting with `path_start`, in the text part."""
    pattern = re.escape(base_url) + re.escape(path_start) + r"[^\s<>\"')]+"
    found = re.search(pattern, text_of(message))
    assert found, f"No link to {path_start} in “{message['Subject']}”:\n{text_of(message)}"
    return found.group(0)


@pytest.fixture
def worker(live_server, tmp_path, settings):
    """A real Celery worker on a queue of its own, as in production: it runs the contact import
    (reading the file from the storage folder it shares with the site) and the fan-out jobs, and
    sends every email into a folder, which the site in this process also writes its mail to."""
    queue = f"plenary-journey-{uuid.uuid4().hex[:8]}"
    outbox, media = tmp_path / "outbox", tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    settings.SITE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(outbox)
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": django_settings.REDIS_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "MEDIA_ROOT": str(media),
        "SITE_URL": live_server.url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(outbox),
    }
    env.pop("CELERY_BROKER_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "-Q", queue,
         "--without-mingle", "--without-gossip", "-l", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue  # what the live server queues goes to this worker
    try:
        yield Mailbox(outbox)
    finally:
        app.conf.task_default_queue = previous_queue
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
