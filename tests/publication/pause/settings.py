from kvinnofrid.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.publication.pause.apps.PauseConfig"]  # noqa: F405
