"""The organizer's registrants page: who registered, how full each mode and session is, and the
decisions on each registration; the export for a grounds-pass list; the event's questions.

Members of the event's team may look; owners and managers may act; exporting is for owners and
managers only. An event of a team I am not in does not exist for me (404). Every decision goes
through registration.services, one registration and one transaction at a time.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from events.audit import Actor
from events.selectors import event_for_member

from . import badges, export, organizer_selectors, services
from .models import AttendanceMode, Registration
from .organizer_selectors import RegistrantFilters
from .workspace_forms import BulkActionForm, DecisionForm, QuestionFormSet

REGISTRANTS_PER_PAGE = 50
FAILURES_NAMED = 10  # the rest of a long list of refusals is counted, not named
# What each decision does, in the words of the page; the service refuses what a status forbids.
DECISIONS = {
    "approve": {
        "service": services.approve,
        "done": lambda n: ngettext(
            "%(n)d registration approved.", "%(n)d registrations approved.", n
        ),
    },
    "decline": {
        "service": services.decline,
        "done": lambda n: ngettext(
            "%(n)d registration declined.", "%(n)d registrations declined.", n
        ),
    },
    "cancel": {
        "service": services.cancel,
        "done": lambda n: ngettext(
            "%(n)d registration cancelled.", "%(n)d registrations cancelled.", n
        ),
    },
}


def _event_for(request, slug, permission):
    """The event by slug among the user's teams' events, if the user holds the permission."""
    return event_for_member(request.user, slug, permission)


def _list_url(event, filters: RegistrantFilters, page=None):
    url = reverse("registrants:list", kwargs={"slug": event.slug})
    query = filters.as_query() | ({"page": page} if page and str(page) != "1" else {})
    return f"{url}?{urlencode(query)}" if query else url


@login_required
@require_GET
def registrant_list(request, slug):
    event = _event_for(request, slug, "events.view_private_details")
    filters = RegistrantFilters.from_query(request.GET)
    page = Paginator(
        organizer_selectors.registrants(event, filters), REGISTRANTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    counts = organizer_selectors.status_counts(event)
    return render(
        request,
        "registration/workspace/registrant_list.html",
        {
            "event": event,
            "page": page,
            # A row's decisions live below the list: <list_path><id>/<action>/ (see urls).
            "list_path": reverse("registrants:list", kwargs={"slug": event.slug}),
            "filters": filters,
            "filter_query": urlencode(filters.as_query()),
            # Where a row's decision returns to: this page of the list as filtered.
            "return_query": urlencode(
                filters.as_query() | ({"page": page.number} if page.number > 1 else {})
            ),
            "status_counts": [
                (value, label, counts[value]) for value, label in Registration.Status.choices
            ],
            "total": sum(counts.values()),
            "seats": organizer_selectors.seat_use(event),
            "statuses": Registration.Status.choices,
            "modes": [(mode, AttendanceMode(mode).label) for mode in services.allowed_modes(event)],
            "countries": organizer_selectors.country_choices(event),
            "actions": BulkActionForm.ACTIONS,
            "may_change": request.user.has_perm("events.change_event", event),
            "may_export": request.user.has_perm("events.export_registrants", event),
            "export_columns": export.available_columns(event),
        },
    )


def _decide_each(registrations, action, note, actor):
    """Apply the decision to each registration in its own transaction; (done, [(r, reason)])."""
    service = DECISIONS[action]["service"]
    done, failed = 0, []
    for registration in registrations:
        try:
            service(registration=registration, actor=actor, note=note)
        except services.RegistrationRefused as refusal:
            failed.append((registration, refusal.reason))
        else:
            done += 1
    return done, failed


def _report(request, action, done, failed):
    if done:
        messages.success(request, DECISIONS[action]["done"](done) % {"n": done})
    if failed:
        named = failed[:FAILURES_NAMED]
        reasons = "; ".join(
            f"{registration.full_name} ({registration.email}): {reason}"
            for registration, reason in named
        )
        if len(failed) > len(named):
            reasons += " " + _("and %(n)d more.") % {"n": len(failed) - len(named)}
        messages.error(
            request,
            ngettext(
                "%(n)d registration was left unchanged: %(reasons)s",
                "%(n)d registrations were left unchanged: %(reasons)s",
                len(failed),
            )
            % {"n": len(failed), "reasons": reasons},
        )


@login_required
@require_POST
def bulk_action(request, slug):
    """Approve at once; decline and cancel first show how many, and act on the second POST."""
    event = _event_for(request, slug, "events.change_event")
    filters = RegistrantFilters.from_query(request.POST)
    back = _list_url(event, filters, request.POST.get("page"))
    form = BulkActionForm(request.POST, event=event)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    action = form.cleaned_data["action"]
    registrations = list(form.cleaned_data["registrations"].order_by("created_at", "id"))
    if form.needs_confirmation:
        return render(
            request,
            "registration/workspace/confirm_decision.html",
            {
                "event": event,
                "action": action,
                "action_label": dict(BulkActionForm.ACTIONS)[action],
                "registrations": registrations,
                "note": form.cleaned_data["note"],
                "filters": filters,
                "page_number": request.POST.get("page", ""),
                "back": back,
                "form_action": reverse("registrants:bulk", kwargs={"slug": event.slug}),
            },
        )
    done, failed = _decide_each(
        registrations, action, form.cleaned_data["note"], Actor.for_request(request)
    )
    _report(request, action, done, failed)
    return redirect(back)


@login_required
def registration_decision(request, slug, registration_id, action):
    """One registration. Approving is a POST; declining and cancelling show a confirmation on
    GET, which changes nothing, and act on POST."""
    if action not in DECISIONS:
        raise Http404
    event = _event_for(request, slug, "events.change_event")
    registration = get_object_or_404(Registration, pk=registration_id, event=event)
    filters = RegistrantFilters.from_query(request.POST or request.GET)
    back = _list_url(event, filters, (request.POST or request.GET).get("page"))
    if request.method == "POST":
        form = DecisionForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        done, failed = _decide_each([registration], action, note, Actor.for_request(request))
        _report(request, action, done, failed)
        return redirect(back)
    if action == "approve":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    return render(
        request,
        "registration/workspace/confirm_decision.html",
        {
            "event": event,
            "action": action,
            "action_label": dict(BulkActionForm.ACTIONS)[action],
            "registrations": [registration],
            "note": "",
            "filters": filters,
            "page_number": request.GET.get("page", ""),
            "back": back,
            "form_action": request.path,
            "single": True,
        },
    )


def _export_response(file):
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


@login_required
@require_GET
def export_registrants(request, slug, file_format):
    event = _event_for(request, slug, "events.view_event")
    if not request.user.has_perm("events.export_registrants", event):
        raise PermissionDenied
    filters = RegistrantFilters.from_query(request.GET)
    try:
        file = export.export(
            event,
            organizer_selectors.registrants(event, filters),
            file_format,
            export.column_keys(request.GET),
        )
    except export.UnknownColumns as unknown:
        messages.error(request, str(unknown))
        return redirect(_list_url(event, filters))
    return _export_response(file)


@login_required
@require_GET
def export_badges(request, slug, file_format):
    """Badges for the confirmed registrants who come in person, as a PDF to print or a CSV."""
    event = _event_for(request, slug, "events.view_event")
    if not request.user.has_perm("events.export_registrants", event):
        raise PermissionDenied
    filters = RegistrantFilters.from_query(request.GET)
    try:
        file, missing = badges.export_badges(
            event,
            organizer_selectors.registrants(event, filters),
            file_format,
            paper=request.GET.get("paper", "a4"),
        )
    except badges.BadgeFontsMissing as problem:
        messages.error(request, str(problem))
        return redirect(_list_url(event, filters))
    if missing:  # a badge with empty boxes for a name is worse than none
        messages.error(request, badges.missing_message(missing))
        return redirect(_list_url(event, filters))
    return _export_response(file)


@login_required
def questions(request, slug):
    """Add, edit, order and delete the questions every registrant answers."""
    event = _event_for(request, slug, "events.change_event")
    formset = QuestionFormSet(
        request.POST if request.method == "POST" else None,
        queryset=event.questions.all(),
        prefix="questions",
    )
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            for question in formset.save(commit=False):
                question.event = event
                question.save()
            for question in formset.deleted_objects:
                question.delete()
        messages.success(request, _("Questions saved."))
        return redirect("registrants:questions", slug=event.slug)
    return render(
        request,
        "registration/workspace/questions.html",
        {"event": event, "formset": formset, "was_refused": request.method == "POST"},
    )
