"""The breakdowns the texts publish, counted on a small family set whose answers are worked
out by hand: housing, children in school, illness, age band by sex with the 4050 group,
working-age members' work, and model workers apart with the year's aid."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from factories import HouseholdFactory, MemberFactory, make_id_number
from reportkit import YEAR, make_fund, pay, receive, reverse_entry

from funds.flows import paid_in_unions
from funds.models import AidType, Fund
from households import composition
from households.models import Household
from reports import breakdowns
from reports.statistics import model_worker_aid

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 6, 15)


def years_ago(on, years, days=0) -> datetime.date:
    try:
        born = on.replace(year=on.year - years)
    except ValueError:  # 29 February
        born = on.replace(year=on.year - years, day=28)
    return born + datetime.timedelta(days=days)


def worker(union, birth, sex, seq, **fields) -> Household:
    return HouseholdFactory(
        in_file=True, union=union, id_number=make_id_number(birth, seq=seq, sex=sex), **fields
    )


def member(household, birth, **fields):
    return MemberFactory(household=household, id_number="", birth_date=birth, **fields)


def families(org, on):
    """Seven families in file in the first company, and files that must not count."""
    at = {}
    at["a"] = worker(  # a woman of 40 today: a 4050, laid off, seriously ill
        org.g1a,
        years_ago(on, 40),
        "F",
        1,
        housing="rent",
        employment_status="laid_off",
        worker_health="serious",
    )
    member(at["a"], years_ago(on, 9), school_stage="primary")
    member(at["a"], years_ago(on, 20), school_stage="university", health="serious")
    at["b"] = worker(org.g1a, years_ago(on, 40, days=1), "F", 2, housing="public_rental")  # 39
    member(at["b"], years_ago(on, 8), school_stage="primary")
    member(at["b"], years_ago(on, 10), school_stage="primary")  # two pupils, one family
    member(at["b"], years_ago(on, 45), employment="unemployed", health="chronic")
    at["c"] = worker(org.g1a, years_ago(on, 50, days=1), "M", 3)  # a man of 49: not yet 4050
    member(at["c"], years_ago(on, 48), employment="employed", health="disabled", disability_grade=2)
    at["d"] = worker(  # a man of 50 today, in work, chronically ill, a provincial model worker
        org.g1b,
        years_ago(on, 50),
        "M",
        4,
        employment_status="active",
        worker_health="chronic",
        is_model_worker=True,
        model_worker_title="provincial",
    )
    member(at["d"], years_ago(on, 17), school_stage="high")
    at["e"] = worker(  # 60 tomorrow: still a 4050, contract terminated
        org.g1b,
        years_ago(on, 60, days=1),
        "M",
        5,
        employment_status="terminated",
        is_model_worker=True,
    )
    at["f"] = worker(org.g1b, years_ago(on, 60), "F", 6, housing="with_parents")  # 60 today
    at["g"] = worker(org.g1b, years_ago(on, 26), "M", 7)
    # Not counted: an exited file with a seriously ill child, a draft, another company's.
    exited = HouseholdFactory(exited=True, union=org.g1a, housing="rent", gender="F")
    member(exited, years_ago(on, 12), school_stage="middle", health="serious")
    HouseholdFactory(union=org.g1a, housing="rent")
    other = worker(org.g2a, years_ago(on, 45), "F", 8, housing="rent", worker_health="serious")
    member(other, years_ago(on, 15), school_stage="middle")
    return at


def in_file_of_company(org):
    return Household.objects.filter(status="in_file", union__path__startswith=org.c1.path)


def counted(org, on=ON):
    return composition.counted(in_file_of_company(org), on)


def test_housing_counts_each_kind_of_home(org):
    families(org, ON)
    assert dict(breakdowns.housing(counted(org))) == {
        "自有住房": 4,
        "廉租房": 1,
        "租房": 1,
        "与父母同住": 1,
        "其他": 0,
    }


def test_school_stages_count_families_and_pupils_apart(org):
    families(org, ON)
    rows = {
        row.label: (row.households, row.people) for row in breakdowns.school_stages(counted(org))
    }
    assert rows == {
        "学前": (0, 0),
        "小学": (2, 3),  # family b's two pupils are one household
        "初中": (0, 0),  # the exited file's and the other company's pupils do not count
        "高中/中职": (1, 1),
        "大学": (1, 1),
        "其中义务教育（小学、初中）": (2, 3),
        "有在学子女的户（合计）": (3, 5),
    }


def test_health_counts_families_with_the_worker_or_a_member_ill(org):
    families(org, ON)
    rows = {
        row.label: (row.households, row.workers, row.members, row.people)
        for row in breakdowns.health(counted(org))
    }
    assert rows == {
        "大病": (1, 1, 1, 2),  # family a: the worker and a child, one household
        "慢性病": (2, 1, 1, 2),  # d's worker, b's member
        "残疾": (1, 0, 1, 1),
    }


def test_age_by_sex_reads_the_4050_group_off_the_id_numbers(org):
    families(org, ON)
    table = breakdowns.age_by_sex(counted(org))
    assert [(row.label, row.men, row.women) for row in table.bands] == [
        ("35岁以下", 1, 0),
        ("35至39岁", 0, 1),
        ("40至49岁", 1, 1),
        ("50至59岁", 2, 0),
        ("60岁及以上", 0, 1),
    ]
    # Women from 40 (a), men from 50 (d, e); not the man of 49 nor the woman of 60.
    assert (table.group_4050.men, table.group_4050.women, table.group_4050.total) == (2, 1, 3)
    assert (table.out_of_work_4050.men, table.out_of_work_4050.women) == (1, 1)


def test_the_composition_is_five_queries_whatever_the_number_of_files(
    org, django_assert_num_queries
):
    families(org, ON)
    with django_assert_num_queries(5) as queries:
        few = counted(org)
    for _ in range(3):
        MemberFactory(household=HouseholdFactory(in_file=True, union=org.g1b))
    with django_assert_num_queries(5):
        more = counted(org)
    assert more["files"] == few["files"] + 3
    # No figure is counted through `IN (subquery)` under a FILTER: at a million files
    # PostgreSQL stopped hashing such a subquery and searched it again for every file.
    for query in queries.captured_queries:
        for counted_part in query["sql"].split("FILTER (WHERE")[1:]:
            assert " IN (SELECT" not in counted_part.split(") AS")[0], query["sql"]


def test_members_at_work_counts_only_working_age(org):
    families(org, ON)
    found = dict(breakdowns.members_at_work(counted(org)))
    # a's student of 20, d's of 17, b's unemployed member, c's employed spouse; the pupils
    # under 16 are not of working age.
    assert found == {
        "在业": 1,
        "务农": 0,
        "无业/失业": 1,
        "离退休": 0,
        "在校学生": 2,
        "学龄前/无劳动能力": 0,
    }


def test_model_workers_are_shown_apart_with_the_years_aid_net_of_reversals(
    org, finance_c1, history_window
):
    at = families(org, datetime.date(YEAR, 6, 15))
    fund = make_fund(org.c1, "困难劳模专项", Fund.Source.GROUP)
    receive(finance_c1, fund, "5000", datetime.date(YEAR, 1, 5))
    pay(
        finance_c1,
        fund,
        [(at["d"], "800"), (at["a"], "300")],
        AidType.LIVING,
        datetime.date(YEAR, 2, 1),
    )
    (wrong,) = pay(finance_c1, fund, [(at["e"], "500")], AidType.LIVING, datetime.date(YEAR, 3, 1))
    reverse_entry(finance_c1, wrong, datetime.date(YEAR, 3, 2))
    union_ids = [org.g1a.pk, org.g1b.pk]
    rows = {
        str(row["label"]): (row["households"], row["person_times"], row["net"])
        for row in model_worker_aid(counted(org), paid_in_unions(union_ids, YEAR), YEAR)
    }
    assert rows == {
        "全国劳模": (0, 0, Decimal("0")),
        "省部级劳模": (1, 1, Decimal("800.00")),
        "市级劳模": (0, 0, Decimal("0")),
        "称号未登记": (1, 0, Decimal("0.00")),  # e's payment was reversed
        "合计": (2, 1, Decimal("800.00")),  # a is not a model worker
    }


def test_reviewer_sees_the_breakdowns_of_their_company_on_the_page(client, org, reviewer_c1):
    families(org, timezone.localdate())
    client.force_login(reviewer_c1)
    response = client.get(reverse("statistics"))
    assert response.status_code == 200
    context = response.context
    assert context["age_by_sex"].group_4050.total == 3
    assert {row.label: row.households for row in context["school"]}["有在学子女的户（合计）"] == 3
    assert {row.label: row.households for row in context["health"]}["大病"] == 1
    indicators = {str(label): value for label, value in context["indicators"]}
    assert indicators["有大病患者的在档户"] == 1  # the indicator and the table agree
    html = response.content.decode()
    for anchor in ['id="age-by-sex"', 'id="school-stages"', 'id="health-table"', "4050人员"]:
        assert anchor in html
    charts = {str(title) for title, _svg in context["charts"]}
    assert {"在档户按住房情况", "在档户劳动年龄家庭成员按就业情况（人）"} <= charts


def test_caseworker_sees_only_their_unions_families(client, org, caseworker_g1a):
    families(org, timezone.localdate())
    client.force_login(caseworker_g1a)
    context = client.get(reverse("statistics")).context
    assert context["age_by_sex"].group_4050.total == 1  # a only: d and e are in G1b
    assert {row.label: row.households for row in context["school"]}["小学"] == 2
