"""The organizer's outbox for one event, and the event's own texts for each kind of message.

Members of the event's team may read; owners and managers may retry and edit. An event of a
team I am not in does not exist for me (404).
"""

from csp.decorators import csp_update
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.audit import Actor
from events.selectors import event_for_member

from . import registry, selectors, services, templates_service
from .models import Message, MessageTemplate

MESSAGES_PER_PAGE = 50


def _event_for(request, slug, permission):
    """The event by slug among the user's teams' events, if the user holds the permission."""
    return event_for_member(request.user, slug, permission)


def _choice(value, choices):
    return value if value in choices else ""


@login_required
def outbox(request, slug):
    event = _event_for(request, slug, "events.view_private_details")
    kind = _choice(request.GET.get("kind", ""), Message.Kind.values)
    status = _choice(request.GET.get("status", ""), Message.Status.values)
    page = Paginator(
        selectors.messages_for_event(event, kind=kind, status=status), MESSAGES_PER_PAGE
    ).get_page(request.GET.get("page"))
    counts = selectors.message_counts(event)
    return render(
        request,
        "notifications/workspace/outbox.html",
        {
            "event": event,
            "page": page,
            "kind": kind,
            "status": status,
            "filter_query": _query(kind=kind, status=status),
            "counts": _counts_table(counts),
            "total": counts["total"],
            "kinds": Message.Kind.choices,
            "statuses": Message.Status.choices,
            "may_change": request.user.has_perm("events.change_event", event),
        },
    )


def _query(**values):
    """A query string of the values that are set."""
    return urlencode({key: value for key, value in values.items() if value})


def _counts_table(counts):
    """Rows of (kind, label, [count per status], total) for the statuses that occur."""
    by_kind = counts["by_kind"]
    statuses = [
        (value, label)
        for value, label in Message.Status.choices
        if any(value in row for row in by_kind.values())
    ]
    rows = [
        {
            "kind": value,
            "label": label,
            "cells": [(status, by_kind[value].get(status, 0)) for status, _label in statuses],
            "total": sum(by_kind[value].values()),
        }
        for value, label in Message.Kind.choices
        if value in by_kind
    ]
    totals = [
        (status, sum(row.get(status, 0) for row in by_kind.values())) for status, _l in statuses
    ]
    return {"statuses": statuses, "rows": rows, "totals": totals}


@login_required
@require_POST
def message_retry(request, slug, message_id):
    event = _event_for(request, slug, "events.change_event")
    message = get_object_or_404(Message, pk=message_id, event=event)
    try:
        services.retry(actor=Actor.for_request(request), message=message)
    except services.MessageNotRetryable as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("The message to %(email)s is queued again.") % {"email": message.to_email}
        )
    return redirect(_back_to_outbox(request, event))


def _back_to_outbox(request, event):
    """The outbox page the retry button was on, with its filters; never another site."""
    url = reverse("outbox:outbox", kwargs={"slug": event.slug})
    query = _query(**{key: request.POST.get(key) for key in ("kind", "status", "page")})
    return f"{url}?{query}" if query else url


# --- The event's own texts ---------------------------------------------------------------------


def _registered_kind(name):
    """A kind whose texts an event may have; any other name is not found."""
    try:
        kind = registry.get(name)
    except LookupError:
        raise Http404 from None
    if not kind.per_event:
        raise Http404
    return kind


@login_required
def message_template_list(request, slug):
    event = _event_for(request, slug, "events.view_event")
    return render(
        request,
        "notifications/workspace/template_list.html",
        {
            "event": event,
            "templates": selectors.message_templates_for_event(event),
            "may_change": request.user.has_perm("events.change_event", event),
        },
    )


class MessageTemplateForm(forms.Form):
    subject = forms.CharField(
        label=gettext_lazy("Subject"),
        max_length=MessageTemplate._meta.get_field("subject").max_length,
        required=False,
    )
    intro = forms.CharField(
        label=gettext_lazy("Opening paragraph"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=gettext_lazy(
            "Shown after the salutation, before the standard text. A blank line starts a new "
            "paragraph."
        ),
    )

    def __init__(self, *args, default_subject, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].help_text = _("Leave empty for the default: %(subject)s") % {
            "subject": default_subject
        }
        self.fields["subject"].widget.attrs["placeholder"] = default_subject


# The preview frame shows the email as mail programs get it, styled inline; a srcdoc frame
# inherits this page's policy, so this page alone allows inline styles. Its scripts stay as
# strict as everywhere (and the frame is sandboxed: it runs none).
@csp_update({"style-src": ["'unsafe-inline'"]})
@login_required
def message_template_edit(request, slug, kind):
    """GET shows the texts and a preview; "Preview" shows the typed texts without saving."""
    event = _event_for(request, slug, "events.change_event")
    kind_definition = _registered_kind(kind)
    current = selectors.message_template(event, kind)
    form = MessageTemplateForm(
        request.POST if request.method == "POST" else None,
        initial={"subject": current.subject, "intro": current.intro} if current else {},
        default_subject=kind_definition.subject,
    )
    typed = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            typed = form.cleaned_data
        else:
            try:
                templates_service.save_message_template(
                    actor=Actor.for_request(request), event=event, kind=kind, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Saved. New messages of this kind use these texts."))
                return redirect("outbox:template_edit", slug=event.slug, kind=kind)
    language = request.GET.get("language", "")
    try:
        preview = templates_service.preview_message(
            event=event, kind=kind, texts=typed, language=language
        )
    except templates_service.PreviewUnavailable as unavailable:
        preview, no_preview = None, str(unavailable)
    else:
        no_preview = ""
    return render(
        request,
        "notifications/workspace/template_edit.html",
        {
            "event": event,
            "kind": kind,
            "kind_label": Message.Kind(kind).label,
            "form": form,
            "is_custom": current is not None,
            "preview": preview,
            "no_preview": no_preview,
            "previewing_unsaved": typed is not None,
            "placeholders": templates_service.PLACEHOLDERS,
            "languages": [
                (code, get_language_info(code)["name_local"])
                for code in templates_service.preview_languages(event)
            ],
            "language": preview.language if preview else event.language,
        },
    )
