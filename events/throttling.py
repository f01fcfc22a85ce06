"""Rate limits on what anyone may call, and the answer to a locked-out sign-in.

The limits are DRF throttles, counted in the default cache (Redis when REDIS_URL is set, so
every web process shares the counts) and read from settings.THROTTLE_RATES by scope, where
None lifts a limit. The API's views name them in `throttle_classes` and answer 429 with
Retry-After; the public pages use the same classes through the `throttle` decorator and answer
a 429 page in the site's layout. They live in `events`, the lowest app, so the pages of every
app and the API share them.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.throttling import SimpleRateThrottle


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or behind settings.NUM_PROXIES trusted reverse
    proxies the address the outermost of them saw (the same rule as DRF's NUM_PROXIES)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.NUM_PROXIES and forwarded:
        addresses = [address.strip() for address in forwarded.split(",")]
        return addresses[-min(settings.NUM_PROXIES, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


class RateThrottle(SimpleRateThrottle):
    """settings.THROTTLE_RATES[scope] requests per client IP (e.g. "20/minute"; None: no limit)."""

    def get_rate(self):
        return settings.THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class AddressRateThrottle(RateThrottle):
    """Per email address in the request, whatever the IP: an address cannot be sent mail over
    and over from many machines. The key is a hash of the address, never the address."""

    def get_cache_key(self, request, view):
        data = request.data if hasattr(request, "data") else request.POST
        email = data.get("email") if hasattr(data, "get") else None
        if not isinstance(email, str) or not email.strip():
            return None  # nothing to count; the request will be refused for it anyway
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}


class RegisterThrottle(RateThrottle):
    scope = "register"


class RegisterAddressThrottle(AddressRateThrottle):
    scope = "register_address"


class TokenThrottle(RateThrottle):
    scope = "token"


class InvitationThrottle(RateThrottle):
    scope = "invitation"


class AttendeeThrottle(RateThrottle):
    scope = "attendee"


class UnsubscribeThrottle(RateThrottle):
    scope = "unsubscribe"


REGISTERING = (RegisterThrottle, RegisterAddressThrottle)


def too_many_requests(request, wait_seconds, *, sign_in=False):
    """429 with Retry-After: JSON under /api/, else a page in the site's layout."""
    wait_seconds = max(1, int(wait_seconds or 1))
    minutes = -(-wait_seconds // 60)
    if request.path.startswith("/api/"):
        message = (
            _("Too many failed sign-in attempts; signing in is paused for %(minutes)d minutes.")
            % {"minutes": minutes}
            if sign_in
            else _("Too many requests. Try again later.")
        )
        response = JsonResponse({"detail": message}, status=429)
    else:
        context = {"sign_in": sign_in, "wait_minutes": minutes}
        response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(wait_seconds)
    return response


def throttle(*throttle_classes, methods=("POST",)):
    """Count a page's `methods` requests against the throttles; over a limit, answer 429."""

    def decorator(view):
        @wraps(view)
        def throttled(request, *args, **kwargs):
            if request.method in methods:
                refused = [
                    limit
                    for limit in (throttle_class() for throttle_class in throttle_classes)
                    if not limit.allow_request(request, None)
                ]
                if refused:
                    return too_many_requests(request, max(limit.wait() or 1 for limit in refused))
            return view(request, *args, **kwargs)

        return throttled

    return decorator


def lockout_response(request, original_response=None, credentials=None):
    """What django-axes answers once a sign-in is locked out (AXES_LOCKOUT_CALLABLE)."""
    return too_many_requests(request, settings.AXES_COOLOFF_TIME.total_seconds(), sign_in=True)
