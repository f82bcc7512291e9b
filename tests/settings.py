"""The settings the test suite runs with (pyproject.toml: DJANGO_SETTINGS_MODULE).

They are the project's own settings, computed as on a developer's machine: with DEBUG on,
so that no SECRET_KEY has to be configured, cookies are not HTTPS-only and there is no
HTTPS redirect (pytest-django then turns DEBUG itself off for the tests). The settings
default to production when DEBUG is not set; that is tested by starting them in a fresh
interpreter (tests/hardship/test_settings.py).

pytest-django imports the settings before any conftest.py runs, so the environment is set
here.
"""

import os

os.environ["DEBUG"] = "1"
os.environ.setdefault("TASKS_BACKEND", "immediate")

from hardship.settings import *  # noqa: E402,F403
