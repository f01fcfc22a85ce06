"""A team's contacts, contact lists and imports, scoped to the caller's teams: another team's
record is a 404. Members read; owners and managers change (403 otherwise)."""

from django.db.models import Count, Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from api.serializers.contacts import (
    ContactImportRequestSerializer,
    ContactImportSerializer,
    ContactListSerializer,
    ContactSerializer,
)
from events.audit import Actor
from invitations.contacts import files, imports, selectors, services
from invitations.contacts.selectors import ContactFilters
from invitations.models import Contact, ContactImport, ContactList

FIELD_ERRORS = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description='Field errors: {"email": ["… is already in your team\'s contacts …"]}.',
)
FORBIDDEN = OpenApiResponse(
    description="You are a member of the team but not one of its owners or managers."
)
NOT_FOUND = OpenApiResponse(description="No such record among your teams'.")


class TeamRules(BasePermission):
    """The record's team must grant the view's read or write permission."""

    def has_object_permission(self, request, view, obj):
        permission = (
            view.read_permission if request.method in SAFE_METHODS else view.write_permission
        )
        return request.user.has_perm(permission, obj.team)


class TeamRecordViewSet(viewsets.ModelViewSet):
    permission_classes = [IsAuthenticated, TeamRules]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    read_permission = "invitations.view_contacts"
    write_permission = "invitations.change_contacts"

    def _team_filter(self, records):
        team = self.request.query_params.get("team", "")
        return records.filter(team_id=int(team)) if team.isdigit() else records


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "search", str, description="Words in the name, email or organization."
            ),
            OpenApiParameter("list", int, description="Only contacts in this list."),
            OpenApiParameter("tag", str, description="Only contacts with this tag (name or id)."),
            OpenApiParameter("country", str, description="ISO 3166-1 alpha-2 code."),
            OpenApiParameter("team", int, description="Only this team's contacts."),
        ]
    ),
    create=extend_schema(responses={201: ContactSerializer, 400: FIELD_ERRORS, 403: FORBIDDEN}),
    retrieve=extend_schema(responses={200: ContactSerializer, 404: NOT_FOUND}),
    partial_update=extend_schema(
        responses={200: ContactSerializer, 400: FIELD_ERRORS, 403: FORBIDDEN, 404: NOT_FOUND}
    ),
    destroy=extend_schema(responses={204: None, 403: FORBIDDEN, 404: NOT_FOUND}),
)
class ContactViewSet(TeamRecordViewSet):
    """The contacts of your teams. `email` is unique in a team, without regard to case."""

    serializer_class = ContactSerializer

    def get_queryset(self):
        contacts = self._team_filter(selectors.contacts_of_member(self.request.user))
        if self.action == "list":
            contacts = selectors.filter_contacts(
                contacts, ContactFilters.from_query(self.request.query_params)
            )
        else:
            contacts = contacts.prefetch_related("tags", "lists")
        return contacts.order_by("last_name", "first_name", "email", "pk")

    def perform_create(self, serializer):
        serializer.instance = services.contact_create(
            actor=Actor.for_request(self.request), **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.contact_update(
            actor=Actor.for_request(self.request),
            contact=serializer.instance,
            **serializer.validated_data,
        )

    def perform_destroy(self, contact):
        services.contact_delete(actor=Actor.for_request(self.request), contact=contact)

    @extend_schema(
        request={"multipart/form-data": ContactImportRequestSerializer},
        responses={
            202: OpenApiResponse(
                inline_serializer("ImportQueued", {"id": serializers.IntegerField()}),
                description="Queued: follow it at /api/v1/imports/{id}/.",
            ),
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=(
                    'The file was refused and nothing was written: {"file": ["The file is '
                    'empty."]}, too large, neither CSV nor XLSX, or {"mapping": [...]} when no '
                    "column holds the email addresses."
                ),
            ),
            403: FORBIDDEN,
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
        serializer_class=ContactImportRequestSerializer,
    )
    def import_file(self, request):
        """Import a CSV or XLSX file of contacts in the background; existing contacts are
        updated by email, bad rows reported with their row number."""
        files.check_request_size(request)  # before the body is read
        serializer = ContactImportRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        contact_import = imports.import_create(
            actor=Actor.for_request(self.request),
            team=data["team"],
            user=request.user,
            upload=data["file"],
            contact_list=data.get("contact_list"),
            mapping=data.get("mapping"),
            start=True,
        )
        return Response(
            {"id": contact_import.pk, "status": contact_import.status},
            status=status.HTTP_202_ACCEPTED,
        )


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("team", int, description="Only this team's lists.")]
    ),
    create=extend_schema(responses={201: ContactListSerializer, 400: FIELD_ERRORS, 403: FORBIDDEN}),
    retrieve=extend_schema(responses={200: ContactListSerializer, 404: NOT_FOUND}),
    partial_update=extend_schema(
        responses={200: ContactListSerializer, 400: FIELD_ERRORS, 403: FORBIDDEN, 404: NOT_FOUND}
    ),
    destroy=extend_schema(responses={204: None, 403: FORBIDDEN, 404: NOT_FOUND}),
)
class ContactListViewSet(TeamRecordViewSet):
    """Your teams' contact lists; `contacts` holds the ids of their members."""

    serializer_class = ContactListSerializer

    def get_queryset(self):
        lists = ContactList.objects.filter(team__in=selectors.teams_of(self.request.user))
        return (
            self._team_filter(lists)
            .annotate(size=Count("contacts"))
            .prefetch_related(Prefetch("contacts", queryset=Contact.objects.only("pk")))
            .order_by("name", "pk")
        )

    def perform_create(self, serializer):
        created = services.list_create(
            actor=Actor.for_request(self.request), **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=created.pk)

    def perform_update(self, serializer):
        services.list_update(
            actor=Actor.for_request(self.request),
            contact_list=serializer.instance,
            **serializer.validated_data,
        )
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, contact_list):
        services.list_delete(actor=Actor.for_request(self.request), contact_list=contact_list)


@extend_schema_view(
    retrieve=extend_schema(responses={200: ContactImportSerializer, 404: NOT_FOUND})
)
class ContactImportViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """An import's progress and outcome: each refused row with its number in the file, the field
    and why."""

    serializer_class = ContactImportSerializer
    permission_classes = [IsAuthenticated, TeamRules]
    read_permission = "invitations.view_contacts"
    write_permission = "invitations.change_contacts"

    def get_queryset(self):
        return ContactImport.objects.filter(
            team__in=selectors.teams_of(self.request.user)
        ).prefetch_related("errors")
