"""Contact import: a 50,000-row CSV and a 50,000-row XLSX through the Celery job, one real worker.

    .venv/bin/python bench/contact_import.py [--rows 50000] [--format csv|xlsx|all]

For each format it writes a file of contacts (about 1% bad rows, 5% already in the address book,
so they are updated), starts one real Celery worker (solo pool: one process) on its own queue,
uploads the file through imports.import_create(start=True) and times until the import is done.
It reads the worker's peak resident memory (VmHWM in /proc/<pid>/status) and compares with a
bare loop measured in the same run: csv.reader or openpyxl's read-only iter_rows feeding
Contact bulk_create 1,000 rows at a time in a process of its own. Targets: ≤ 60 s and ≤ 250 MB.

Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/plenary_bench_contacts;
the database is dropped and re-created) and Redis (REDIS_URL, default redis://127.0.0.1:6379/13;
only a queue of its own is used).
"""

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.outbox import BenchError, reset_database  # noqa: E402

PHASE_LIMIT = 600  # seconds
TARGET_SECONDS = 60
TARGET_MB = 250
HEADER = ["Email", "Honorific", "First name", "Last name", "Position", "Organization",
          "Country", "Language", "Tags"]  # fmt: skip
COUNTRIES = ["SN", "GH", "FR", "JP", "NL", "BR", "IN", "KE", "NO", "MX", "Sweden", "Ethiopia"]
EXISTING_EVERY = 20  # every 20th row is a contact already in the address book
BAD_EVERY = 97  # every 97th row has no valid address


def row(number):
    bad = number % BAD_EVERY == 0
    return [
        "not an address" if bad else f"delegate{number}@mission{number % 193}.example",
        "H.E. Ms." if number % 3 else "Mr.",
        f"Delegate {number}",
        f"Lastname{number}",
        "Counsellor" if number % 2 else "Permanent Representative",
        f"Permanent Mission of Country {number % 193}",
        COUNTRIES[number % len(COUNTRIES)],
        ["en", "fr", "es", "", "Arabic"][number % 5],
        "focal point; G77" if number % 4 == 0 else ("donor" if number % 7 == 0 else ""),
    ]


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(HEADER)
        for number in range(2, rows + 2):
            writer.writerow(row(number))


def write_xlsx(path, rows):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Contacts")
    sheet.append(HEADER)
    for number in range(2, rows + 2):
        sheet.append(row(number))
    workbook.save(path)


# --- The worker --------------------------------------------------------------------------------


def start_worker(queue, media_root):
    from config.celery import app

    env = {**os.environ, "CELERY_TASK_DEFAULT_QUEUE": queue, "MEDIA_ROOT": str(media_root)}
    env.pop("CELERY_BROKER_URL", None)
    name = f"{queue}@localhost"
    log = tempfile.TemporaryFile()  # noqa: SIM115 - the worker's output, shown if it fails
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "-Q", queue,
         "-n", name, "--without-mingle", "--without-gossip", "-l", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not app.control.ping(destination=[name], timeout=0.5):
        if worker.poll() is not None:
            log.seek(0)
            tail = log.read().decode(errors="replace")[-3000:]
            raise BenchError(f"The Celery worker exited with code {worker.returncode}:\n{tail}")
        if time.monotonic() > deadline:
            stop_worker(worker)
            raise BenchError("The Celery worker was not ready within 60 s.")
    return worker


