import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvinnofrid.settings")

application = get_wsgi_application()

# A new release may render the public pages differently: none of the previous release's
# cached copies is served once a web process of this one has started.
from nominations.page_cache import bump_version  # noqa: E402 - needs the app registry

bump_version()
