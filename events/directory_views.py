"""The directory in the workspace: look an organization up, or add one it lacks.

An entry added here is nobody's team and gives nobody rights: any organizer may then name it
as a co-host or partner. Platform staff correct entries in the admin.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_countries import countries

from . import services
from .audit import Actor
from .models import Organization

ENTRIES_PER_PAGE = 50


class DirectoryEntryForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "short_name", "kind", "country"]
        help_texts = {
            "name": gettext_lazy("e.g. Kofi Annan International Peacekeeping Training Centre")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("No country")), *countries]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def directory(request):
    search = " ".join(request.GET.get("q", "").split())[:100]
    kind = request.GET.get("kind", "")
    entries = Organization.objects.directory().search(search).order_by("name", "pk")
    if kind in Organization.Kind.values:
        entries = entries.filter(kind=kind)
    form = DirectoryEntryForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            entry = services.create_directory_entry(
                actor=Actor.for_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is in the directory: name it as a co-host or partner of your events.")
                % {"name": entry.name},
            )
            return redirect(f"{request.path}?{urlencode({'q': entry.name})}")
    return render(
        request,
        "workspace/directory.html",
        {
            "page": Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page")),
            "search": search,
            "kind": kind,
            "kinds": Organization.Kind.choices,
            "form": form,
            "filter_query": urlencode(
                {name: value for name, value in (("q", search), ("kind", kind)) if value}
            ),
        },
    )
