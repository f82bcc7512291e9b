"""Fixtures for the browser journeys: Debian's Chromium driven by Playwright (never a
downloaded browser), pytest-django's live server, and the real demo data of `seed_demo`
in each (transactional) test (tests/demokit.py: seeded once per process on PostgreSQL, then
copied back).

Two things need care:

* Playwright's sync API keeps an asyncio loop in the main thread, so Django would refuse ORM
  calls from the test (and pytest-django's flush after it) as "async-unsafe".
  DJANGO_ALLOW_ASYNC_UNSAFE is set for as long as the browser module runs, flushes included,
  and restored afterwards so no other test runs with it.
* On SQLite the ledger's append-only triggers refuse the DELETE with which a transactional
  test is flushed. They are dropped just before each flush and put back before the next
  journey and after the last one. (PostgreSQL flushes with TRUNCATE, which the row trigger
  does not see; nothing is changed there.)
"""

import importlib
import os
from pathlib import Path

import pytest
from demokit import load_demo
from django.db import connection

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LEDGER_TRIGGERS = ("funds_ledger_no_update", "funds_ledger_no_delete")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _sqlite_triggers(present: bool) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'funds_ledgerentry'"
        )
        existing = {row[0] for row in cursor.fetchall()}
        if present and not set(LEDGER_TRIGGERS) <= existing:
            migration = importlib.import_module("funds.migrations.0002_ledger_append_only")
            for name in LEDGER_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            for statement in migration.SQLITE_UP:
                cursor.execute(statement)
        if not present:
            for name in LEDGER_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


@pytest.fixture(scope="module")
def _ledger_triggers_restored(django_db_setup, django_db_blocker):
    """After the module's last flush, the SQLite triggers are back for whatever runs next."""
    yield
    with django_db_blocker.unblock():
        _sqlite_triggers(present=True)


@pytest.fixture
def demo(live_server, _ledger_triggers_restored):
    """The demo data of `make demo`, loaded into this test's database."""
    _sqlite_triggers(present=True)
    try:
        load_demo(allow_production=True)
        yield live_server.url
    finally:
        _sqlite_triggers(present=False)  # the flush that follows deletes ledger rows


@pytest.fixture
def served_world(live_server, world, _ledger_triggers_restored):
    """The authorisation matrix's `world` (tests/fixtures/world.py) behind the live server, for pages checked as each of its people sees them."""
    _sqlite_triggers(present=True)
    try:
        yield world
    finally:
        _sqlite_triggers(present=False)  # the flush that follows deletes ledger rows
