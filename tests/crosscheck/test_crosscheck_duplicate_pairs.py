"""Suspected duplicates found in the database: each rule of
households.assessment.duplicate_matches finds its pair through the keys the triggers keep
(crosscheck.DuplicateKey), the keys stay in step with whatever writes the registry, the
answers are duplicate_matches' own, a decided pair stops appearing, and the page costs the
same number of queries however many files and pairs there are."""

import datetime
import io
import random
import threading
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import HouseholdFactory, MemberFactory, make_id_number

from crosscheck import pairs, selectors
from crosscheck.models import DuplicateDecision
from hardship.idnumber import birth_date_of
from households.assessment import DUPLICATE_REASONS, duplicate_matches
from households.models import Household, Member

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the keys are kept by PostgreSQL triggers"
    ),
]

LIVE = (Household.Status.DRAFT, Household.Status.IN_FILE)


def found(user) -> dict[tuple[int, int], list[str]]:
    """{(smaller id, larger id): reason labels} as the page lists them."""
    return {
        tuple(sorted((p.first.pk, p.other_pk))): p.reasons
        for p in selectors.duplicate_pairs_for(user)
    }


def expected() -> dict[tuple[int, int], set[str]]:
    """duplicate_matches over every live file: the rule as households states it."""
    return duplicate_matches(Household.objects.filter(status__in=LIVE).prefetch_related("members"))


def found_by_sql(user) -> dict[tuple[int, int], set[str]]:
    paths = selectors._paths(user, selectors.access.CROSSCHECK_READERS)
    return {(a, b): set(reasons) for a, b, reasons in pairs.scope_pairs(paths)}


def assert_keys_in_step():
    assert pairs.kept_keys() == pairs.fresh_keys()


# --------------------------------------------------------------------------- each rule


def test_the_database_knows_every_reason():
    """crosscheck_worker_keys and crosscheck_member_keys (migration 0003) write these four
    kinds of key: a new reason in households.assessment needs them (and a migration) too."""
    assert set(DUPLICATE_REASONS) == {"id_number", "bank_account", "phone", "name_birth"}


def _worker_id_twice(org):
    a = HouseholdFactory(union=org.g1a)
    return a, HouseholdFactory(union=org.g2a, id_number=a.id_number), "身份证号相同"


def _worker_id_as_member(org):
    a = HouseholdFactory(in_file=True, union=org.g1a)
    b = HouseholdFactory(in_file=True, union=org.g2a)
    MemberFactory(household=b, id_number=a.id_number, relation="spouse")
    return a, b, "身份证号相同"


def _member_id_twice(org):
    a = HouseholdFactory(in_file=True, union=org.g1a)
    b = HouseholdFactory(union=org.g1b)
    spouse = MemberFactory(household=a, relation="spouse")
    MemberFactory(household=b, id_number=spouse.id_number, relation="spouse")
    return a, b, "身份证号相同"


def _bank_account(org):
    a = HouseholdFactory(in_file=True, union=org.g1a, bank_account="6222020200112233445")
    b = HouseholdFactory(in_file=True, union=org.g2a, bank_account="6222020200112233445")
    return a, b, "银行卡号相同"


def _phone(org):
    a = HouseholdFactory(in_file=True, union=org.g1a)
    return a, HouseholdFactory(union=org.g1b, phone=a.phone), "联系电话相同"


def _worker_as_member_by_name_and_birth(org):
    a = HouseholdFactory(in_file=True, union=org.g1a)
    b = HouseholdFactory(in_file=True, union=org.g1b)
    MemberFactory(
        household=b, name=a.worker_name, birth_date=birth_date_of(a.id_number), id_number=""
    )
    return a, b, "姓名和出生日期相同"


def _member_twice_by_name_and_birth(org):
    a = HouseholdFactory(in_file=True, union=org.g1a)
    b = HouseholdFactory(in_file=True, union=org.g2a)
    born = datetime.date(2010, 5, 6)
    MemberFactory(household=a, name="张小明", birth_date=born, id_number="")
    MemberFactory(household=b, name="张小明", birth_date=born, id_number="")
    return a, b, "姓名和出生日期相同"


def _workers_by_name_and_birth(org):
    born = datetime.date(1970, 2, 3)
    a = HouseholdFactory(
        in_file=True, union=org.g1a, worker_name="李四", id_number=make_id_number(born, seq=7)
    )
    b = HouseholdFactory(
        in_file=True, union=org.g2a, worker_name="李四", id_number=make_id_number(born, seq=8)
    )
    return a, b, "姓名和出生日期相同"


RULES = [
    _worker_id_twice,
    _worker_id_as_member,
    _member_id_twice,
    _bank_account,
    _phone,
    _worker_as_member_by_name_and_birth,
    _member_twice_by_name_and_birth,
    _workers_by_name_and_birth,
]


