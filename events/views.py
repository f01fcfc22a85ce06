"""Public pages: the listing, an event's page and its calendar file. Nobody needs to sign in."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from . import selectors
from .ics import event_calendar as build_calendar

EVENTS_PER_PAGE = 20


@require_safe
def upcoming_events(request):
    now = timezone.now()
    upcoming = Paginator(selectors.public_events().upcoming(now), EVENTS_PER_PAGE)
    return render(
        request,
        "events/upcoming.html",
        {
            "page": upcoming.get_page(request.GET.get("page")),
            "past_events": selectors.public_events().past(now)[:10],
        },
    )


def _public_event_or_404(slug):
    event = selectors.public_event(slug)
    if event is None:
        raise Http404
    return event


@require_safe
def event_detail(request, slug):
    event = _public_event_or_404(slug)
    resources = selectors.after_event_order(event.resources.all())
    has_ended = event.has_ended()
    # After the event the page leads with its recording, then the reports and reading; before
    # it, only related reading is shown, last.
    recordings = [r for r in resources if has_ended and r.kind == r.Kind.RECORDING]
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "hosts_phrase": selectors.hosts_phrase(event.hosts.all(), team=event.organization),
            "programme": selectors.programme(event.speakers.all()),
            "sessions": event.sessions.all(),
            "has_ended": has_ended,
            "after_event": has_ended and not event.is_cancelled,
            "recording": recordings[0] if recordings else None,
            "resources": [
                r
                for r in resources
                if (has_ended and r not in recordings[:1]) or r.kind == r.Kind.RELATED
            ],
        },
    )


@require_safe
def event_calendar(request, slug):
    event = _public_event_or_404(slug)
    response = HttpResponse(build_calendar(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@require_safe
def directory_suggest(request):
    """Directory entries matching `?q=`, for the organization field of the registration form.

    Public and read-only; the same answer for everyone, so browsers and caches may keep it.
    Teams are never suggested.
    """
    entries = selectors.directory_suggestions(request.GET.get("q", ""))
    response = JsonResponse(
        {
            "results": [
                {"id": entry.pk, "name": entry.name, "short_name": entry.short_name}
                for entry in entries
            ]
        }
    )
    patch_cache_control(response, public=True, max_age=600)
    return response
