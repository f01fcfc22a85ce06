"""Object permissions for the API, decided by the rules in events/rules.py."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


def _required_permission(request, view):
    return view.read_permission if request.method in SAFE_METHODS else view.write_permission


class ObjectRules(BasePermission):
    """The object must pass the view's `read_permission` to be read, its `write_permission` to
    be changed. Collections are scoped by the view's queryset instead."""

    def has_object_permission(self, request, view, obj):
        return request.user.has_perm(_required_permission(request, view), obj)


class EventRules(BasePermission):
    """For views nested under an event: the event in the URL must pass the view's
    `read_permission` or `write_permission`; an event the user may not see is a 404 first."""

    def has_permission(self, request, view):
        return request.user.has_perm(_required_permission(request, view), view.event)


class TeamRules(BasePermission):
    """For views nested under a team: the team in the URL must pass the view's permission; a
    team the user is not on is a 404 first."""

    def has_permission(self, request, view):
        return request.user.has_perm(_required_permission(request, view), view.team)
