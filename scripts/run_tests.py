"""The test command: use PostgreSQL and Redis when they answer, else SQLite and skip service tests.

PostgreSQL and Redis are looked for at DATABASE_URL / REDIS_URL, or at their usual local
addresses. On a machine without them the suite runs on SQLite and says which tests it skips.
In CI (CI=true) a missing service, or a missing Chromium for the browser tests, fails the run.
axe-core, for the accessibility tests, is installed from package-lock.json with `npm ci` when
node_modules lacks it; without npm those tests are skipped, except in CI, where the run fails.
Arguments are passed on to pytest.
"""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from compile_catalogues import compile_catalogues

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/plenary"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
CHROMIUM = "/usr/bin/chromium"
# The badge PDF's default fonts (config/settings.py): Debian's fonts-dejavu-core and
# fonts-droid-fallback.
BADGE_FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
]
ROOT = Path(__file__).resolve().parent.parent
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def answers(url, probe=None, expect=None):
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=2) as connection:
            if probe:
                connection.sendall(probe)
                return connection.recv(64).startswith(expect)
            return True
    except OSError:
        return False


def install_axe():
    """axe-core as package-lock.json pins it; None when it is there, else what is missing."""
    if AXE_SCRIPT.exists():
        return None
    npm = shutil.which("npm")
    if npm is None:
        return "npm, to install axe-core for the accessibility tests"
    print("Installing axe-core for the accessibility tests: npm ci", flush=True)
    subprocess.call([npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT)
    return None if AXE_SCRIPT.exists() else "axe-core (`npm ci` failed)"


def main():
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    env = dict(os.environ)
    missing = []

    database_url = env.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    if database_url.startswith("postgres") and answers(database_url):
        env["DATABASE_URL"] = database_url
        address = urlsplit(database_url)
        print(f"Tests use PostgreSQL at {address.hostname}:{address.port}.")
    elif database_url.startswith("sqlite"):
        print("Tests use SQLite, as DATABASE_URL asks; PostgreSQL-only tests are skipped.")
    else:
        missing.append(f"PostgreSQL ({database_url})")
        env.pop("DATABASE_URL", None)
        env["DATABASE_URL"] = "sqlite:///:memory:"

    redis_url = env.get("REDIS_URL", DEFAULT_REDIS_URL)
    if answers(redis_url, probe=b"PING\r\n", expect=b"+PONG"):
        env["REDIS_URL"] = redis_url
        env.pop("CELERY_BROKER_URL", None)
        print(f"Tests use Redis at {urlsplit(redis_url).hostname}:{urlsplit(redis_url).port}.")
    else:
        missing.append(f"Redis ({redis_url})")
        env.pop("REDIS_URL", None)

    if not (shutil.which("chromium") or os.path.exists(CHROMIUM)):
        missing.append(f"Chromium ({CHROMIUM}) for the browser tests")

    absent_fonts = [font for font in BADGE_FONTS if not os.path.exists(font)]
    if absent_fonts:
        missing.append("the badge PDF's fonts (" + ", ".join(absent_fonts) + ")")

    if missing_axe := install_axe():
        missing.append(missing_axe)

    if missing:
        if in_ci:
            print(
                "CI needs every service, and these do not answer: " + "; ".join(missing),
                file=sys.stderr,
            )
            return 1
        print("Not found, so their tests are skipped: " + "; ".join(missing))

    # The catalogues as the build compiles them, so tests see the languages users see.
    compile_catalogues()
    command = [sys.executable, "-m", "pytest", "--create-db", *sys.argv[1:]]
    return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main())
