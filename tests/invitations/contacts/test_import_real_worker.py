"""An import through a real Celery worker on Redis and PostgreSQL, as in production: the worker
reads the file from the shared storage folder, writes the contacts and deletes the file."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection

from config.celery import app
from events.audit import SYSTEM
from invitations.contacts import imports
from invitations.models import Contact, ContactImport

from .conftest import upload, xlsx_bytes
from .factories import ContactFactory, ContactListFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]


def _database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="module")
def shared_media(tmp_path_factory):
    return tmp_path_factory.mktemp("shared-media")


@pytest.fixture(scope="module")
def worker_process(shared_media, django_db_blocker):
    """One real worker process for the module, on its own queue, sharing a storage folder."""
    with django_db_blocker.unblock():
        database_url = _database_url()
    queue = f"plenary-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "MEDIA_ROOT": str(shared_media),
        "CONTACT_IMPORT_CHUNK_ROWS": "100",
    }
    env.pop("CELERY_BROKER_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "-Q", queue,
         "--without-mingle", "--without-gossip", "-l", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        yield process
    finally:
        app.conf.task_default_queue = previous_queue
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def worker(worker_process, shared_media, settings):
    settings.MEDIA_ROOT = str(shared_media)
    return worker_process


def _finished(import_id, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        contact_import = ContactImport.objects.get(pk=import_id)
        if contact_import.is_finished:
            return contact_import
        time.sleep(0.2)
    raise AssertionError(f"Import {import_id} did not finish within {timeout} s")


def test_a_csv_import_runs_in_a_real_worker(worker, organization):
    ContactFactory(team=organization, email="row7@mission.example", position="Counsellor")
    contact_list = ContactListFactory(team=organization, name="Focal points")
    rows = "".join(
        f"row{n}@mission.example;Delegate;{n};Ambassador\n" if n != 150 else "broken;;;\n"
        for n in range(2, 302)
    )
    contact_import = imports.import_create(actor=SYSTEM,
        team=organization, user=None, start=True, contact_list=contact_list,
        upload=upload("email;first name;last name;position\n" + rows),
    )  # fmt: skip
    name = contact_import.file.name

    finished = _finished(contact_import.pk)

    assert finished.status == "done", finished.message
    assert (finished.total, finished.created, finished.updated, finished.refused) == (
        300,
        298,
        1,
        1,
    )
    assert list(finished.errors.values_list("row", "field")) == [(150, "email")]
    assert Contact.objects.get(email="row7@mission.example").position == "Ambassador"
    assert contact_list.contacts.count() == 299
    assert not default_storage.exists(name)


def test_an_xlsx_import_runs_in_a_real_worker(worker, organization):
    content = xlsx_bytes([["Email", "Name"], *[[f"x{n}@m.example", f"X {n}"] for n in range(120)]])
    contact_import = imports.import_create(actor=SYSTEM,
        team=organization, user=None, start=True, upload=upload(content, name="guests.xlsx"),
        mapping={"last_name": "Name"},
    )  # fmt: skip

    finished = _finished(contact_import.pk)

    assert (finished.status, finished.created) == ("done", 120)
    assert Contact.objects.get(email="x7@m.example").last_name == "X 7"
