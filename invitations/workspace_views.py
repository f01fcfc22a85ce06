"""The organizer's guest list of an event: invite, send, remind, correct, revoke, export.

Members of the event's team may look; owners and managers act. An event of a team I am not in
does not exist for me (404). Every GET only shows (revoking, sending and reminding ask first);
every change goes through invitations.services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django_countries import countries

from events.audit import Actor
from events.selectors import event_for_member
from events.services import TransitionNotAllowed

from . import export, selectors, services
from .models import Contact, Invitation
from .selectors import GuestListFilters
from .workspace_forms import (
    InvitationEditForm,
    InviteForm,
    ReminderScheduleForm,
    count_message,
)

GUESTS_PER_PAGE = 50
CONTACTS_SHOWN = 50


def _event_for(request, slug, permission):
    """The event by slug among the user's teams' events, if the user holds the permission."""
    return event_for_member(request.user, slug, permission)


def _list_url(event, query=None):
    url = reverse("guests:list", kwargs={"slug": event.slug})
    return f"{url}?{urlencode(query)}" if query else url


def _back(request, event):
    """The guest list as the organizer was looking at it (filters and page), never elsewhere."""
    # A confirmation page posts to its own URL, which keeps the list's query string.
    source = request.GET.copy()
    if request.method == "POST":
        source.update(request.POST)
    filters = GuestListFilters.from_query(source)
    page = source.get("page", "")
    query = filters.as_query() | ({"page": page} if page.isdigit() and page != "1" else {})
    return _list_url(event, query)


@login_required
@require_GET
def guest_list(request, slug):
    event = _event_for(request, slug, "events.view_private_details")
    filters = GuestListFilters.from_query(request.GET)
    page = selectors.guest_list_page(event, filters, request.GET.get("page"), GUESTS_PER_PAGE)
    counts = selectors.state_counts(event)
    schedule = selectors.reminder_schedule(event)
    may_change = request.user.has_perm("events.change_event", event)
    return render(
        request,
        "invitations/workspace/guest_list.html",
        {
            "event": event,
            "page": page,
            # A row's pages live below the list: <list_path><id>/…/ (see urls).
            "list_path": _list_url(event),
            "seat_limit": event.seats_per_organization,
            "filters": filters,
            "filter_query": urlencode(filters.as_query()),
            "return_query": urlencode(
                filters.as_query() | ({"page": page.number} if page.number > 1 else {})
            ),
            "state_counts": [
                (value, label, counts[value]) for value, label in Invitation.State.choices
            ],
            "total": sum(counts.values()),
            "drafts": counts[Invitation.State.DRAFT],
            "states": Invitation.State.choices,
            "countries": _country_choices(event),
            "schedule": schedule,
            "schedule_form": ReminderScheduleForm(
                initial={"remind_at": schedule.remind_at if schedule else None}, event=event
            )
            if may_change
            else None,
            "may_change": may_change,
        },
    )


def _country_choices(event):
    codes = (
        Invitation.objects.filter(event=event)
        .exclude(country="")
        .values_list("country", flat=True)
        .distinct()
        .order_by()
    )
    return sorted(((code, countries.name(code) or code) for code in codes), key=lambda c: c[1])


@login_required
def invite(request, slug):
    """Invite a contact list, ticked contacts (found with the search box) and pasted addresses;
    optionally send them at once."""
    event = _event_for(request, slug, "events.change_event")
    form = InviteForm(request.POST if request.method == "POST" else None, event=event)
    if form.is_bound and form.is_valid():
        try:
            result = services.invite(
                actor=Actor.for_request(request), event=event, invitees=form.invitees()
            )
        except services.InviteesInvalid as refusal:
            for problems in refusal.errors.values():
                for field, errors in problems.items():
                    form.add_error(field if field in form.fields else None, errors)
        else:
            for words in count_message(len(result.created), result.existing):
                messages.info(request, words)
            if form.cleaned_data["send_now"] and result.created:
                _send(request, event, ids=[invitation.pk for invitation in result.created])
            return redirect(_list_url(event))
    search = request.GET.get("q", "").strip()[:200]
    found = (
        Contact.objects.filter(team=event.organization).search(search)[:CONTACTS_SHOWN]
        if search
        else []
    )
    return render(
        request,
        "invitations/workspace/invite.html",
        {
            "event": event,
            "form": form,
            "search": search,
            "found": found,
            "has_contacts": Contact.objects.filter(team=event.organization).exists(),
            "was_refused": form.is_bound,
        },
    )


def _send(request, event, **selection):
    try:
        queued = services.send_invitations(
            actor=Actor.for_request(request), event=event, **selection
        )
    except TransitionNotAllowed as refusal:
        messages.error(request, str(refusal))
        return
    messages.success(
        request,
        ngettext(
            "%(count)d invitation is on its way.", "%(count)d invitations are on their way.", queued
        )
        % {"count": queued}
        if queued
        else _("There was no draft to send."),
    )


def _ticked(request, event):
    ids = [value for value in request.POST.getlist("invitations") if value.isdigit()]
    return list(Invitation.objects.filter(event=event, pk__in=ids).order_by("pk"))


@login_required
def send(request, slug):
    """GET asks how many drafts to send; the POST sends all drafts, or the ticked ones."""
    event = _event_for(request, slug, "events.change_event")
    if request.method == "POST" and request.POST.get("confirmed"):
        if request.POST.get("scope") == "ticked":
            _send(request, event, ids=[invitation.pk for invitation in _ticked(request, event)])
        else:
            _send(request, event, all_drafts=True)
        return redirect(_back(request, event))
    ticked = _ticked(request, event) if request.method == "POST" else []
    drafts = [invitation for invitation in ticked if invitation.status == Invitation.Status.DRAFT]
    return render(
        request,
        "invitations/workspace/confirm_send.html",
        {
            "event": event,
            "ticked": drafts,
            "count": len(drafts) if ticked else selectors.state_counts(event)["draft"],
            "scope": "ticked" if ticked else "all",
            "back": _back(request, event),
            "filters": GuestListFilters.from_query(request.POST or request.GET),
        },
    )


@login_required
def remind(request, slug):
    """GET (or the ticked rows) shows who would be reminded; the confirming POST reminds."""
    event = _event_for(request, slug, "events.change_event")
    ticked = _ticked(request, event) if request.method == "POST" else []
    ids = [invitation.pk for invitation in ticked] or None
    if request.method == "POST" and request.POST.get("confirmed"):
        try:
            queued = services.remind(actor=Actor.for_request(request), event=event, ids=ids)
        except TransitionNotAllowed as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d reminder is on its way.",
                    "%(count)d reminders are on their way.",
                    queued,
                )
                % {"count": queued}
                if queued
                else _("Nobody to remind: everyone has answered, or was reminded this hour."),
            )
        return redirect(_back(request, event))
    return render(
        request,
        "invitations/workspace/confirm_remind.html",
        {
            "event": event,
            "count": selectors.to_remind(event, ids=ids).count(),
            "ticked": ticked,
            "back": _back(request, event),
            "filters": GuestListFilters.from_query(request.POST or request.GET),
        },
    )


@login_required
@require_POST
def reminder_schedule(request, slug):
    event = _event_for(request, slug, "events.change_event")
    form = ReminderScheduleForm(request.POST, event=event)
    if form.is_valid():
        try:
            schedule = services.schedule_reminder(
                actor=Actor.for_request(request),
                event=event,
                remind_at=form.cleaned_data["remind_at"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Those who have not answered will be reminded then.")
                if schedule.remind_at
                else _("No reminder is scheduled."),
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(_list_url(event))


def _one(event, invitation_id):
    return get_object_or_404(Invitation, pk=invitation_id, event=event)


@login_required
def revoke(request, slug, invitation_id):
    """GET asks; the POST withdraws the invitation."""
    event = _event_for(request, slug, "events.change_event")
    invitation = selectors.with_state(_one(event, invitation_id))
    if request.method == "POST":
        try:
            services.revoke(actor=Actor.for_request(request), invitation=invitation)
        except TransitionNotAllowed as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("The invitation to %(email)s is withdrawn; its link now says so.")
                % {"email": invitation.email},
            )
        return redirect(_back(request, event))
    return render(
        request,
        "invitations/workspace/confirm_revoke.html",
        {"event": event, "invitation": invitation, "back": _back(request, event)},
    )


@login_required
@require_POST
def resend(request, slug, invitation_id):
    event = _event_for(request, slug, "events.change_event")
    invitation = _one(event, invitation_id)
    try:
        services.resend(actor=Actor.for_request(request), invitation=invitation)
    except TransitionNotAllowed as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("The invitation is on its way to %(email)s again.") % {"email": invitation.email},
        )
    return redirect(_back(request, event))


@login_required
def edit(request, slug, invitation_id):
    """Correct an invitation, e.g. the address of one that bounced, then send it again."""
    event = _event_for(request, slug, "events.change_event")
    invitation = selectors.with_state(_one(event, invitation_id))
    form = InvitationEditForm(
        request.POST if request.method == "POST" else None, instance=invitation
    )
    if form.is_bound and form.is_valid():
        try:
            updated = services.update_invitation(
                actor=Actor.for_request(request),
                invitation=invitation,
                sessions=form.cleaned_data.get("sessions"),
                **form.changes(),
            )
        except (ValidationError, TransitionNotAllowed) as error:
            if isinstance(error, TransitionNotAllowed):
                form.add_error(None, str(error))
            else:
                for field, errors in error.update_error_dict({}).items():
                    form.add_error(field if field in form.fields else None, errors)
        else:
            if "resend" in request.POST:
                return resend(request, slug, updated.pk)
            messages.success(request, _("Saved."))
            return redirect(_back(request, event))
    return render(
        request,
        "invitations/workspace/edit.html",
        {
            "event": event,
            "invitation": invitation,
            "form": form,
            "back": _back(request, event),
            "was_refused": form.is_bound,
        },
    )


@login_required
@require_GET
def export_csv(request, slug):
    event = _event_for(request, slug, "events.change_event")
    grouping = request.GET.get("by", "invitation")
    if grouping not in export.GROUPINGS:
        grouping = "invitation"
    filters = GuestListFilters.from_query(request.GET)
    file = export.export(event, selectors.guest_list(event, filters), grouping)
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response
