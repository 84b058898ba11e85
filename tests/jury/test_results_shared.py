"""The results page's figures are kept in the shared cache: a web process that has not rendered
them uses those another process rendered, until what they rest on changes, and waits for
them while another renders them rather than compute the same results at once."""

import os
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings

from jury.reports import caching
from tests.factories import EditionFactory

pytestmark = pytest.mark.django_db

shared_cache = pytest.mark.skipif(
    "redis" not in settings.CACHES["default"]["BACKEND"].lower(),
    reason="needs the shared cache (CACHE_URL=redis://…), not a per-process one",
)

# Another web process: the same settings and cache, none of this process's kept figures.
_OTHER_PROCESS = """
import sys
import django
django.setup()
from jury.reports import caching
print(caching.kept_fragment(int(sys.argv[1]), ("key",), lambda: "rendered again"), end="")
"""


def _in_another_process(edition_id: int) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _OTHER_PROCESS, str(edition_id)],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "kvinnofrid.settings"},
        check=True,
    )
    return done.stdout


@shared_cache
def test_another_process_uses_the_figures_one_rendered_until_the_results_change():
    edition = EditionFactory()
    assert caching.kept_fragment(edition.pk, ("key",), lambda: "rendered here") == "rendered here"

    assert _in_another_process(edition.pk) == "rendered here"

    caching.results_changed(edition.pk, after_commit=False)
    assert _in_another_process(edition.pk) == "rendered again"
    # And what the other process rendered after the change is what this one now finds.
    caching._fragments.values.clear()
    assert caching.kept_fragment(edition.pk, ("key",), lambda: "not used") == "rendered again"


@shared_cache
def test_a_process_waits_for_the_figures_another_is_rendering():
    edition = EditionFactory()
    renders = []

    def render(name):
        def slowly():
            renders.append(name)
            time.sleep(0.3)
            return f"rendered by {name}"

        return slowly

    found = {}

    def ask(name):
        found[name] = caching.kept_fragment(edition.pk, ("key",), render(name))

    first = threading.Thread(target=ask, args=("first",))
    first.start()
    time.sleep(0.05)
    # Threads share this process's kept figures, but the first has not stored them yet: the
    # second finds them rendering in the shared cache, as another process would.
    ask("second")
    first.join()

    assert renders == ["first"]
    assert found == {"first": "rendered by first", "second": "rendered by first"}
