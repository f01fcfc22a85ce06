"""The invitee's pages, opened by the token in the invitation link: register, or decline.

The registration form is registration's own; registering goes through
invitations.services.register_by_invitation, which resolves the token and hands registration a
validated grant. GET only shows; declining happens on the POST of its own page. A withdrawn or
expired invitation's links open a page that says so and changes nothing.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from events import i18n, throttling
from events.selectors import public_event
from events.services import TransitionNotAllowed
from events.throttling import throttle
from registration import selectors as registration_selectors
from registration import services as registration_services
from registration.forms import HONORIFICS, RegistrationForm
from registration.views import private_page, register_from_form, render_form_page

from . import selectors, services
from .forms import DeclineForm
from .models import Invitation

# What an invitation knows about the invitee, to fill the form in for them.
PERSONAL_FIELDS = ("honorific", "first_name", "last_name", "email", "position")
MISSION_FIELDS = ("organization_name", "country")


def _invitation_or_404(request, token):
    """The invitation and its event as the public pages show it; drafts do not exist for them.

    The pages speak the invitee's language when the organizers gave one, else the browser's.
    """
    invitation = services.invitation_for_token(token)
    event = invitation and public_event(invitation.event.slug)
    if event is None:
        raise Http404
    i18n.prefer_language(request, invitation.language)
    return invitation, event


def _withdrawn_page(request, invitation, event):
    """Revoked or expired: say so, and whom to ask. Answers 410 Gone, for GET and POST alike."""
    if reason := services.withdrawn_reason(invitation):
        return render(
            request,
            "invitations/withdrawn.html",
            {"event": event, "invitation": invitation, "reason": reason},
            status=410,
        )
    return None


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
    invitation, event = _invitation_or_404(request, token)
    if response := _withdrawn_page(request, invitation, event):
        return response
    seats = selectors.seats(invitation)
    context = {
        "event": event,
        "invitation": invitation,
        "token": token,
        "seats": seats,
        "seats_left": seats.usable,
        "seats_used": seats.used,
        "delegates": selectors.registered_with(invitation) if invitation.transferable else [],
        "can_decline": services.can_decline(invitation, seats),
        "closed_reason": registration_services.registration_is_open(event),
    }
    if (
        context["closed_reason"]
        or invitation.status == Invitation.Status.DECLINED
        or seats.usable < 1
    ):
        return render(request, "invitations/invitation.html", context)

    form = _registration_form(invitation, event, request.POST if request.method == "POST" else None)
    context |= {"form": form, "honorifics": HONORIFICS}
    registered = []

    def register(**fields):
        registered.append(services.register_by_invitation(token=token, **fields))
        return registered[-1]

    valid = form.is_bound and form.is_valid()
    if valid and (response := register_from_form(request, form, context, register)):
        if not invitation.transferable:
            return response
        # The focal point comes back to the invitation to register the next delegate.
        delegate = registered[-1]
        messages.success(
            request,
            _("%(name)s is registered. Their confirmation is on its way to %(email)s.")
            % {"name": delegate.full_name, "email": delegate.email},
        )
        return redirect("invitations:invitation", token=token)
    return render_form_page(request, "invitations/invitation.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
@throttle(throttling.InvitationThrottle)
def decline(request, token):
    """GET asks; only the POST declines (mail scanners open every link)."""
    invitation, event = _invitation_or_404(request, token)
    if response := _withdrawn_page(request, invitation, event):
        return response
    seats = selectors.seats(invitation)
    form = DeclineForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.decline(
                actor=services.invitee_actor(invitation),
                invitation=invitation,
                reason=form.cleaned_data["reason"],
            )
        except TransitionNotAllowed as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("Thank you for letting us know: you have declined the seats that were left.")
                if seats.used
                else _("Thank you for letting us know: you have declined."),
            )
        return redirect("invitations:invitation", token=token)
    return render(
        request,
        "invitations/decline.html",
        {
            "event": event,
            "invitation": invitation,
            "token": token,
            "form": form,
            "seats": seats,
            "delegates": selectors.registered_with(invitation) if seats.used else [],
            "can_decline": services.can_decline(invitation, seats),
        },
    )
