"""Fixtures for the approval chain, on top of the shared org tree in tests/conftest.py.

FED
├── C1   reviewer_c1, reviewer2_c1, committee_c1, finance_c1
│   ├── G1a  caseworker_g1a, chair_g1a, chair2_g1a, worker_g1a; dual_g1a (chair here and
│   │        reviewer at C1); filer_chair_g1a (caseworker and chair here)
│   └── G1b  chair_g1b
└── C2   reviewer_c2, committee_c2
    └── G2a  caseworker_g2a, chair_g2a
"""

import datetime
from decimal import Decimal

import pytest
from casekit import advance, file
from factories import MembershipFactory, PolicyParameterFactory, UserFactory

from cases.models import EvidenceRequirement, MedicalAidTier
from hardship.models import PolicyParameter, Role


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes several seconds (seed_demo)")


def _person(username, full_name, *roles):
    user = UserFactory(username=username, full_name=full_name)
    for role, unit in roles:
        MembershipFactory(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def chair2_g1a(org):
    """A second chair of G1a (a union may have a chair and a vice-chair who both review)."""
    return _person("chair2_g1a", "马副主席", (Role.GRASSROOTS_CHAIR, org.g1a))


@pytest.fixture
def chair_g1b(org):
    return _person("chair_g1b", "冯主席", (Role.GRASSROOTS_CHAIR, org.g1b))


@pytest.fixture
def chair_g2a(org):
    return _person("chair_g2a", "褚主席", (Role.GRASSROOTS_CHAIR, org.g2a))


@pytest.fixture
def reviewer2_c1(org):
    return _person("reviewer2_c1", "卫复核", (Role.COMPANY_REVIEWER, org.c1))


@pytest.fixture
def reviewer_c2(org):
    return _person("reviewer_c2", "蒋复核", (Role.COMPANY_REVIEWER, org.c2))


@pytest.fixture
def committee_c2(org):
    return _person("committee_c2", "沈委员", (Role.COMMITTEE, org.c2))


@pytest.fixture
def dual_g1a(org):
    """Chair of G1a and, at the same time, a reviewer of C1."""
    return _person(
        "dual_g1a", "韩兼职", (Role.GRASSROOTS_CHAIR, org.g1a), (Role.COMPANY_REVIEWER, org.c1)
    )


@pytest.fixture
def filer_chair_g1a(org):
    """Caseworker and chair of G1a: files applications and reviews them at the first level."""
    return _person(
        "filer_chair_g1a", "杨兼职", (Role.CASEWORKER, org.g1a), (Role.GRASSROOTS_CHAIR, org.g1a)
    )


@pytest.fixture
def emergency_cap(db):
    """临时救助每案上限 20,000 yuan, system-wide."""
    return PolicyParameterFactory(key=PolicyParameter.Key.EMERGENCY_CAP, value=Decimal("20000"))


@pytest.fixture
def medical_tiers(db):
    """The published rule: 1,000–10,000 at 70%, 10,000–50,000 at 85%, 50,000+ at 95%."""
    start = datetime.date(2020, 1, 1)
    return [
        MedicalAidTier.objects.create(
            lower=Decimal(lower),
            upper=Decimal(upper) if upper else None,
            rate=Decimal(rate),
            valid_from=start,
        )
        for lower, upper, rate in [
            ("1000", "10000", "0.70"),
            ("10000", "50000", "0.85"),
            ("50000", None, "0.95"),
        ]
    ]


@pytest.fixture
def illness_needs_diagnosis(db):
    return EvidenceRequirement.objects.create(cause="illness", evidence_kind="diagnosis")


@pytest.fixture
def staff(caseworker_g1a, chair_g1a, reviewer_c1, committee_c1):
    """The people who carry an application of G1a up the chain."""
    return {
        "caseworker": caseworker_g1a,
        "chair": chair_g1a,
        "reviewer": reviewer_c1,
        "committee": committee_c1,
    }


@pytest.fixture
def app_at(staff, household_g1a):
    """app_at(state): an emergency-relief application for household_g1a, filed by the G1a
    caseworker and approved level by level until it waits in `state`."""

    def make(state="submitted", *, household=None, kind="emergency", amount="5000", **kwargs):
        application = file(staff["caseworker"], household or household_g1a, kind, amount, **kwargs)
        return advance(
            application,
            state,
            chair=staff["chair"],
            reviewer=staff["reviewer"],
            committee=staff["committee"],
        )

    return make
