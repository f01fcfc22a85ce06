"""JSON answers for what happens under /api/v1/ outside DRF's views: an unknown path, a crash."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any path under /api/v1/ that names no endpoint, in the API's error shape."""
    return JsonResponse({"detail": _("Not found.")}, status=404)


def server_error(request):
    return JsonResponse({"detail": _("Server error. Please try again later.")}, status=500)
