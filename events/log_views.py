"""The event's Log page in the workspace: who changed what, newest first, with filters.

For members who may see the event's private details (the log names registrants and
addresses); check-in staff get a 403, another team's event is a 404."""

from urllib.parse import urlencode

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from . import log
from .models import LogEntry
from .workspace_views import _event_for

ENTRIES_PER_PAGE = 50


@login_required
def event_log(request, slug):
    event = _event_for(request, slug, "events.view_private_details")
    filters = log.LogFilters.from_query(request.GET)
    families = log.action_families(event)
    types = log.object_types(event)
    # The page filters by family ("invitation" → "invitation."): a code it does not offer
    # is ignored rather than matched as a prefix of something else.
    family = request.GET.get("family", "")
    if family not in families:
        family = ""
    filters = log.LogFilters(
        action=f"{family}." if family else "",
        actor_kind=filters.actor_kind,
        object_type=filters.object_type if filters.object_type in types else "",
        search=filters.search,
    )
    entries = log.entries_for_event(event, filters)
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    zone = event.tzinfo
    rows = log.rows(page.object_list, zone)
    chosen = {
        "family": family,
        "actor_kind": filters.actor_kind,
        "object_type": filters.object_type,
        "q": filters.search,
    }
    return render(
        request,
        "workspace/event_log.html",
        {
            "event": event,
            "page": page,
            "rows": rows,
            "families": families,
            "object_types": types,
            "actor_kinds": LogEntry.ActorKind.choices,
            "chosen": chosen,
            "filtered": any(chosen.values()),
            "filter_query": urlencode({key: value for key, value in chosen.items() if value}),
            "has_entries": LogEntry.objects.of_event(event).exists(),
        },
    )


@login_required
def registration_history(request, slug, registration_id):
    """A registration's history: its own entries and its invitation's."""
    event = _event_for(request, slug, "events.view_private_details")
    # Looked up by name: registration is an app above events.
    registration_model = apps.get_model("registration", "Registration")
    registration = get_object_or_404(registration_model, pk=registration_id, event=event)
    registration.event = event
    return render(
        request,
        "workspace/registration_history.html",
        {"event": event, "registration": registration},
    )
