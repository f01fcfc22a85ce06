"""The invitee's pages, opened by the token in the invitation link: register, or decline.

The registration form is registration's own; registering goes through
invitations.services.register_by_invitation, which resolves the token and hands registration a
validated grant. GET only shows; declining happens on the POST of its own page.
"""

from functools import partial

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from events import throttling
from events.selectors import public_event
from events.services import TransitionNotAllowed
from events.throttling import throttle
from registration import selectors as registration_selectors
from registration import services as registration_services
from registration.forms import HONORIFICS, RegistrationForm
from registration.views import private_page, register_from_form

from . import selectors, services
from .forms import DeclineForm
from .models import Invitation

# What an invitation knows about the invitee, to fill the form in for them.
PERSONAL_FIELDS = ("honorific", "first_name", "last_name", "email", "position")
MISSION_FIELDS = ("organization_name", "country")


def _invitation_or_404(token):
    """The invitation and its event as the public pages show it; drafts do not exist for them."""
    invitation = services.invitation_for_token(token)
    event = invitation and public_event(invitation.event.slug)
    if event is None:
        raise Http404
    return invitation, event


def _registration_form(invitation, event, data):
    """Registration's form, filled in from the invitation, with the sessions it opens open.

    A mission's invitation is filled in with the mission only: each delegate gives their own
    name and address. A personal one is filled in with the invitee and keeps its address.
    """
    fields = MISSION_FIELDS if invitation.transferable else PERSONAL_FIELDS + MISSION_FIELDS
    initial = {name: getattr(invitation, name) for name in fields if getattr(invitation, name)}
    if invitation.language:
        initial["language"] = invitation.language
    form = RegistrationForm(
        data,
        event=event,
        places=registration_selectors.places_left(event),
        initial=initial,
    )
    if not invitation.transferable:
        form.fields["email"].widget.attrs["readonly"] = True
        form.fields["email"].help_text = _(
            "This invitation is personal, so you register with the address it was sent to."
        )
    if "sessions" in form.fields:
        opened = {str(pk) for pk in invitation.sessions.values_list("pk", flat=True)}
        widget = form.fields["sessions"].widget
        widget.closed = widget.closed - opened
    return form


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
@throttle(*throttling.REGISTERING)
def invitation(request, token):
    invitation, event = _invitation_or_404(token)
    seats_left = selectors.seats_left(invitation)
    context = {
        "event": event,
        "invitation": invitation,
        "token": token,
        "seats_left": seats_left,
        "seats_used": invitation.seats - seats_left,
        "closed_reason": registration_services.registration_is_open(event),
    }
    if (
        context["closed_reason"]
        or invitation.status == Invitation.Status.DECLINED
        or seats_left < 1
    ):
        return render(request, "invitations/invitation.html", context)

    form = _registration_form(invitation, event, request.POST if request.method == "POST" else None)
    context |= {"form": form, "honorifics": HONORIFICS}
    register = partial(services.register_by_invitation, token=token)
    valid = form.is_bound and form.is_valid()
    if valid and (response := register_from_form(request, form, context, register)):
        return response
    return render(request, "invitations/invitation.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
def decline(request, token):
    """GET asks; only the POST declines (mail scanners open every link)."""
    invitation, event = _invitation_or_404(token)
    form = DeclineForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.decline(invitation=invitation, reason=form.cleaned_data["reason"])
        except TransitionNotAllowed as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Thank you for letting us know: you have declined."))
        return redirect("invitations:invitation", token=token)
    return render(
        request,
        "invitations/decline.html",
        {
            "event": event,
            "invitation": invitation,
            "token": token,
            "form": form,
            "can_decline": invitation.status != Invitation.Status.DECLINED
            and not selectors.seats_used(invitation),
        },
    )