def stop_worker(worker):
    worker.terminate()
    try:
        worker.wait(30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def memory_mb(pid, field):
    """VmRSS (now) or VmHWM (the peak) of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise BenchError(f"No {field} for process {pid}")


# --- The measurements --------------------------------------------------------------------------


def make_team(name, rows):
    """A team whose address book already holds every EXISTING_EVERY-th contact of the file."""
    from events.models import Organization
    from invitations.models import Contact, ContactList

    team = Organization.objects.create(name=name, kind=Organization.Kind.THINK_TANK)
    Contact.objects.bulk_create(
        [
            Contact(team=team, email=row(number)[0], first_name="Old", position="Old position")
            for number in range(2, rows + 2)
            if number % EXISTING_EVERY == 0 and number % BAD_EVERY
        ],
        batch_size=1000,
    )
    contact_list = ContactList.objects.create(team=team, name="Imported focal points")
    return team, contact_list


def run_job(path, file_format, rows, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from config.celery import app
    from events.audit import Actor
    from invitations.contacts import imports
    from invitations.models import Contact, ContactImport

    team, contact_list = make_team(f"Import team {file_format}", rows)
    queue = f"plenary-bench-import-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    worker = start_worker(queue, media_root)
    try:
        ready_mb = memory_mb(worker.pid, "VmRSS")
        upload = SimpleUploadedFile(f"contacts.{file_format}", Path(path).read_bytes())
        started = time.monotonic()
        contact_import = imports.import_create(
            actor=Actor.system("benchmark"),
            team=team,
            user=None,
            upload=upload,
            contact_list=contact_list,
            start=True,
        )
        uploaded = time.monotonic() - started
        deadline = started + PHASE_LIMIT
        while True:
            contact_import.refresh_from_db()
            if contact_import.is_finished:
                break
            if time.monotonic() > deadline:
                raise BenchError(f"The {file_format} import took longer than {PHASE_LIMIT} s.")
            time.sleep(0.1)
        total = time.monotonic() - started
        peak_mb = memory_mb(worker.pid, "VmHWM")
    finally:
        stop_worker(worker)
    if contact_import.status != ContactImport.Status.DONE:
        raise BenchError(f"The {file_format} import failed: {contact_import.message}")
    return {
        "upload": uploaded,
        "total": total,
        "ready_mb": ready_mb,
        "peak_mb": peak_mb,
        "rows": contact_import.total,
        "created": contact_import.created,
        "updated": contact_import.updated,
        "refused": contact_import.refused,
        "contacts": Contact.objects.filter(team=team).count(),
        "in_list": contact_list.contacts.count(),
    }


def run_bare(path, file_format, rows):
    """The bare loop in a process of its own, so its peak memory is its own."""
    result = subprocess.run(
        [sys.executable, __file__, "--bare", file_format, path, "--rows", str(rows)],
        cwd=ROOT, capture_output=True, text=True, timeout=PHASE_LIMIT, check=False,
    )  # fmt: skip
    if result.returncode:
        raise BenchError(f"The bare {file_format} loop failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def bare_loop(file_format, path, rows):
    """Read the file and bulk_create its rows 1,000 at a time: no checks, no updates, no tags."""
    import django

    django.setup()
    from events.models import Organization
    from invitations.models import Contact

    team = Organization.objects.create(name=f"Bare team {file_format}")
    started = time.monotonic()
    if file_format == "csv":
        file = open(path, newline="", encoding="utf-8")  # noqa: SIM115
        reader = csv.reader(file, delimiter=";")
    else:
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True)
        reader = workbook.worksheets[0].iter_rows(values_only=True)
    next(reader)
    batch, written = [], 0
    for cells in reader:
        email, honorific, first_name, last_name, position, organization = cells[:6]
        batch.append(
            Contact(
                team=team,
                email=str(email).lower(),
                honorific=honorific or "",
                first_name=first_name or "",
                last_name=last_name or "",
                position=position or "",
                organization_name=organization or "",
            )
        )
        if len(batch) == 1000:
            Contact.objects.bulk_create(batch, ignore_conflicts=True)
            written, batch = written + len(batch), []
    Contact.objects.bulk_create(batch, ignore_conflicts=True)
    seconds = time.monotonic() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "written": written + len(batch)}))


# --- Main --------------------------------------------------------------------------------------


def expected(rows):
    numbers = range(2, rows + 2)
    bad = sum(1 for n in numbers if n % BAD_EVERY == 0)
    updated = sum(1 for n in numbers if n % EXISTING_EVERY == 0 and n % BAD_EVERY)
    return {"created": rows - bad - updated, "updated": updated, "refused": bad}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--format", choices=["csv", "xlsx", "all"], default="all")
    parser.add_argument("--bare", nargs=2, metavar=("FORMAT", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    database_url = os.environ.setdefault(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/plenary_bench_contacts"
    )
    redis_url = os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if args.bare:
        return bare_loop(args.bare[0], args.bare[1], args.rows)

    work = Path(tempfile.mkdtemp(prefix="plenary-bench-import-"))
    media_root = work / "media"
    os.environ["MEDIA_ROOT"] = str(media_root)
    reset_database(database_url)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    formats = ["csv", "xlsx"] if args.format == "all" else [args.format]
    print(f"{args.rows} rows, {os.cpu_count()} CPUs, one worker (solo pool), "
          f"PostgreSQL {database_url}, Redis {redis_url}")  # fmt: skip
    results, want = [], expected(args.rows)
    try:
        for file_format in formats:
            path = work / f"contacts.{file_format}"
            (write_csv if file_format == "csv" else write_xlsx)(path, args.rows)
            size_mb = path.stat().st_size / 1024 / 1024
            job = run_job(path, file_format, args.rows, media_root)
            print(f"[{file_format}] {size_mb:.1f} MB file; job: {job}")
            bare = run_bare(str(path), file_format, args.rows)
            print(f"[{file_format}] bare loop: {bare}")
            results.append((file_format, size_mb, job, bare))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(results)
    complete = all(
        {k: job[k] for k in want} == want and job["in_list"] == want["created"] + want["updated"]
        for _format, _size, job, _bare in results
    )
    if not complete:
        print(f"Counts differ from what the file holds: expected {want}.")
    return 0 if complete else 1


def report(results):
    print(f"\n{'format':6} {'MB':>5} {'upload s':>8} {'job s':>6} {'rows/s':>7} "
          f"{'worker MB':>9} {'(ready)':>7} {'bare s':>6} {'bare MB':>7} {'ratio':>6}  "
          f"≤{TARGET_SECONDS}s  ≤{TARGET_MB}MB")  # fmt: skip
    for file_format, size_mb, job, bare in results:
        ratio = job["total"] / bare["seconds"]
        print(
            f"{file_format:6} {size_mb:5.1f} {job['upload']:8.1f} {job['total']:6.1f} "
            f"{job['rows'] / job['total']:7.0f} {job['peak_mb']:9.0f} {job['ready_mb']:7.0f} "
            f"{bare['seconds']:6.1f} {bare['peak_mb']:7.0f} {ratio:6.2f}  "
            f"{'PASS' if job['total'] <= TARGET_SECONDS else 'MISS':4}  "
            f"{'PASS' if job['peak_mb'] <= TARGET_MB else 'MISS'}"
        )
    print(
        "job s: from the upload until the import is done (upload s included); ratio: job s / "
        "bare s; worker MB: the worker's peak resident memory (VmHWM), ready: after start-up."
    )


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        sys.exit(f"bench/contact_import.py: {error}")
