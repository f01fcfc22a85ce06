"""Fan-out jobs: one message to many people, written to the outbox in bulk by a worker.

Telling 2,000 registrants about a new time must not keep the organizer's page waiting. An app
registers a fan-out by name: how to count its recipients, the chunks of `enqueue_many` items
to write, and how to describe itself on the organizer's page. `start()` writes the job's row in
the caller's transaction and queues its task once that commits; `run()` claims the row with one
conditional UPDATE, writes the chunks (one transaction each) and records its progress. Every
message carries a dedupe key, so a task delivered twice, or a job the sweep queues again after
a worker died, writes nothing twice. Messages render at send time from the data as it is then.
"""

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import FanoutJob
from .services import enqueue_many

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Fanout:
    name: str
    # What the job does, in the organizer's words ("Telling registrants about the change").
    describe: Callable[[FanoutJob], str]
    # How many messages it is about to write (for the progress bar); read when it starts.
    count: Callable[[FanoutJob], int]
    # Lists of enqueue_many() items, at most `size` each; read as they are written.
    chunks: Callable[[FanoutJob, int], Iterable[list[dict]]]


_fanouts: dict[str, Fanout] = {}


def register(fanout: Fanout) -> Fanout:
    _fanouts[fanout.name] = fanout
    return fanout


def get(name: str) -> Fanout:
    try:
        return _fanouts[name]
    except KeyError:
        raise LookupError(f"No fan-out {name!r} is registered") from None


def describe(job: FanoutJob) -> str:
    try:
        return str(get(job.name).describe(job))
    except LookupError:
        return job.name


def start(*, name, event=None, params=None, requested_by=None, logged=False) -> FanoutJob:
    """Write the job in the caller's transaction; its task is queued once that commits.

    `logged`: the job is the change itself (a follow-up, a reminder sent now), so the audit log
    gets an entry naming the person who asked, or the system when nobody did (the beat). A job
    that follows from a change its caller logs (the notices of a cancelled event) adds none, so
    each change stays one entry.
    """
    get(name)  # an unknown name fails here, in the request, not later in a worker
    person = requested_by if getattr(requested_by, "is_authenticated", False) else None
    job = FanoutJob.objects.create(name=name, event=event, params=params or {}, requested_by=person)
    if logged:
        from events.audit import Actor, log_action

        actor = Actor.user(person) if person else Actor.system(describe(job))
        log_action(
            actor=actor, action="fanout_job.started", obj=job, data={"job": name, **job.params}
        )
    transaction.on_commit(lambda: queue([job.pk]))
    return job


def queue(job_ids):
    """Hand job ids to Celery. With the broker down the jobs wait for the sweep."""
    from .tasks import run_fanout_job

    for job_id in job_ids:
        try:
            run_fanout_job.apply_async((job_id,), retry=False)
        except Exception:  # the broker is unreachable; the row stays queued for the sweep
            logger.warning("Could not queue fan-out job %s; the sweep will.", job_id, exc_info=True)


def _lease(now):
    return now + timedelta(seconds=settings.FANOUT_LEASE_SECONDS)


def claim(job_id, *, now=None) -> tuple[uuid.UUID, FanoutJob | None]:
    """Take the job if it is queued, or running under a lease that expired (its worker died)."""
    now = now or timezone.now()
    token = uuid.uuid4()
    claimed = (
        FanoutJob.objects.filter(pk=job_id)
        .filter(
            Q(status=FanoutJob.Status.QUEUED)
            | Q(status=FanoutJob.Status.RUNNING, lease_expires_at__lt=now)
        )
        .update(
            status=FanoutJob.Status.RUNNING,
            claim_token=token,
            lease_expires_at=_lease(now),
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    )
    if not claimed:
        return token, None
    return token, FanoutJob.objects.select_related("event").get(pk=job_id)


def _record(job, token, **fields) -> bool:
    """Record progress under our claim; False when another worker has taken the job since."""
    return bool(
        FanoutJob.objects.filter(pk=job.pk, claim_token=token).update(
            updated_at=timezone.now(), **fields
        )
    )


def write(items_chunks: Iterable[list[dict]], *, progress=None) -> int:
    """Write each chunk with enqueue_many in its own transaction; return how many were written.

    Fan-outs build their items from stored rows (registrations, invitations) whose addresses
    and names were validated when stored. `progress(done)` is called after each chunk and may
    return False to stop.
    """
    done = 0
    for items in items_chunks:
        if not items:
            continue
        with transaction.atomic():
            enqueue_many(items, validated=True)
        done += len(items)
        if progress is not None and progress(done) is False:
            break
    return done


def run(job_id) -> int | None:
    """Do the job if nobody else is doing it; return how many messages it wrote."""
    token, job = claim(job_id)
    if job is None:
        return None
    fanout = get(job.name)
    try:
        total = fanout.count(job)
        _record(job, token, total=total, done=0, error="")
        lost = False

        def progress(done):
            nonlocal lost
            lost = not _record(job, token, done=done, lease_expires_at=_lease(timezone.now()))
            return not lost

        done = write(fanout.chunks(job, settings.FANOUT_CHUNK_SIZE), progress=progress)
        if lost:
            logger.warning("Fan-out job %s was taken over by another worker.", job.pk)
            return done
        _record(
            job,
            token,
            status=FanoutJob.Status.DONE,
            done=done,
            total=max(total, done),
            finished_at=timezone.now(),
            claim_token=None,
            lease_expires_at=None,
        )
        return done
    except Exception as error:
        logger.exception("Fan-out job %s (%s) failed", job.pk, job.name)
        gives_up = job.attempts >= settings.FANOUT_MAX_ATTEMPTS
        _record(
            job,
            token,
            status=FanoutJob.Status.FAILED if gives_up else FanoutJob.Status.QUEUED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now() if gives_up else None,
            claim_token=None,
            lease_expires_at=None,
        )
        return None


def requeue_stalled(*, now=None) -> int:
    """Queue jobs whose task never ran (the broker was down) or whose worker died."""
    now = now or timezone.now()
    quiet_since = now - timedelta(seconds=settings.OUTBOX_REQUEUE_AFTER_SECONDS)
    stalled = list(
        FanoutJob.objects.filter(
            Q(status=FanoutJob.Status.QUEUED, updated_at__lt=quiet_since)
            | Q(status=FanoutJob.Status.RUNNING, lease_expires_at__lt=now)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:100]
    )
    queue(stalled)
    return len(stalled)


def recent_for_event(event, *, now=None, finished_within=timedelta(minutes=30)):
    """The event's jobs still at work, and those that finished lately, newest first."""
    now = now or timezone.now()
    return list(
        FanoutJob.objects.filter(event=event)
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=now - finished_within))
        .order_by("-created_at", "-id")[:10]
    )
