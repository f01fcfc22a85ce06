"""`make demo`'s runner (scripts/dev.py): one summary once the servers answer, the worker's
output out of the way, the port from PLENARY_PORT and the links in emails following it; and
the demo organizer allowed into the invitations admin the README names."""

import os
import signal
import socket
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _demo_environment(port):
    """The test database (with what the test committed) for the demo's processes; its own
    port; Celery on the folder broker, so its worker takes no other test's tasks."""
    database = connection.settings_dict
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_BROKER_URL", "SITE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    return env | {
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
            f"{database['PORT']}/{database['NAME']}"
        ),
        "CELERY_BROKER_URL": "filesystem://",
        "PLENARY_PORT": str(port),
        "DEBUG": "true",
    }


def _read_until(process, marker, seconds):
    """stdout lines until one contains `marker` (or the time is up)."""
    lines, deadline = [], time.monotonic() + seconds
    os.set_blocking(process.stdout.fileno(), False)
    while time.monotonic() < deadline and process.poll() is None:
        line = process.stdout.readline()
        if not line:
            time.sleep(0.2)
            continue
        lines.append(line)
        if marker in line:
            break
    return "".join(lines)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_demo_prints_one_summary_after_the_servers_are_up_on_the_chosen_port():
    call_command("load_demo", stdout=StringIO())
    port = _free_port()
    env = _demo_environment(port)
    process = subprocess.Popen(
        [sys.executable, "scripts/dev.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        output = _read_until(process, "Press Ctrl-C", seconds=120)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)

    base = f"http://127.0.0.1:{port}"
    assert f"Plenary is running at {base}/" in output
    assert f"Sign in at {base}/workspace/ as demo / plenary-demo" in output
    # The invitation links come from SITE_URL, which follows PLENARY_PORT.
    links = [line for line in output.splitlines() if line.startswith("    Invitation for ")]
    assert len(links) == 2
    assert all(f"{base}/invitations/" in line for line in links)
    # The worker's banner and logs stay out of the way.
    assert "celery@" not in output and "[tasks]" not in output
    assert (ROOT / "var" / "log" / "worker.log").exists()


@pytest.fixture
def demo_client(client, db):
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo_invitations", stdout=StringIO())
    assert client.login(username="demo", password="plenary-demo")
    return client


def test_demo_organizer_opens_the_invitations_admin_the_readme_names(demo_client):
    listing = demo_client.get("/admin/invitations/invitation/")

    assert listing.status_code == 200
    assert "ambassador@mission-of-kenya.example" in listing.content.decode()
    assert demo_client.get("/admin/invitations/invitation/add/").status_code == 200


def test_demo_organizer_sees_nothing_else_in_the_admin(demo_client):
    assert demo_client.get("/admin/events/organization/").status_code == 403
    assert demo_client.get("/admin/events/membership/").status_code == 403
