"""The progress of an event's fan-out jobs, as the partial that htmx polls."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .templatetags.fanout import progress_context
from .workspace_views import _event_for


@login_required
@require_safe
def fanout_progress(request, slug):
    event = _event_for(request, slug, "events.view_event")
    return render(request, "notifications/workspace/_fanout_progress.html", progress_context(event))
