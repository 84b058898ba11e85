import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvinnofrid.settings")

application = get_wsgi_application()

# A new release may render the public pages differently: none of the previous release's
# cached copies is served once a web process of this one has started.
from nominations.page_cache import bump_version  # noqa: E402 - needs the app registry

bump_version()

# Every view module imported now, as each worker starts, rather than by its first request:
# the URLs pull in the whole site (the exports' and the protocol's libraries too), half a
# second that the first visitor after a start or a restart would wait.
from django.urls import get_resolver  # noqa: E402 - needs the app registry

get_resolver().url_patterns  # noqa: B018 - read for its side effect