@pytest.mark.parametrize("make", RULES, ids=[rule.__name__.strip("_") for rule in RULES])
def test_each_rule_finds_its_pair_until_it_is_decided(make, org, auditor_fed, chair_g1a):
    a, b, reason = make(org)
    HouseholdFactory(in_file=True, union=org.g1a)  # matches nobody
    pair = tuple(sorted((a.pk, b.pk)))
    assert found(auditor_fed) == {pair: [reason]}
    assert found_by_sql(auditor_fed) == expected()
    DuplicateDecision.objects.create(
        first_id=pair[0],
        second_id=pair[1],
        outcome=DuplicateDecision.Outcome.NOT_DUPLICATE,
        reason="核实为两户。",
        decided_by=chair_g1a,
    )
    assert found(auditor_fed) == {}
    assert_keys_in_step()


def test_what_does_not_make_a_pair(org, auditor_fed):
    a = HouseholdFactory(in_file=True, union=org.g1a, phone="", bank_account="")
    HouseholdFactory(in_file=True, union=org.g2a, phone="", bank_account="")  # both empty
    MemberFactory(household=a, id_number="", name="王五", birth_date=datetime.date(2012, 1, 1))
    b = HouseholdFactory(in_file=True, union=org.g1b)
    MemberFactory(household=b, id_number="", name="王五", birth_date=datetime.date(2012, 1, 2))
    # Ended files do not count.
    HouseholdFactory(exited=True, union=org.g1a, phone=b.phone)
    HouseholdFactory(cancelled=True, union=org.g1a, id_number=b.id_number)
    # A worker listed among their own members is one file, not a pair.
    MemberFactory(household=b, id_number=b.id_number, relation="other")
    # No birth date in the number (30 February): the worker has no name-and-birth key.
    odd = HouseholdFactory(in_file=True, union=org.g1a, id_number="230103197502300013")
    MemberFactory(
        household=b, name=odd.worker_name, birth_date=datetime.date(1975, 3, 2), id_number=""
    )
    assert found(auditor_fed) == {}
    assert expected() == {}
    assert_keys_in_step()


def test_a_file_outside_the_scope_is_counted_not_named(org, reviewer_c1):
    a, b, _reason = _bank_account(org)  # G1a (C1) and G2a (C2)
    elsewhere, _other, _r = _phone(org)
    Household.objects.filter(pk__in=[elsewhere.pk, _other.pk]).update(union=org.g2a)
    [pair] = selectors.duplicate_pairs_for(reviewer_c1)
    assert (pair.first, pair.second, pair.other_pk) == (a, None, b.pk)


# --------------------------------------------------------------------------- the keys


@pytest.mark.parametrize(
    "number",
    [
        make_id_number(datetime.date(1975, 3, 14)),
        "230103200002290018",  # 29 February of a leap year
        "230103190002290018",  # 1900 was not one
        "230103197513010013",  # month 13
        "230103197500010013",  # month 0
        "230103197504310013",  # 31 April
        "230103197501000013",  # day 0
        "230103000001010013",  # year 0
        "23010399991231001X",
        "2301037502110",  # too short for a date
        "23010319x5030100",
        "",
    ],
)
def test_the_database_reads_a_birth_date_from_a_number_as_python_does(number):
    try:
        python = birth_date_of(number)
    except ValueError:
        python = None
    with connection.cursor() as cursor:
        cursor.execute("SELECT crosscheck_birth_of(%s)", [number])
        assert cursor.fetchone()[0] == python


def _random_registry(org, rng, n=40):
    """Files drawn from small pools of numbers, cards, phones, names and dates, so that
    every rule matches somewhere, with ended files and numbers without a birth date."""
    births = [datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(5)) for _ in "ab"]
    worker_ids = [make_id_number(rng.choice(births), seq=s) for s in range(6)]
    worker_ids += ["230103197502300013", "23010375021", "23010319x5030100"]
    names = ["张伟", "王芳", "李娜"]
    units = [org.g1a, org.g1b, org.g2a]
    status = [{}, {"in_file": True}, {"exited": True}, {"cancelled": True}]
    used_in_file = set()
    households = []
    for _ in range(n):
        number = rng.choice(worker_ids)
        trait = rng.choice(status)
        if trait == {"in_file": True}:
            if number in used_in_file:
                trait = {}
            used_in_file.add(number)
        household = HouseholdFactory(
            union=rng.choice(units),
            worker_name=rng.choice(names),
            id_number=number,
            gender="M",
            phone=rng.choice(["", "13900000001", "13900000002", f"138{rng.randrange(10**8):08d}"]),
            bank_account=rng.choice(["", "6217000000000000001", "6217000000000000002"]),
            **trait,
        )
        households.append(household)
        for _member in range(rng.randrange(3)):
            MemberFactory(
                household=household,
                name=rng.choice(names),
                birth_date=rng.choice(births + [datetime.date(2010, 1, 1)]),
                id_number=rng.choice(["", "", rng.choice(worker_ids), make_id_number(seq=9)]),
            )
    return households


