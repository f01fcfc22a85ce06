"""Run Plenary locally: the web server, a Celery worker and beat, until Ctrl-C stops all three.

Once the web server answers it prints one summary: where Plenary runs, how to sign in, and the
demo's invitation links. The worker and beat log warnings only, to var/log/worker.log and
var/log/beat.log, so their output does not bury the summary. PLENARY_HOST and PLENARY_PORT
(default 127.0.0.1 and 8000) choose the address; SITE_URL follows them unless it is set.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HOST = os.environ.get("PLENARY_HOST", "127.0.0.1")
PORT = os.environ.get("PLENARY_PORT", "8000")
BASE_URL = f"http://{HOST}:{PORT}"
LOG_DIR = Path(__file__).resolve().parent.parent / "var" / "log"
STARTUP_SECONDS = 60

CELERY = [sys.executable, "-m", "celery", "-A", "config", "--quiet"]
PROCESSES = {
    # `make demo` ran the system checks with migrate already.
    "web": [
        sys.executable,
        "manage.py",
        "runserver",
        f"{HOST}:{PORT}",
        "--noreload",
        "--skip-checks",
    ],
    "worker": [*CELERY, "worker", "-l", "warning", "--concurrency", "2"],
    "beat": [*CELERY, "beat", "-l", "warning"],
}
LOGGED = ("worker", "beat")  # to var/log/<name>.log; the web server's requests stay in view


def _stop(signum, frame):
    raise KeyboardInterrupt


def _environment():
    env = dict(os.environ, PLENARY_PORT=PORT)
    env.setdefault("SITE_URL", BASE_URL)
    return env


def _start(env):
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    children, logs = {}, []
    for name, command in PROCESSES.items():
        if name in LOGGED:
            log = open(LOG_DIR / f"{name}.log", "a")  # noqa: SIM115 - closed when we stop
            logs.append(log)
            children[name] = subprocess.Popen(
                command, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        else:
            children[name] = subprocess.Popen(command, env=env)
    return children, logs


def _wait_for_web(children):
    """Return once the web server answers, a process died, or it took too long."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children.values()):
            return
        try:
            with urllib.request.urlopen(f"{BASE_URL}/", timeout=2):  # noqa: S310 - our own server
                return
        except urllib.error.HTTPError:
            return  # it answers, even if with an error page
        except OSError:
            time.sleep(0.3)


def _invitation_lines(env):
    """The demo's invitation links, as load_demo_invitations prints them (it changes nothing
    when they exist already)."""
    done = subprocess.run(
        [sys.executable, "manage.py", "load_demo_invitations"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return lines or [line for line in done.stderr.splitlines() if line.strip()][-1:]


def summary(env) -> str:
    invitations = "".join(f"    {line}\n" for line in _invitation_lines(env))
    return (
        "\n"
        f"  Plenary is running at {BASE_URL}/\n"
        f"  Sign in at {BASE_URL}/workspace/ as demo / plenary-demo\n"
        f"  Invitations to the demo briefing (also in {BASE_URL}/admin/invitations/invitation/):\n"
        f"{invitations}"
        "  Emails are written to var/outbox/; the worker and beat log to var/log/.\n"
        "  Press Ctrl-C to stop.\n"
    )


def main():
    # `kill` (SIGTERM) stops the three processes as Ctrl-C does, leaving none behind.
    signal.signal(signal.SIGTERM, _stop)
    env = _environment()
    children, logs = _start(env)
    try:
        _wait_for_web(children)
        if all(child.poll() is None for child in children.values()):
            print(summary(env), flush=True)
        while all(child.poll() is None for child in children.values()):
            time.sleep(0.5)
        stopped = [name for name, child in children.items() if child.poll() is not None]
        print(f"Stopped because {', '.join(stopped)} exited.", file=sys.stderr)
        for name in stopped:
            if name in LOGGED:
                print(f"See {LOG_DIR / (name + '.log')}.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children.values():
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        for log in logs:
            log.close()


if __name__ == "__main__":
    sys.exit(main())
