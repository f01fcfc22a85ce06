"""The workspace's import: upload a file, confirm which column fills which field after a dry run
of the first rows, then follow the job until it is done, with every refused row listed.

Owners and managers import; members may follow an import. Another team's import is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from events.audit import Actor

from ..models import ContactImport
from . import imports, selectors
from .fields import IMPORT_FIELDS, check_mapping
from .forms import ImportUploadForm, MappingForm
from .views import CHANGE, VIEW, team_context

ERRORS_PER_PAGE = 100
IMPORTS_SHOWN = 20


def _import_of(team, import_id):
    return get_object_or_404(
        ContactImport.objects.select_related("contact_list"), pk=import_id, team=team
    )


@login_required
def upload(request, team_id):
    team = selectors.team_for_member(request.user, team_id, CHANGE)
    form = ImportUploadForm(request.POST or None, request.FILES or None, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            contact_import = imports.import_create(
                actor=Actor.for_request(request),
                team=team,
                user=request.user,
                upload=form.cleaned_data["file"],
                contact_list=form.cleaned_data["contact_list"],
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else "file", errors)
        else:
            return redirect("contacts:import", team_id=team.pk, import_id=contact_import.pk)
    return render(
        request,
        "invitations/contacts/import_upload.html",
        team_context(request, team, "import")
        | {
            "form": form,
            "recent": selectors.imports_of(team)[:IMPORTS_SHOWN],
            "fields": [label for label, _aliases in IMPORT_FIELDS.values()],
        },
    )


@login_required
@require_GET
def detail(request, team_id, import_id):
    """A draft shows the columns and a dry run (GET only: changing the columns previews again
    and writes nothing); a started import shows its progress and its refused rows."""
    team = selectors.team_for_member(request.user, team_id, VIEW)
    contact_import = _import_of(team, import_id)
    context = team_context(request, team, "import") | {"import": contact_import}
    if contact_import.status != ContactImport.Status.DRAFT:
        errors = Paginator(contact_import.errors.all(), ERRORS_PER_PAGE)
        context["errors"] = errors.get_page(request.GET.get("page"))
        return render(request, "invitations/contacts/import_detail.html", context)
    team = selectors.team_for_member(request.user, team_id, CHANGE)
    bound = any(key.startswith("field_") for key in request.GET)
    form = MappingForm(request.GET if bound else None, contact_import=contact_import)
    if bound:
        form.is_valid()
        mapping = form.cleaned_data.get("mapping")
    else:
        mapping = _stored_mapping(contact_import)
        # Bound to what is stored, so the start button carries it all: the list chosen with the
        # file too (an unbound form has no cleaned_data, and that list was dropped).
        form = MappingForm(form.initial, contact_import=contact_import)
        form.is_valid()
    preview = imports.import_preview(contact_import, mapping=mapping) if mapping else None
    shown = [name for name in IMPORT_FIELDS if name in (mapping or {})]
    return render(
        request,
        "invitations/contacts/import_mapping.html",
        context
        | {
            "form": form,
            "mapping": mapping,
            "preview": preview,
            "preview_fields": [(name, IMPORT_FIELDS[name][0]) for name in shown],
            "preview_rows": _preview_rows(preview, shown),
        },
    )


def _preview_rows(preview, shown):
    """[(row number, [(value, problem)], has a problem)] in the order of the columns shown."""
    if preview is None:
        return []
    rows = []
    for number, values, problems in preview.rows:
        cells = []
        for name in shown:
            value = values.get(name, "")
            cells.append(("; ".join(value) if name == "tags" else value, problems.get(name, "")))
        rows.append((number, cells, bool(problems)))
    return rows


def _stored_mapping(contact_import):
    try:
        return check_mapping(contact_import.mapping, contact_import.columns)
    except ValidationError:
        return None


@login_required
@require_POST
def start(request, team_id, import_id):
    team = selectors.team_for_member(request.user, team_id, CHANGE)
    contact_import = _import_of(team, import_id)
    form = MappingForm(request.POST, contact_import=contact_import)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("contacts:import", team_id=team.pk, import_id=contact_import.pk)
    try:
        imports.import_start(
            actor=Actor.for_request(request),
            contact_import=contact_import,
            mapping=form.cleaned_data["mapping"],
            contact_list=form.cleaned_data["contact_list"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("contacts:import", team_id=team.pk, import_id=contact_import.pk)


@login_required
@require_POST
def discard(request, team_id, import_id):
    team = selectors.team_for_member(request.user, team_id, CHANGE)
    contact_import = _import_of(team, import_id)
    try:
        imports.import_discard(actor=Actor.for_request(request), contact_import=contact_import)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("contacts:import", team_id=team.pk, import_id=contact_import.pk)
    messages.success(request, _("Import cancelled; nothing was imported."))
    return redirect("contacts:upload", team_id=team.pk)


@login_required
@require_GET
def progress(request, team_id, import_id):
    """The progress box alone, which the page polls. Once the import ends, htmx reloads the
    whole page to list the refused rows."""
    team = selectors.team_for_member(request.user, team_id, VIEW)
    contact_import = _import_of(team, import_id)
    if request.htmx and contact_import.is_finished:
        return HttpResponse(headers={"HX-Refresh": "true"})
    return render(
        request,
        "invitations/contacts/_import_progress.html",
        {"team": team, "import": contact_import},
    )
