"""The organizer's online attendance import, in two steps: upload the meeting platform's
report, then see whom it would mark (with the column of addresses it found, or one to pick)
and confirm. Owners and managers only; another team's event is a 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from events.audit import Actor

from . import attendance
from .checkin_views import _event_for
from .models import AttendanceUpload

ROWS_SHOWN = 200  # of each list in the preview; the rest are counted
RECENT_IMPORTS = 10


class AttendanceReportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Attendance report"),
        help_text=gettext_lazy(
            "The participant or attendance report of the online meeting, as Zoom, Microsoft "
            "Teams or Webex export it, or any CSV with a column of email addresses. Up to 5 MB "
            "and 50,000 rows. Nobody is marked before you confirm."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,text/csv"}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance_upload(request, slug):
    event = _event_for(request, slug, "events.change_event")
    form = AttendanceReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            kept = attendance.keep_upload(
                event=event, user=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error.message_dict.get("file", error.messages))
        else:
            return redirect("checkin:attendance_preview", slug=event.slug, upload_id=kept.pk)
    return render(
        request,
        "registration/checkin/attendance.html",
        {
            "event": event,
            "form": form,
            "imports": AttendanceUpload.objects.filter(event=event, applied_at__isnull=False)[
                :RECENT_IMPORTS
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance_preview(request, slug, upload_id):
    """GET shows whom the report would mark (with ?column= to pick the column); POST marks."""
    event = _event_for(request, slug, "events.change_event")
    kept = get_object_or_404(AttendanceUpload, pk=upload_id, event=event)
    if kept.applied_at is not None:
        messages.info(request, _("This report was imported already."))
        return redirect("checkin:attendance", slug=event.slug)
    column = (request.POST if request.method == "POST" else request.GET).get("column", "")
    if request.method == "POST":
        try:
            marked = attendance.apply_upload(
                kept=kept, column=column, actor=Actor.for_request(request)
            )
        except attendance.AlreadyApplied:
            messages.info(request, _("This report was imported already."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("checkin:attendance_preview", slug=event.slug, upload_id=kept.pk)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d online registrant marked as attended.",
                    "%(count)d online registrants marked as attended.",
                    marked,
                )
                % {"count": marked},
            )
        return redirect("checkin:attendance", slug=event.slug)
    column_error = ""
    try:
        report = attendance.read_kept(kept, column=column)
    except ValidationError as error:
        column_error = " ".join(error.messages)
        report = attendance.read_kept(kept)
    plan = attendance.plan(event=event, report=report)
    return render(
        request,
        "registration/checkin/attendance_preview.html",
        {
            "event": event,
            "kept": kept,
            "report": report,
            "plan": plan,
            "column": "" if report.email_column is None else str(report.email_column + 1),
            "columns": [
                (str(i + 1), header or f"#{i + 1}") for i, header in enumerate(report.headers)
            ],
            "column_error": column_error,
            "shown": ROWS_SHOWN,
        },
    )
