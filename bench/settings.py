"""The production settings plus what only the benchmark needs: a query counter in front of
every request and a bare view to measure the floor against. Never used by the site."""

from kvinnofrid.settings import *  # noqa: F403
from kvinnofrid.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
# First, so that it counts what every other middleware asks of the database too.
MIDDLEWARE = ["bench.middleware.count_queries", *MIDDLEWARE]
