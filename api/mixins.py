"""What the API views under /events/{event_slug}/ share."""

from django.utils.functional import cached_property

from events.selectors import event_for_member


class EventInURLMixin:
    """`self.event`: the event in the URL, if it belongs to one of the caller's organizations
    (else 404); the view's permission classes check what the caller may do with it."""

    @cached_property
    def event(self):
        return event_for_member(self.request.user, self.kwargs["event_slug"])