def test_the_database_answers_as_duplicate_matches_through_every_kind_of_write(
    org, auditor_fed, reviewer_c1
):
    rng = random.Random(20261201)
    households = _random_registry(org, rng)
    want = expected()
    assert {reason for reasons in want.values() for reason in reasons} == {
        "id_number",
        "bank_account",
        "phone",
        "name_birth",
    }
    assert found_by_sql(auditor_fed) == want
    assert_keys_in_step()

    steps = [
        # A form's save: every column written, the keys changed or not.
        lambda: [h.save() for h in households[:5]],
        lambda: Household.objects.filter(pk=households[1].pk).update(phone="13900000001"),
        lambda: Household.objects.filter(pk=households[2].pk).update(worker_name="张伟"),
        # Files ending and coming back, one by one and many at once.
        lambda: Household.objects.filter(pk__in=[h.pk for h in households[::3]]).update(
            status=Household.Status.EXITED, exited_on=datetime.date(2025, 1, 1)
        ),
        lambda: Household.objects.filter(pk__in=[h.pk for h in households[::6]]).update(
            status=Household.Status.DRAFT
        ),
        # Members added, changed, moved and removed.
        lambda: Member.objects.bulk_create(
            Member(
                household=h,
                name="张伟",
                relation="child",
                birth_date=datetime.date(2010, 1, 1),
                id_number=households[0].id_number,
                employment="student",
            )
            for h in households[5:9]
        ),
        lambda: Member.objects.filter(household__in=households[9:12]).update(name="王芳"),
        lambda: Member.objects.filter(household=households[12]).update(household=households[13]),
        lambda: Member.objects.filter(household__in=households[14:16]).delete(),
        # Files removed with their members (a draft deleted).
        lambda: [h.delete() for h in households[16:18]],
    ]
    for step in steps:
        step()
        want = expected()
        assert found_by_sql(auditor_fed) == want
        assert_keys_in_step()
    # A reader of part of the tree: the same pairs the whole-scope comparison gives.
    assert [
        (p.first, p.second, p.other_pk, p.reasons) for p in selectors.ScopePairs(reviewer_c1)
    ] == [
        (p.first, p.second, p.other_pk, p.reasons) for p in selectors._pairs_in_python(reviewer_c1)
    ]


def test_rebuild_counts_the_keys_afresh(org, auditor_fed):
    a, b, _reason = _phone(org)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM crosscheck_duplicatekey")
    assert found(auditor_fed) == {}
    # Keys lost (a restore that bypassed the triggers): a file ending removes nothing that
    # is not there, and leaves no empty or negative row behind.
    c = HouseholdFactory(in_file=True, union=org.g1a)
    Household.objects.filter(pk=c.pk).update(
        status=Household.Status.EXITED, exited_on=datetime.date(2025, 1, 1)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM crosscheck_duplicatekey"
            " WHERE cardinality(holders) = 0 OR holders[1] < 0"
        )
        assert cursor.fetchone() == (0,)
    with pytest.raises(CommandError, match="out of step"):
        call_command("rebuild_duplicate_keys", "--check")
    call_command("rebuild_duplicate_keys", stdout=io.StringIO())
    assert found(auditor_fed) == {(a.pk, b.pk): ["联系电话相同"]}
    assert_keys_in_step()
    call_command("rebuild_duplicate_keys", "--check", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_two_files_written_at_once_with_one_phone_are_a_pair(org, auditor_fed):
    """The second writer waits on the key's row until the first commits, then adds to it:
    neither misses the other however the two transactions interleave."""
    barrier = threading.Barrier(2)
    errors = []

    def write(union):
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                HouseholdFactory(in_file=True, union=union, phone="13612345678")
                time.sleep(0.3)  # both inserted before either commits
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            from django.db import connection as thread_connection

            thread_connection.close()

    threads = [threading.Thread(target=write, args=(unit,)) for unit in (org.g1a, org.g2a)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert list(found(auditor_fed).values()) == [["联系电话相同"]]
    assert_keys_in_step()


# --------------------------------------------------------------------------- the page


def _pairs_by_phone(org, n, start=0):
    for i in range(start, start + n):
        first = HouseholdFactory(in_file=True, union=org.g1a, phone=f"1370000{i:04d}")
        HouseholdFactory(union=org.g1b if i % 2 else org.g2a, phone=first.phone)


def _page_queries(client, **params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("crosscheck_duplicates"), params)
    assert response.status_code == 200
    # The session's own writes (saved now and then) are not the page's.
    sql = [q["sql"] for q in queries.captured_queries]
    page = [q for q in sql if "django_session" not in q and "SAVEPOINT" not in q]
    return len(page), response.content.decode()


def test_the_page_costs_the_same_queries_however_many_files_and_pairs(client, org, reviewer_c1):
    client.force_login(reviewer_c1)
    _pairs_by_phone(org, 2)
    few, page = _page_queries(client)
    assert page.count('<section class="card mb-3"') == 2

    for _ in range(3):
        HouseholdFactory.create_batch(50, in_file=True, union=org.g1a)
        HouseholdFactory.create_batch(20, union=org.g2a)
    _pairs_by_phone(org, 60, start=100)
    many, page = _page_queries(client)
    assert many == few
    assert page.count('<section class="card mb-3"') == 25  # one page of the 62
    assert "第 1 / 3 页" in page
    last, page = _page_queries(client, page=3)
    assert last == few
    assert page.count('<section class="card mb-3"') == 12
