"""A file of contacts being imported into a team's address book, and the rows it refused."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactImport(models.Model):
    """One uploaded CSV or XLSX file, from upload to the end of its import.

    The file stays in Django's default storage (so a worker on another host reads it) until the
    import is done or failed. `rows_done` counts the data rows whose outcome is committed, so a
    run that is interrupted resumes after them and never writes a row twice.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Waiting for the columns to be confirmed")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    FINISHED = (Status.DONE, Status.FAILED)

    team = models.ForeignKey(
        "events.Organization", on_delete=models.CASCADE, related_name="contact_imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    contact_list = models.ForeignKey(
        "ContactList",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imports",
        verbose_name=_("add to list"),
    )
    file = models.FileField(upload_to="contact-imports/", max_length=300, blank=True)
    file_name = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(max_length=10, choices=Format.choices)
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=1, blank=True)
    header_row = models.PositiveIntegerField(default=1)
    columns = models.JSONField(default=list, help_text=_("The header's cells, in order."))
    mapping = models.JSONField(
        default=dict, help_text=_("Each contact field and the index of the column it reads.")
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0, help_text=_("Rows not imported."))
    message = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    claim_token = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="contact_import_sweep")]
        verbose_name = _("contact import")
        verbose_name_plural = _("contact imports")

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self):
        return self.status in self.FINISHED

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.rows_done * 100 // self.total)


class ContactImportError(models.Model):
    """A row the import refused: its number as in the file (the header is row 1 when it is the
    first line), the field at fault and why."""

    contact_import = models.ForeignKey(
        ContactImport, on_delete=models.CASCADE, related_name="errors"
    )
    row = models.PositiveIntegerField()
    field = models.CharField(max_length=50, blank=True)
    message = models.TextField()

    class Meta:
        ordering = ["row", "id"]

    def __str__(self):
        return f"{self.row} {self.field}: {self.message}"
