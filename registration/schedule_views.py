"""The organizer's Reminders and Follow-up pages of an event.

Members of the event's team may look; owners and managers may change the schedule and send.
Sending asks first: GET shows what would go to whom and changes nothing; the POST button sends.
Sending writes a fan-out job and returns at once; the page shows its progress.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from events import services as event_services
from events.audit import Actor
from events.models import Resource
from notifications.models import Message

from . import followup, reminders
from .schedule_forms import FollowupSettingsForm, OffsetFormSet, SendFollowupForm, offset_rows
from .workspace_views import _event_for


def _may_change(request, event):
    return request.user.has_perm("events.change_event", event)


def _save_event(request, event, form, **fields):
    """Change the event through its service; a refusal goes back onto the form."""
    try:
        event_services.update_event(actor=Actor.for_request(request), event=event, **fields)
    except ValidationError as error:
        form_errors = getattr(form, "non_form_errors", None)
        message = " ".join(error.messages)
        if form_errors is not None:  # a formset
            messages.error(request, message)
        else:
            form.add_error(None, message)
        return False
    return True


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reminders_page(request, slug):
    event = _event_for(request, slug, "events.view_private_details")
    may_change = _may_change(request, event)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    formset = OffsetFormSet(
        request.POST if request.method == "POST" else None,
        initial=offset_rows(event),
        prefix="offsets",
    )
    if (
        request.method == "POST"
        and formset.is_valid()
        and _save_event(request, event, formset, reminder_offsets=formset.offsets())
    ):
        messages.success(request, _("Reminders saved. Their times follow the event's start."))
        return redirect("schedule:reminders", slug=event.slug)
    return render(
        request,
        "registration/workspace/reminders.html",
        {
            "event": event,
            "schedule": reminders.schedule(event),
            "formset": formset,
            "may_change": may_change,
            "was_refused": request.method == "POST",
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reminder_send(request, slug, key):
    event = _event_for(request, slug, "events.change_event")
    row = next((row for row in reminders.schedule(event) if row.key == key), None)
    if row is None:
        raise Http404
    if request.method == "POST":
        try:
            reminders.send_now(event=event, key=key, requested_by=request.user)
        except reminders.ReminderRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("The reminder “%(offset)s” is going out now to those who have not had it.")
                % {"offset": row.label},
            )
        return redirect("schedule:reminders", slug=event.slug)
    return render(
        request, "registration/workspace/reminder_send.html", {"event": event, "row": row}
    )


def _sent_followups(event):
    """Follow-up messages by kind and status: [(label, {status: n}, total)]."""
    by_kind = {}
    for row in (
        Message.objects.filter(event=event, kind__in=(*followup.FOLLOWUP_KINDS, followup.UPDATE))
        .values("kind", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        by_kind.setdefault(row["kind"], {})[row["status"]] = row["n"]
    return [
        (
            Message.Kind(kind).label,
            [(Message.Status(status).label, n) for status, n in sorted(counts.items())],
            sum(counts.values()),
        )
        for kind in (*followup.FOLLOWUP_KINDS, followup.UPDATE)
        if (counts := by_kind.get(kind))
    ]


def _material_by_audience(event):
    labels = {
        followup.ATTENDED: _("Those who attended"),
        followup.ABSENT: _("Registrants who did not attend"),
        followup.INVITED: _("Invited guests who did not register"),
    }
    return [
        (labels[kind], followup.material(event.pk, audiences))
        for kind, audiences in followup.AUDIENCES.items()
    ]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def followup_page(request, slug):
    event = _event_for(request, slug, "events.view_private_details")
    may_change = _may_change(request, event)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    form = FollowupSettingsForm(
        request.POST if request.method == "POST" else None, instance=event, prefix="settings"
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in FollowupSettingsForm.Meta.fields}
        if _save_event(request, event, form, **fields):
            messages.success(request, _("Follow-up settings saved."))
            return redirect("schedule:followup", slug=event.slug)
    started = event.fanout_jobs.filter(name="followup").order_by("created_at").first()
    return render(
        request,
        "registration/workspace/followup.html",
        {
            "event": event,
            "refusal": followup.refusal(event),
            "counts": followup.audience_counts(event),
            "invitees": followup.invitee_count(event),
            "material": _material_by_audience(event),
            "sent": _sent_followups(event),
            "first_sent": started,
            "new_material": followup.new_material(event),
            "form": form,
            "may_change": may_change,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def followup_send(request, slug):
    event = _event_for(request, slug, "events.change_event")
    if reason := followup.refusal(event):
        messages.error(request, reason)
        return redirect("schedule:followup", slug=event.slug)
    form = SendFollowupForm(
        request.POST if request.method == "POST" else None,
        initial={"include_invitees": event.followup_include_invitees},
    )
    if request.method == "POST" and form.is_valid():
        try:
            started = followup.start(
                event=event,
                include_invitees=form.cleaned_data["include_invitees"],
                requested_by=request.user,
            )
        except followup.FollowupRefused as refusal:
            messages.error(request, str(refusal))
        else:
            counts = {"attended": started.attended, "absent": started.absent}
            messages.success(
                request,
                _(
                    "The follow-up is going out: %(attended)d to those who attended, "
                    "%(absent)d to those who did not, %(invited)d to invited guests."
                )
                % (counts | {"invited": started.invited}),
            )
        return redirect("schedule:followup", slug=event.slug)
    return render(
        request,
        "registration/workspace/followup_send.html",
        {
            "event": event,
            "form": form,
            "counts": followup.audience_counts(event),
            "invitees": followup.invitee_count(event),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def followup_note(request, slug, resource_id):
    event = _event_for(request, slug, "events.change_event")
    resource = get_object_or_404(Resource, pk=resource_id, event=event)
    offer = next((item for item in followup.new_material(event) if item.resource == resource), None)
    if offer is None:
        raise Http404  # not new since the follow-up, or no follow-up went yet
    if request.method == "POST":
        try:
            followup.send_new_material(resource=resource, requested_by=request.user)
        except followup.FollowupRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, _("A note about “%(title)s” is going out.") % {"title": resource.title}
            )
        return redirect("schedule:followup", slug=event.slug)
    return render(
        request, "registration/workspace/followup_note.html", {"event": event, "offer": offer}
    )
