"""The organizer workspace: list, create, edit, publish and cancel the events of my teams.

Views translate HTTP to the event services and back; the services hold the rules. An event of a
team I am not in does not exist for me (404); one I may see but not change is a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.forms import all_valid
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import parts, services
from .audit import Actor
from .forms import (
    FORMSET_PREFIXES,
    EventForm,
    event_formsets,
    unvalidated,
    with_one_more_row,
)
from .models import Event, Organization
from .selectors import event_for_member

EVENTS_PER_PAGE = 25


def _events_upcoming_first(queryset):
    """Upcoming events soonest first, then past events most recent first."""
    now = timezone.now()
    is_upcoming = {"ends_at__gte": now}
    return queryset.annotate(
        is_past=Case(
            When(**is_upcoming, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
        upcoming_start=Case(When(**is_upcoming, then=F("starts_at"))),
        past_start=Case(When(ends_at__lt=now, then=F("starts_at"))),
    ).order_by("is_past", F("upcoming_start").asc(), F("past_start").desc(), "pk")


def _organizations_for_new_events(user):
    """The teams in which the user may create events."""
    mine = Organization.objects.teams_of(user)
    return mine.filter(pk__in=[org.pk for org in mine if user.has_perm("events.add_event", org)])


def _event_for(request, slug, permission):
    """The event by slug among the user's teams' events, if the user holds the permission."""
    return event_for_member(request.user, slug, permission)


@login_required
def event_list(request):
    events = _events_upcoming_first(
        Event.objects.for_user(request.user).select_related("organization")
    )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "workspace/event_list.html",
        {
            "page": page,
            "may_add_events": _organizations_for_new_events(request.user).exists(),
        },
    )


@login_required
def event_detail(request, slug):
    event = _event_for(request, slug, "events.view_event")
    return render(
        request,
        "workspace/event_detail.html",
        {
            "event": event,
            "hosts": event.hosts.select_related("organization"),
            "speakers": event.speakers.all(),
            "sessions": event.sessions.all(),
            "resources": event.resources.all(),
            "may_change": request.user.has_perm("events.change_event", event),
            "may_see_private": request.user.has_perm("events.view_private_details", event),
        },
    )


def _event_form_page(request, event, save, *, success_message, organizations=None):
    """Validate the event form with its formsets and hand them to `save` in one transaction.

    "Add another …" without JavaScript posts the form with `add_row=<prefix>`: it comes back as
    typed with one more row of that formset, and nothing is saved or validated."""
    data = request.POST if request.method == "POST" else None
    added_row = data.get("add_row", "") if data is not None else ""
    if added_row not in FORMSET_PREFIXES:
        added_row = ""
    if added_row:
        zone = EventForm(data, instance=event, organizations=organizations).zone
        data = with_one_more_row(
            data, event_formsets(None, event, zone, teams=organizations)[added_row]
        )
    form = EventForm(data, instance=event, organizations=organizations)
    formsets = event_formsets(data, event, form.zone, teams=organizations)
    if added_row:
        unvalidated(form, *formsets.values())
    elif data is not None and all_valid([form, *formsets.values()]):
        try:
            with transaction.atomic():
                actor = Actor.for_request(request)
                saved = save(form, actor)
                parts.save_event_parts(actor=actor, event=saved, formsets=formsets.values())
                services.name_team_as_organizer(actor=actor, event=saved)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, success_message)
            return redirect("workspace:event_detail", slug=saved.slug)
    return render(
        request,
        "workspace/event_form.html",
        {
            "form": form,
            "formsets": formsets,
            "event": event if event.pk else None,
            "added_row": added_row,
            # A submitted form is shown again only when something in it was refused.
            "was_refused": data is not None and not added_row,
        },
    )


@login_required
def event_create(request):
    organizations = _organizations_for_new_events(request.user)
    if not organizations.exists():
        raise PermissionDenied

    def create(form, actor):
        return services.create_event(
            actor=actor, organization=form.cleaned_data["organization"], **form.event_fields()
        )

    return _event_form_page(
        request,
        Event(),
        create,
        organizations=organizations,
        success_message=_("Event created as a draft. Publish it when it is ready."),
    )


@login_required
def event_edit(request, slug):
    event = _event_for(request, slug, "events.change_event")

    def update(form, actor):
        return services.update_event(actor=actor, event=event, **form.event_fields())

    return _event_form_page(request, event, update, success_message=_("Changes saved."))


@login_required
@require_POST
def event_publish(request, slug):
    event = _event_for(request, slug, "events.change_event")
    try:
        services.publish_event(actor=Actor.for_request(request), event=event)
    except services.TransitionNotAllowed as refusal:
        messages.error(request, str(refusal))
    except ValidationError as error:
        messages.error(
            request,
            _("This event cannot be published yet: %(reasons)s")
            % {"reasons": " ".join(error.messages)},
        )
    else:
        messages.success(request, _("Published. The event page is now public."))
    return redirect("workspace:event_detail", slug=event.slug)


@login_required
def event_cancel(request, slug):
    """GET asks for confirmation and changes nothing; only the POST button cancels."""
    event = _event_for(request, slug, "events.change_event")
    if request.method == "POST":
        try:
            services.cancel_event(actor=Actor.for_request(request), event=event)
        except services.TransitionNotAllowed as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Cancelled. The event page and calendar entry now say so."))
        return redirect("workspace:event_detail", slug=event.slug)
    return render(request, "workspace/event_cancel.html", {"event": event})
