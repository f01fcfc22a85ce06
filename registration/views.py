"""The delegate's pages: the registration form, its thank-you page, and the private manage pages.

Views translate HTTP into registration.services calls and their refusals into messages. The
manage pages are opened by the token in the link we email; GET only shows, POST changes.
"""

from functools import wraps

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from events import i18n, throttling
from events.audit import Actor
from events.models import Event
from events.selectors import public_event
from events.throttling import throttle

from . import locking, selectors, services
from .forms import HONORIFICS, RegistrationForm
from .models import AttendanceMode, Registration

# The session remembers who just registered, so the thank-you page needs no token in its URL.
JUST_REGISTERED = "registration:just_registered"


def _event_or_404(slug):
    event = public_event(slug)
    if event is None:
        raise Http404
    return event


@require_http_methods(["GET", "HEAD", "POST"])
@throttle(*throttling.REGISTERING)
def register(request, slug):
    event = _event_or_404(slug)
    context = {"event": event}
    closed_reason = services.registration_is_open(event)
    if closed_reason or event.visibility == Event.Visibility.INVITATION_ONLY:
        context |= {"closed_reason": closed_reason, "invitation_only": not closed_reason}
        return render(request, "registration/public/register.html", context)

    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        event=event,
        places=selectors.places_left(event),
    )
    context |= {"form": form, "honorifics": HONORIFICS}
    valid = form.is_bound and form.is_valid()
    if valid and (response := register_from_form(request, form, context, services.register)):
        return response
    return render_form_page(request, "registration/public/register.html", context)


def render_form_page(request, template, context):
    """The registration form again; a 503 with Retry-After when the seats were busy."""
    response = render(request, template, context)
    if busy := context.get("busy"):
        response.status_code = 503
        response["Retry-After"] = str(busy.retry_after)
    return response


def register_from_form(request, form, context, register):
    """Register with a valid form through `register` (the service, or an invitation's).

    Returns the redirect to the thank-you page, or None with the reason in the context (a
    duplicate, a refusal) or on the form's fields.
    """
    try:
        arguments = form.service_arguments()
        actor = Actor.attendee(f"{arguments['first_name']} {arguments['last_name']}")
        registration = register(actor=actor, **arguments)
    except services.DuplicateRegistration:  # the service sent the existing link again
        context["already_registered"] = True
    except services.RegistrationRefused as refusal:
        context["refused"] = refusal.reason
        if refusal.field in form.fields:
            form.add_error(refusal.field, refusal.reason)
    except ValidationError as error:
        form.add_service_errors(error)
    except locking.Busy as busy:
        context |= {"busy": busy, "refused": busy.reason}
    else:
        request.session[JUST_REGISTERED] = registration.pk
        return redirect("registration:registered", slug=registration.event.slug)
    return None


@require_safe
def registered(request, slug):
    """Thank-you page for the registration just made in this browser."""
    event = _event_or_404(slug)
    registration = event.registrations.filter(pk=request.session.get(JUST_REGISTERED)).first()
    if registration is None:
        return redirect("registration:register", slug=event.slug)
    return render(
        request,
        "registration/public/registered.html",
        {"event": event, "registration": registration},
    )


def private_page(view):
    """For pages opened by a token in the URL: never cached, and the URL never leaks as referrer.

    "strict-origin" sends at most our origin, never the path with the token. "no-referrer" would
    do the same but makes browsers send "Origin: null" with the page's POST forms, which Django's
    CSRF check rightly refuses.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "strict-origin"
        add_never_cache_headers(response)
        return response

    return wrapper


def _registration_or_404(request, token):
    """The registration the link opens; its pages speak the registrant's language."""
    registration = services.manage_token_registration(token)
    if registration is None:
        raise Http404
    i18n.prefer_language(request, registration.language)
    return registration


def _other_mode(registration):
    """The mode this registrant could switch to, or None when the event offers only one."""
    if registration.status not in Registration.ACTIVE_STATUSES:
        return None
    others = [
        mode
        for mode in services.allowed_modes(registration.event)
        if mode != registration.attendance_mode
    ]
    return AttendanceMode(others[0]) if others else None


def _ticket_qr_svg(registration):
    svg = segno.make(registration.ticket_code, error="m").svg_inline(
        scale=6, border=2, svgclass="ticket-qr", title=_("Ticket QR code")
    )
    return mark_safe(svg)  # noqa: S308 - segno draws it from our own ticket code


@require_safe
@private_page
def manage(request, token):
    registration = _registration_or_404(request, token)
    confirmed = registration.status == Registration.Status.CONFIRMED
    online = registration.attendance_mode == AttendanceMode.VIRTUAL
    return render(
        request,
        "registration/public/manage.html",
        {
            "event": registration.event,
            "registration": registration,
            "token": token,
            "sessions": registration.sessions.all(),
            "ticket_qr": _ticket_qr_svg(registration) if confirmed and not online else "",
            # The join link is for confirmed online attendees only, never a public page.
            "join_url": registration.event.online_join_url if confirmed and online else "",
            "other_mode": _other_mode(registration),
            "is_active": registration.status in Registration.ACTIVE_STATUSES,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
def cancel(request, token):
    """GET asks; only the POST cancels (mail scanners open every link)."""
    registration = _registration_or_404(request, token)
    if request.method == "POST":
        try:
            services.cancel(registration=registration, actor=Actor.attendee(registration.full_name))
        except services.RegistrationRefused as refusal:
            messages.error(request, refusal.reason)
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect("registration:manage", token=token)
    return render(
        request,
        "registration/public/cancel.html",
        {
            "event": registration.event,
            "registration": registration,
            "token": token,
            "is_active": registration.status in Registration.ACTIVE_STATUSES,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
def switch_mode(request, token):
    """GET asks; only the POST moves the registration to the other attendance mode."""
    registration = _registration_or_404(request, token)
    if request.method == "POST":
        try:
            registration = services.switch_mode(
                registration=registration,
                actor=Actor.attendee(registration.full_name),
                attendance_mode=request.POST.get("attendance_mode", ""),
            )
        except services.RegistrationRefused as refusal:
            messages.error(request, refusal.reason)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if registration.attendance_mode == AttendanceMode.VIRTUAL:
                messages.success(request, _("You will now attend online."))
            else:
                messages.success(request, _("You will now attend in person."))
        return redirect("registration:manage", token=token)
    other_mode = _other_mode(registration)
    if other_mode is None:
        return redirect("registration:manage", token=token)
    return render(
        request,
        "registration/public/switch_mode.html",
        {
            "event": registration.event,
            "registration": registration,
            "token": token,
            "other_mode": other_mode,
            "places_left": selectors.places_left(registration.event).get(other_mode),
        },
    )
