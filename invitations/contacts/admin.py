"""The Django admin for contacts, lists and imports: a fallback for staff. Imports are read-only:
they change only through their job."""

from django.contrib import admin

from ..models import Contact, ContactImport, ContactImportError, ContactList, ContactTag


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "organization_name", "country", "team"]
    list_filter = ["country", "language"]
    list_select_related = ["team"]
    search_fields = ["email", "first_name", "last_name", "organization_name"]
    autocomplete_fields = ["team"]
    filter_horizontal = ["tags"]


@admin.register(ContactTag)
class ContactTagAdmin(admin.ModelAdmin):
    list_display = ["name", "team"]
    search_fields = ["name"]
    autocomplete_fields = ["team"]


@admin.register(ContactList)
class ContactListAdmin(admin.ModelAdmin):
    list_display = ["name", "team"]
    search_fields = ["name"]
    autocomplete_fields = ["team"]
    raw_id_fields = ["contacts"]


class ContactImportErrorInline(admin.TabularInline):
    model = ContactImportError
    fields = ["row", "field", "message"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0


@admin.register(ContactImport)
class ContactImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "team", "status", "total", "created", "updated", "refused"]
    list_filter = ["status", "file_format"]
    inlines = [ContactImportErrorInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
