from django.db.models import OuterRef, Subquery
from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticated

from api.permissions import ObjectRules
from api.serializers.organizations import OrganizationSerializer
from events.models import Membership, Organization
from events.services import create_organization


class OrganizationViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The organizations the caller belongs to, each with the caller's role; any other is 404.
    Whoever creates one becomes its owner, and only owners may change it."""

    queryset = Organization.objects.all()
    serializer_class = OrganizationSerializer
    permission_classes = [IsAuthenticated, ObjectRules]
    http_method_names = ["get", "post", "patch", "head", "options"]
    read_permission = "events.view_organization"
    write_permission = "events.change_organization"

    def get_queryset(self):
        role = Membership.objects.filter(user=self.request.user, organization=OuterRef("pk"))
        return Organization.objects.annotate(role=Subquery(role.values("role"))).filter(
            role__isnull=False
        )

    def perform_create(self, serializer):
        organization = create_organization(user=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=organization.pk)
