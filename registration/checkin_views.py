"""The check-in desk, made for a phone at the door: type, paste or scan a ticket code, or find
someone by name, and see at once whether to let them in.

Check-in staff, managers and owners may check people in. An event of a team I am not in does
not exist for me (404). Every page works with plain form posts; with htmx the result replaces
itself in place.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from events.audit import Actor
from events.models import Event
from events.selectors import event_for_member

from . import checkin
from .models import Registration

SEARCH_TARGET = "search-results"


class TicketCodeForm(forms.Form):
    # Set by the desk's script when a check-in queued offline is sent later: when it was typed.
    scanned_at = forms.IntegerField(required=False, widget=forms.HiddenInput)
    ticket_code = forms.CharField(
        label=_("Ticket code"),
        max_length=64,
        error_messages={"required": _("Type or scan a ticket code.")},
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocapitalize": "characters",
                "autocomplete": "off",
                "autocorrect": "off",
                "spellcheck": "false",
                "inputmode": "text",
                "enterkeyhint": "go",
                "class": "checkin-code__input",
            }
        ),
    )


@dataclass
class DeskResult:
    """What the desk shows after a check-in attempt."""

    kind: str  # "checked_in", "already", "unknown", "ambiguous", "not_confirmed"
    event: Event
    registration: Registration | None = None
    ticket_code: str = ""
    message: str = ""
    matches: list = field(default_factory=list)

    @property
    def checked_in_today(self):
        """Whether the first check-in happened on today's date where the event takes place."""
        checked_in = timezone.localtime(self.registration.checked_in_at, self.event.tzinfo)
        return checked_in.date() == timezone.localtime(timezone=self.event.tzinfo).date()


def _event_for(request, slug, permission):
    """The event by slug among the user's teams' events, if the user holds the permission."""
    return event_for_member(request.user, slug, permission)


@login_required
@require_http_methods(["GET", "POST"])
def desk(request, slug):
    event = _event_for(request, slug, "events.check_in")
    if request.method == "GET":
        query = request.GET.get("q", "")
        if request.htmx and request.htmx.target == SEARCH_TARGET:
            return render(
                request,
                "registration/checkin/_search_results.html",
                _search_context(event, query),
            )
        return _render_desk(request, event, TicketCodeForm(), query=query)
    form = TicketCodeForm(request.POST)
    result = None
    if form.is_valid():
        code = form.cleaned_data["ticket_code"]
        now = _scanned_at(form.cleaned_data["scanned_at"])
        try:
            registration, already = checkin.check_in(
                event=event, ticket_code=code, actor=Actor.for_request(request), now=now
            )
        except checkin.TicketNotFound as unknown:
            result = DeskResult("unknown", event, ticket_code=code, message=unknown.message)
        except checkin.AmbiguousTicketCode as ambiguous:
            result = DeskResult(
                "ambiguous", event, ticket_code=ambiguous.ticket_code, matches=ambiguous.matches
            )
        except checkin.NotConfirmed as refusal:
            result = DeskResult("not_confirmed", event, refusal.registration, code)
        else:
            result = DeskResult("already" if already else "checked_in", event, registration, code)
        form = TicketCodeForm()
    return _render_desk(request, event, form, result=result, query=request.POST.get("q", ""))


# A check-in queued while the desk was offline keeps the time it was typed, if that is recent.
QUEUED_FOR_AT_MOST = timedelta(minutes=30)


def _scanned_at(milliseconds):
    """The time a queued check-in was typed, or None (now) when absent or implausible."""
    if milliseconds is None:
        return None
    try:
        moment = datetime.fromtimestamp(milliseconds / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    now = timezone.now()
    return moment if now - QUEUED_FOR_AT_MOST <= moment <= now else None


@login_required
@require_POST
def check_in_registrant(request, slug, registration_id):
    """The Check in button beside a name found by search."""
    event = _event_for(request, slug, "events.check_in")
    registration = get_object_or_404(Registration, pk=registration_id, event=event)
    try:
        registration, already = checkin.check_in_registration(
            registration=registration, actor=Actor.for_request(request)
        )
    except checkin.NotConfirmed as refusal:
        result = DeskResult("not_confirmed", event, refusal.registration)
    else:
        result = DeskResult("already" if already else "checked_in", event, registration)
    return _render_desk(
        request, event, TicketCodeForm(), result=result, query=request.POST.get("q", "")
    )


def _render_desk(request, event, form, *, result=None, query=""):
    context = {
        "event": event,
        "form": form,
        "result": result,
        "counts": checkin.door_counts(event),
        "may_import": event.is_online and request.user.has_perm("events.change_event", event),
        **_search_context(event, query),
    }
    if request.htmx:
        return render(request, "registration/checkin/_response.html", context)
    return render(request, "registration/checkin/desk.html", context)


def _search_context(event, query):
    query = query.strip()
    return {
        "event": event,
        "query": query,
        "searched": len(query) >= checkin.SEARCH_MIN_LENGTH,
        "found": list(checkin.search_door_list(event, query)),
        "search_min_length": checkin.SEARCH_MIN_LENGTH,
        "search_limit": checkin.SEARCH_LIMIT,
    }
