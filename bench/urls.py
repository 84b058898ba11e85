from django.http import HttpResponse
from django.urls import path

from kvinnofrid.urls import urlpatterns as site_urlpatterns


def floor(request):
    """The floor: through every middleware, then nothing (no query, no template)."""
    return HttpResponse(b"ok", content_type="text/plain")


# i18n_patterns may only sit in the root URLconf, so the site's list is extended, not included.
urlpatterns = [path("bench/floor", floor, name="bench_floor"), *site_urlpatterns]
