"""The statistics' composition of the files in file is kept per union and counted again
only where files changed (households.composition): the database moves a union's change
counter on every write of its files, members, causes and tags, whatever wrote them, and
verify_integrity recounts what claims to be current."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from factories import HouseholdFactory, MemberFactory, make_id_number

from audit.services import verify_integrity
from hardship.access import Role
from hardship.models import Membership
from households import composition
from households.models import (
    PARTS,
    HardshipCause,
    Household,
    Member,
    RegistryChange,
    RegistryCounts,
    RegistryPartChange,
    RegistryPartCounts,
    Tag,
)

ON = datetime.date(2026, 6, 15)


def changes(union) -> int:
    row = RegistryChange.objects.filter(union=union).first()
    return row.changes if row else 0


def counted_again(queries) -> bool:
    return any("households_member" in query["sql"] for query in queries)


@pytest.fixture
def files(org):
    return {
        "a": HouseholdFactory(in_file=True, union=org.g1a),
        "b": HouseholdFactory(in_file=True, union=org.g1b),
    }


def test_kept_counts_are_read_until_a_union_changes(org, files, reviewer_c1):
    first = composition.seen_by(reviewer_c1, ON)
    assert first["files"] == 2
    with CaptureQueriesContext(connection) as queries:
        assert composition.seen_by(reviewer_c1, ON) == first
    assert not counted_again(queries)

    # Kept counts of the other union, made wrong on purpose: only a recount would fix them.
    RegistryCounts.objects.filter(union=org.g1b).update(counts={"files": 99})
    MemberFactory(household=files["a"], school_stage=Member.SchoolStage.PRIMARY)
    with CaptureQueriesContext(connection) as queries:
        after = composition.seen_by(reviewer_c1, ON)
    assert counted_again(queries)
    assert after["school_h:primary"] == first["school_h:primary"] + 1
    assert after["files"] == 1 + 99  # G1a counted again, G1b read as kept


def test_a_new_day_counts_again_as_ages_move(org, reviewer_c1):
    HouseholdFactory(
        in_file=True, union=org.g1a, id_number=make_id_number(datetime.date(1991, 6, 16))
    )
    assert composition.seen_by(reviewer_c1, ON)["age:young"] == 1  # 34 on the 15th
    assert composition.seen_by(reviewer_c1, ON + datetime.timedelta(days=1))["age:middle"] == 1


WRITES = {
    "file updated": lambda f, org: Household.objects.filter(pk=f.pk).update(housing="other"),
    "member added": lambda f, org: MemberFactory(household=f),
    "member changed": lambda f, org: Member.objects.filter(household=f).update(health="serious"),
    "member removed": lambda f, org: Member.objects.filter(household=f).delete(),
    "cause added": lambda f, org: HardshipCause.objects.create(household=f, cause="disaster"),
    "cause removed": lambda f, org: HardshipCause.objects.filter(household=f).delete(),
    "tag added": lambda f, org: f.tags.add(Tag.objects.create(name="单亲")),
    "tag removed": lambda f, org: f.tags.clear(),
}


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
def test_every_write_of_a_file_moves_its_unions_counter_only(org, files, write):
    MemberFactory(household=files["a"])
    HardshipCause.objects.get_or_create(household=files["a"], cause="illness")
    files["a"].tags.add(Tag.objects.create(name="低保"))
    before = changes(org.g1a), changes(org.g1b)
    WRITES[write](files["a"], org)
    assert changes(org.g1a) > before[0]
    assert changes(org.g1b) == before[1]


def test_a_file_moved_to_another_union_moves_both_counters_and_both_counts(org, files, reviewer_c1):
    composition.seen_by(reviewer_c1, ON)
    before = changes(org.g1a), changes(org.g1b)
    Household.objects.filter(pk=files["a"].pk).update(union=org.g1b)
    assert changes(org.g1a) > before[0] and changes(org.g1b) > before[1]
    kept = composition.counts_of_unions([org.g1a.pk, org.g1b.pk], ON)
    assert (kept[org.g1a.pk]["files"], kept[org.g1b.pk]["files"]) == (0, 2)


def test_a_write_in_raw_sql_moves_the_counter_too(org, files):
    before = changes(org.g1a)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Household._meta.db_table} SET housing = %s WHERE id = %s",
            ["other", files["a"].pk],
        )
    assert changes(org.g1a) > before


def test_a_bulk_write_moves_the_counter_once_per_statement_and_union(org):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's triggers fire per row")
    household = HouseholdFactory(in_file=True, union=org.g1a)
    before = changes(org.g1a)
    MemberFactory.create_batch(5, household=household)  # five statements
    Member.objects.filter(household=household).update(health="chronic")  # one
    assert changes(org.g1a) == before + 6


def test_the_auditor_is_told_of_kept_counts_that_differ_from_the_files(org, files, reviewer_c1):
    composition.seen_by(reviewer_c1, ON)
    composition.counts_of_unions([org.g1a.pk], timezone.localdate())
    assert verify_integrity().ok
    RegistryCounts.objects.filter(union=org.g1a).update(counts={"files": 7})
    run = verify_integrity()
    assert not run.ok
    assert f"基层工会 id={org.g1a.pk} 的 files 重新统计为 1，保存的为 7" in run.report


def test_a_worker_who_also_reads_the_registry_counts_their_own_file_once(org, caseworker_g1a):
    own = HouseholdFactory(in_file=True, union=org.g1b, worker_account=caseworker_g1a)
    Membership.objects.create(user=caseworker_g1a, unit=org.g1b, role=Role.WORKER)
    HouseholdFactory(in_file=True, union=org.g1a)
    HouseholdFactory(in_file=True, union=org.g1b)  # not theirs: G1b is outside their scope
    assert composition.seen_by(caseworker_g1a, ON)["files"] == 2
    assert Household.objects.filter(pk=own.pk, status="in_file").exists()


def test_the_nightly_count_leaves_the_days_first_page_nothing_to_count(org, files, reviewer_c1):
    call_command("count_registry", stdout=io.StringIO())
    with CaptureQueriesContext(connection) as queries:
        assert composition.seen_by(reviewer_c1, timezone.localdate())["files"] == 2
    assert not counted_again(queries)


def part_changes(household) -> int:
    row = RegistryPartChange.objects.filter(
        union_id=household.union_id, part=household.pk % PARTS
    ).first()
    return row.changes if row else 0


@pytest.fixture
def two_parts(org):
    """Two files of G1a in different parts."""
    first = HouseholdFactory(in_file=True, union=org.g1a)
    second = HouseholdFactory(in_file=True, union=org.g1a)
    while second.pk % PARTS == first.pk % PARTS:
        second = HouseholdFactory(in_file=True, union=org.g1a)
    return first, second


def test_a_write_moves_the_counter_of_its_files_part_only(org, two_parts):
    first, second = two_parts
    before = part_changes(first), part_changes(second)
    MemberFactory(household=first)
    assert part_changes(first) > before[0]
    assert part_changes(second) == before[1]


def test_a_changed_union_is_counted_again_only_in_the_changed_part(org, two_parts, reviewer_c1):
    first, second = two_parts
    assert composition.seen_by(reviewer_c1, ON)["files"] == 2
    # The other part's kept counts, made wrong on purpose: only a recount would fix them.
    RegistryPartCounts.objects.filter(union=org.g1a, part=second.pk % PARTS).update(
        counts={"files": 40}
    )
    MemberFactory(household=first, school_stage=Member.SchoolStage.PRIMARY)
    after = composition.seen_by(reviewer_c1, ON)
    assert after["school_h:primary"] == 1  # the changed part, counted again
    assert after["files"] == 1 + 40  # the other part, read as kept
    kept = RegistryCounts.objects.get(union=org.g1a)
    assert kept.counts["files"] == 41 and kept.changes == changes(org.g1a)


def test_parts_kept_on_another_day_are_counted_again(org, two_parts, reviewer_c1):
    first, second = two_parts
    composition.seen_by(reviewer_c1, ON)
    RegistryPartCounts.objects.filter(union=org.g1a).update(counts={"files": 40})
    MemberFactory(household=first)
    assert composition.seen_by(reviewer_c1, ON + datetime.timedelta(days=1))["files"] == 2


def test_the_auditor_is_told_of_a_kept_part_that_differs_from_its_files(org, two_parts):
    first, _second = two_parts
    composition.counts_of_unions([org.g1a.pk], timezone.localdate())
    assert verify_integrity().ok
    part = first.pk % PARTS
    RegistryPartCounts.objects.filter(union=org.g1a, part=part).update(counts={"files": 5})
    run = verify_integrity()
    assert not run.ok
    assert f"基层工会 id={org.g1a.pk} 第 {part} 部分的 files 重新统计为 1，保存的为 5" in run.report
