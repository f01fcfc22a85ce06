"""The site's URLs plus a page that crashes, to see the 500 page as a visitor does."""

from django.urls import path

from config.urls import handler500  # noqa: F401
from config.urls import urlpatterns as site_urlpatterns


def crash(request):
    raise RuntimeError("a bug")


urlpatterns = [path("crash/", crash), *site_urlpatterns]
