"""A small organisation and one named person per role, shared by every test.

FED 区总工会 (federation)           auditor_fed, admin_fed
├── C1 第一公司工会 (company)        reviewer_c1, committee_c1, finance_c1
│   ├── G1a 机修车间工会             caseworker_g1a, chair_g1a, worker_g1a (+ own file)
│   └── G1b 炼油车间工会
└── C2 第二公司工会 (company)
    └── G2a 化工车间工会             caseworker_g2a
outsider: signed in, no role anywhere.
"""

import os
from dataclasses import dataclass
from decimal import Decimal

# Background tasks run at once in tests (the Makefile sets this too; settings read it).
os.environ.setdefault("TASKS_BACKEND", "immediate")

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from factories import (
    HardshipCauseFactory,
    HouseholdFactory,
    IncomeItemFactory,
    MemberFactory,
    PolicyParameterFactory,
    UnitFactory,
    person,
)
from formdata import PDF_BYTES

from hardship.models import PolicyParameter, Role, Unit
from households.models import Evidence

# Fixtures every folder may use, each defined once (a folder's conftest.py may override one
# for its own tests): the approval chain's people and applications, the matrix's `world`; and
# the test databases, migrated once per run.
pytest_plugins = ["fixtures.database", "fixtures.chain", "fixtures.world", "fixtures.appeals"]


def pytest_configure(config):
    # WhiteNoise notes that collectstatic has not been run; tests serve no static files.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
    config.addinivalue_line("markers", "slow: takes several seconds (seed_demo)")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(tmp_path):
    """Uploaded evidence goes to a per-test directory, never to var/media."""
    root = tmp_path / "media"
    with override_settings(MEDIA_ROOT=root):
        yield root


@pytest.fixture(autouse=True)
def checkpoint_dir(tmp_path, settings):
    """Integrity checkpoints go to a per-test directory, never to var/checkpoints."""
    settings.INTEGRITY_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return settings.INTEGRITY_CHECKPOINT_DIR


def _flush_past_the_truncate_guard():
    """Transactional tests end with a flush, a TRUNCATE on PostgreSQL, which every
    hash-chained table refuses (the ledger, the decision tables, the year closings: audit
    migrations 0005, 0007, 0009, 0010). The test database's flush switches those triggers off
    for its own transaction only; production keeps refusing."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        from audit.registry import installed_chains

        statements = original(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        guarded = [chain.model_class._meta.db_table for chain in installed_chains()]
        present = [table for table in guarded if table in tables]
        if not statements or not present:
            return statements
        switch = "ALTER TABLE {} {} TRIGGER audit_refuse_truncate;"
        return (
            [switch.format(table, "DISABLE") for table in present]
            + statements
            + [switch.format(table, "ENABLE") for table in present]
        )

    DatabaseOperations.sql_flush = sql_flush


_flush_past_the_truncate_guard()


@dataclass
class Org:
    fed: Unit
    c1: Unit
    c2: Unit
    g1a: Unit
    g1b: Unit
    g2a: Unit


@pytest.fixture
def org(db) -> Org:
    fed = UnitFactory.federation(code="FED", name="区总工会")
    c1 = UnitFactory.company(parent=fed, code="C1", name="第一公司工会")
    c2 = UnitFactory.company(parent=fed, code="C2", name="第二公司工会")
    return Org(
        fed=fed,
        c1=c1,
        c2=c2,
        g1a=UnitFactory.grassroots(parent=c1, code="G1a", name="机修车间工会"),
        g1b=UnitFactory.grassroots(parent=c1, code="G1b", name="炼油车间工会"),
        g2a=UnitFactory.grassroots(parent=c2, code="G2a", name="化工车间工会"),
    )


@pytest.fixture
def policy(db):
    """The district thresholds from the texts, system-wide: hardship below 280 yuan per
    person per month, extreme hardship below 245."""
    return {
        "hardship": PolicyParameterFactory(
            key=PolicyParameter.Key.HARDSHIP_THRESHOLD, value=Decimal("280")
        ),
        "extreme": PolicyParameterFactory(
            key=PolicyParameter.Key.EXTREME_THRESHOLD, value=Decimal("245")
        ),
    }


@pytest.fixture
def caseworker_g1a(org):
    return person("caseworker_g1a", "王干事", (Role.CASEWORKER, org.g1a))


@pytest.fixture
def chair_g1a(org):
    return person("chair_g1a", "李主席", (Role.GRASSROOTS_CHAIR, org.g1a))


@pytest.fixture
def caseworker_g2a(org):
    return person("caseworker_g2a", "赵干事", (Role.CASEWORKER, org.g2a))


@pytest.fixture
def reviewer_c1(org):
    return person("reviewer_c1", "孙复核", (Role.COMPANY_REVIEWER, org.c1))


@pytest.fixture
def committee_c1(org):
    return person("committee_c1", "周委员", (Role.COMMITTEE, org.c1))


@pytest.fixture
def finance_c1(org):
    return person("finance_c1", "吴会计", (Role.FINANCE, org.c1))


@pytest.fixture
def auditor_fed(org):
    return person("auditor_fed", "郑审计", (Role.AUDITOR, org.fed))


@pytest.fixture
def admin_fed(org):
    return person("admin_fed", "钱管理员", (Role.ADMINISTRATOR, org.fed))


@pytest.fixture
def worker_g1a(org):
    """A worker who can sign in, with their own household file in G1a."""
    user = person("worker_g1a", "刘职工", (Role.WORKER, org.g1a))
    HouseholdFactory(in_file=True, union=org.g1a, worker_name="刘职工", worker_account=user)
    return user


@pytest.fixture
def worker_household(worker_g1a):
    return worker_g1a.own_households.get()


@pytest.fixture
def outsider(db):
    return person("outsider", "陈路人")


def _household_with_family(union: Unit, **kwargs):
    household = HouseholdFactory(in_file=True, union=union, **kwargs)
    HardshipCauseFactory(household=household, cause="illness")
    MemberFactory(household=household, relation="spouse", employment="unemployed")
    IncomeItemFactory(household=household, monthly_amount=Decimal("600.00"))
    return household


@pytest.fixture
def household_g1a(org):
    """An in-file household of G1a: the worker, a spouse, a pension, illness."""
    return _household_with_family(org.g1a, worker_name="张建国")


@pytest.fixture
def household_g2a(org):
    return _household_with_family(org.g2a, worker_name="黄海")


@pytest.fixture
def evidence_g1a(household_g1a, media_root):
    """A diagnosis certificate (PDF) on file for household_g1a's illness."""
    evidence = Evidence(
        household=household_g1a,
        cause="illness",
        kind=Evidence.Kind.DIAGNOSIS,
        original_name="诊断证明.pdf",
        content_type=Evidence.ContentType.PDF,
        size=len(PDF_BYTES),
    )
    evidence.file.save("诊断证明.pdf", ContentFile(PDF_BYTES), save=True)
    return evidence


@pytest.fixture
def session_clock_still(monkeypatch):
    """One clock for the session: the idle timeout records each request's second when it
    moves on (a session write), so a test counting queries would depend on timing."""
    monkeypatch.setattr("hardship.sessions.now", lambda: 1_700_000_000)
