"""Importing a file of contacts: upload, the columns confirmed, a dry run, and the job.

Uploading stores the file through Django's default storage and records what it is; nothing is
written to the address book until the import starts. The job (a Celery task with the import's
id) streams the rows, checks each, and writes the good ones a chunk at a time: one transaction
per chunk upserts the contacts by email, adds their tags and list membership, records the
refused rows and moves the import's progress on. A run that stops part way resumes after the
last committed chunk; the sweep queues a crashed run again and, after a few tries, marks it
failed. The file is deleted when the import ends.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from events.audit import Actor, log_action

from ..models import Contact, ContactImport
from . import files
from .fields import IMPORT_FIELDS, RowCleaner, check_mapping, guess_mapping
from .writing import ChunkWriter, LostClaim, duplicate_message

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 10
PREVIEW_CHECK_ROWS = 1000
DRAFT_LIFETIME = timedelta(days=1)
Status = ContactImport.Status


# --- Upload and start --------------------------------------------------------------------------


def _check_list(team, contact_list):
    if contact_list is not None and contact_list.team_id != team.pk:
        raise ValidationError({"contact_list": _("Choose one of your team's lists.")})


def mapping_from_names(columns, names: dict) -> dict[str, int]:
    """{field: column index} from {field: a column's header text or its number from 1}, as the
    API takes it (None for a field not to import); an unknown column is a ValidationError on
    `mapping`."""
    if not isinstance(names, dict):
        raise ValidationError({"mapping": _("Give an object of field: column header.")})
    by_name = {str(column).strip().casefold(): index for index, column in enumerate(columns)}
    mapping = {}
    for name, column in names.items():
        if name not in IMPORT_FIELDS:
            raise ValidationError(
                {"mapping": _("“%(field)s” is not a contact field.") % {"field": name}}
            )
        if column in (None, ""):
            mapping[name] = None
            continue
        if isinstance(column, int) and not isinstance(column, bool) and column >= 1:
            index = column - 1
        else:
            index = by_name.get(str(column).strip().casefold())
        if index is None or index >= len(columns):
            raise ValidationError(
                {"mapping": _("The file has no column “%(column)s”.") % {"column": column}}
            )
        mapping[name] = index
    return mapping


def import_create(
    *, actor: Actor, team, user, upload, contact_list=None, mapping=None, start=False
) -> ContactImport:
    """Check and store an uploaded file; start the import at once when `start` (the API).

    `mapping` ({field: a column's header text or number from 1}) replaces the columns guessed
    from the header for the fields it names; a field given None is not imported. A file that is
    empty, too large or neither CSV nor XLSX raises ValidationError on `file` and stores
    nothing.
    """
    _check_list(team, contact_list)
    info = files.inspect(upload)
    columns = info.columns
    chosen = guess_mapping(columns) | mapping_from_names(columns, mapping or {})
    chosen = {name: index for name, index in chosen.items() if index is not None}
    if start:
        chosen = check_mapping(chosen, columns)
    contact_import = ContactImport(
        team=team,
        created_by=user if user and user.is_authenticated else None,
        contact_list=contact_list,
        file_name=(getattr(upload, "name", "") or "contacts")[-255:],
        file_format=info.file_format,
        encoding=info.encoding,
        delimiter=info.delimiter,
        header_row=info.header_row,
        columns=columns,
        mapping=chosen,
        total=info.data_rows,
    )
    upload.seek(0)
    contact_import.file.save(f"{uuid.uuid4().hex}.{info.file_format}", upload, save=False)
    try:
        with transaction.atomic():
            contact_import.save()
            if start:
                _queue(contact_import)
            log_action(
                actor=actor,
                action="import.started" if start else "import.uploaded",
                obj=contact_import,
                data={"file": contact_import.file_name, "rows": contact_import.total},
            )
    except BaseException:
        contact_import.file.delete(save=False)
        raise
    return contact_import


def _queue(contact_import):
    """Mark the import queued and hand its id to Celery once the transaction commits."""
    now = timezone.now()
    contact_import.status = Status.QUEUED
    contact_import.heartbeat_at = now
    ContactImport.objects.filter(pk=contact_import.pk).update(
        status=Status.QUEUED, heartbeat_at=now
    )
    import_id = contact_import.pk
    transaction.on_commit(lambda: queue_import(import_id))


def queue_import(import_id):
    from ..tasks import run_contact_import

    try:
        run_contact_import.apply_async((import_id,), retry=False)
    except Exception:  # the broker is unreachable; the sweep queues it again
        logger.warning("Could not queue contact import %s; the sweep will.", import_id)


@transaction.atomic
def import_start(*, actor: Actor, contact_import, mapping=None, contact_list=None) -> ContactImport:
    """Confirm the columns (and the list to add the contacts to) and start the job."""
    contact_import = ContactImport.objects.select_for_update().get(pk=contact_import.pk)
    if contact_import.status != Status.DRAFT:
        raise ValidationError(_("This import has already started."), code="started")
    _check_list(contact_import.team, contact_list)
    contact_import.mapping = check_mapping(
        contact_import.mapping if mapping is None else mapping, contact_import.columns
    )
    contact_import.contact_list = contact_list
    contact_import.save(update_fields=["mapping", "contact_list"])
    _queue(contact_import)
    log_action(
        actor=actor,
        action="import.started",
        obj=contact_import,
        data={"file": contact_import.file_name, "rows": contact_import.total},
    )
    return contact_import


@transaction.atomic
def import_discard(*, actor: Actor, contact_import) -> None:
    """Drop an import that has not started, and its file."""
    contact_import = ContactImport.objects.select_for_update().get(pk=contact_import.pk)
    if contact_import.status != Status.DRAFT:
        raise ValidationError(_("This import has already started."), code="started")
    name = contact_import.file.name
    log_action(
        actor=actor,
        action="import.discarded",
        obj=contact_import,
        data={"file": contact_import.file_name},
    )
    contact_import.delete()
    transaction.on_commit(lambda: _delete_stored(name))


# --- Dry run -----------------------------------------------------------------------------------


@dataclass
class Preview:
    """The first rows as they would be imported, and the errors among the rows checked."""

    rows: list = field(default_factory=list)  # [(row number, {field: value}, {field: message})]
    errors: list = field(default_factory=list)  # [(row number, field, message)]
    checked: int = 0
    new: int = 0
    existing: int = 0
    more: bool = False  # rows beyond those checked


def import_preview(contact_import, *, mapping=None, show=PREVIEW_ROWS, check=PREVIEW_CHECK_ROWS):
    """A dry run over the first `check` rows with the given (or stored) mapping: writes nothing."""
    cleaner = RowCleaner(contact_import.mapping if mapping is None else mapping)
    preview, seen = Preview(), {}
    with files.open_rows(contact_import) as rows:
        for number, cells in rows:
            if preview.checked == check:
                preview.more = True
                break
            preview.checked += 1
            values, problems = cleaner.clean(cells)
            problems = dict(problems)
            email = values.get("email")
            if not problems and email in seen:
                problems["email"] = duplicate_message(email, seen[email])
            elif not problems:
                seen[email] = number
            if len(preview.rows) < show:
                preview.rows.append((number, values, problems))
            preview.errors.extend((number, name, message) for name, message in problems.items())
    known = set(
        Contact.objects.filter(team_id=contact_import.team_id, email__in=list(seen)).values_list(
            "email", flat=True
        )
    )
    preview.existing = len(known)
    preview.new = len(seen) - len(known)
    return preview


# --- The job -----------------------------------------------------------------------------------


def run_import(import_id, *, actor: Actor) -> str:
    """Claim the import and write its rows; what the Celery task runs. Safe to run twice: a run
    claims the import with one conditional UPDATE, so two never write at once, and a run taking
    over a crashed one resumes after its last committed chunk.

    The run that finishes the import logs `import.finished` (or `import.failed`) with its counts;
    the contacts it writes are not logged one by one: the import's report lists them."""
    now = timezone.now()
    token = uuid.uuid4()
    stale = now - timedelta(seconds=settings.CONTACT_IMPORT_STALE_SECONDS)
    claimed = (
        ContactImport.objects.filter(pk=import_id)
        .filter(Q(status=Status.QUEUED) | Q(status=Status.RUNNING, heartbeat_at__lt=stale))
        .update(
            status=Status.RUNNING,
            claim_token=token,
            heartbeat_at=now,
            started_at=Coalesce(F("started_at"), now),
            attempts=F("attempts") + 1,
        )
    )
    if not claimed:
        return "skipped"
    contact_import = ContactImport.objects.select_related("team").get(pk=import_id)
    if contact_import.attempts > settings.CONTACT_IMPORT_MAX_ATTEMPTS:
        _fail(contact_import, token, _stopped_message(contact_import), actor)
        return "failed"
    try:
        total = _write_rows(contact_import, token)
    except LostClaim:
        return "lost"
    except Exception as error:
        logger.exception("Contact import %s failed", import_id)
        _fail(contact_import, token, _failed_message(contact_import, error), actor)
        return "failed"
    with transaction.atomic():
        finished = ContactImport.objects.filter(pk=import_id, claim_token=token).update(
            status=Status.DONE, total=total, finished_at=timezone.now(), claim_token=None
        )
        if finished:
            contact_import.refresh_from_db()
            log_action(
                actor=actor,
                action="import.finished",
                obj=contact_import,
                data=_counts(contact_import),
            )
    if finished:
        _delete_file(contact_import)
    return "done"


def _failed_message(contact_import, error):
    done = ContactImport.objects.filter(pk=contact_import.pk).values_list("rows_done", flat=True)
    if isinstance(error, ValidationError):
        reason = " ".join(error.messages)
    else:
        reason = _("an unexpected error (%(error)s).") % {"error": type(error).__name__}
    return _(
        "The import stopped after %(done)d rows because of %(reason)s The rows before it were "
        "imported; import the file again to finish: rows already imported are updated, not "
        "added twice."
    ) % {"done": done.first() or 0, "reason": reason}


def _stopped_message(contact_import):
    return _(
        "The import stopped unexpectedly %(times)d times, after %(done)d rows. The rows before "
        "that were imported; import the file again to finish: rows already imported are "
        "updated, not added twice."
    ) % {"times": contact_import.attempts - 1, "done": contact_import.rows_done}


def _counts(contact_import) -> dict:
    return {
        "file": contact_import.file_name,
        **{
            name: getattr(contact_import, name)
            for name in ("total", "created", "updated", "refused")
        },
    }


def _fail(contact_import, token, message, actor):
    with transaction.atomic():
        ended = ContactImport.objects.filter(pk=contact_import.pk, claim_token=token).update(
            status=Status.FAILED, message=message, finished_at=timezone.now(), claim_token=None
        )
        if ended:
            contact_import.refresh_from_db()
            log_action(
                actor=actor,
                action="import.failed",
                obj=contact_import,
                data={**_counts(contact_import), "message": message},
            )
        _delete_file(contact_import)


def _delete_file(contact_import):
    name = contact_import.file.name
    ContactImport.objects.filter(pk=contact_import.pk).update(file="")
    _delete_stored(name)


def _delete_stored(name):
    if not name:
        return
    from django.core.files.storage import default_storage

    try:
        default_storage.delete(name)
    except OSError:
        logger.warning("Could not delete the import file %s", name, exc_info=True)


def _write_rows(contact_import, token) -> int:
    """Stream the file, writing a chunk at a time; returns the number of data rows."""
    cleaner = RowCleaner(contact_import.mapping)
    writer = ChunkWriter(contact_import, token)
    skip = contact_import.rows_done  # committed by an earlier run
    seen = {}  # email -> the row it was first read from
    chunk, count = [], 0
    with files.open_rows(contact_import) as rows:
        for number, cells in rows:
            count += 1
            if count <= skip:
                values, problems = cleaner.clean(cells)
                if not problems:
                    seen.setdefault(values["email"], number)
                continue
            chunk.append((number, cells))
            if len(chunk) == settings.CONTACT_IMPORT_CHUNK_ROWS:
                writer.write(chunk, cleaner, seen)
                chunk = []
        writer.write(chunk, cleaner, seen)
    return count


# --- The sweep ---------------------------------------------------------------------------------


SWEEP = Actor.system("contact import sweep")


def sweep(*, now=None) -> dict:
    """Queue again the imports whose run crashed (no progress for a while) or whose task never
    reached a worker; fail those that crashed too often; drop drafts never started."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.CONTACT_IMPORT_STALE_SECONDS)
    counts = {"requeued": 0, "failed": 0, "discarded": 0}
    for contact_import in ContactImport.objects.filter(
        status__in=[Status.QUEUED, Status.RUNNING], heartbeat_at__lt=stale
    ):
        if (
            contact_import.status == Status.RUNNING
            and contact_import.attempts >= settings.CONTACT_IMPORT_MAX_ATTEMPTS
        ):
            contact_import.attempts += 1  # as the run that would have followed counts it
            ended = ContactImport.objects.filter(
                pk=contact_import.pk, status=Status.RUNNING, heartbeat_at__lt=stale
            ).update(
                status=Status.FAILED,
                message=_stopped_message(contact_import),
                finished_at=now,
                claim_token=None,
            )
            if ended:
                contact_import.refresh_from_db()
                log_action(
                    actor=SWEEP,
                    action="import.failed",
                    obj=contact_import,
                    data={**_counts(contact_import), "message": contact_import.message},
                )
                _delete_file(contact_import)
                counts["failed"] += 1
            continue
        if contact_import.status == Status.QUEUED:
            ContactImport.objects.filter(pk=contact_import.pk).update(heartbeat_at=now)
        queue_import(contact_import.pk)
        counts["requeued"] += 1
    abandoned = ContactImport.objects.filter(
        status=Status.DRAFT, created_at__lt=now - DRAFT_LIFETIME
    )
    for draft in abandoned:
        try:
            import_discard(actor=SWEEP, contact_import=draft)
        except ValidationError:
            continue
        counts["discarded"] += 1
    return counts
