"""Run Plenary locally: the web server, a Celery worker and beat, until Ctrl-C stops all three."""

import os
import signal
import subprocess
import sys
import time

HOST = os.environ.get("PLENARY_HOST", "127.0.0.1")
PORT = os.environ.get("PLENARY_PORT", "8000")

PROCESSES = {
    "web": [sys.executable, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload"],
    "worker": [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "-l",
        "info",
        "--concurrency",
        "2",
    ],
    "beat": [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "info"],
}


def _stop(signum, frame):
    raise KeyboardInterrupt


def main():
    # `kill` (SIGTERM) stops the three processes as Ctrl-C does, leaving none behind.
    signal.signal(signal.SIGTERM, _stop)
    children = {name: subprocess.Popen(command) for name, command in PROCESSES.items()}
    print(
        f"\n  Plenary is running at http://{HOST}:{PORT}/\n"
        f"  Organizer workspace: http://{HOST}:{PORT}/workspace/ (demo / plenary-demo)\n"
        "  Emails are written to var/outbox/. Press Ctrl-C to stop.\n",
        flush=True,
    )
    try:
        while all(child.poll() is None for child in children.values()):
            time.sleep(0.5)
        stopped = [name for name, child in children.items() if child.poll() is not None]
        print(f"Stopped because {', '.join(stopped)} exited.", file=sys.stderr)
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


if __name__ == "__main__":
    sys.exit(main())
