"""The roster's family figures: household size, per-capita income, the responsible person
and the aid received this year (net of reversals), each held to the one definition it
repeats; the export's queries do not grow with its rows; and an exported roster, given the
two columns only the import needs, imports again."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from factories import HouseholdFactory, IncomeItemFactory, MemberFactory
from openpyxl import load_workbook
from reportkit import make_fund, pay, receive, reverse_entry

from funds.ledger import paid_for_household
from funds.models import AidType, Fund
from households.assessment import assess
from households.models import Household
from households.selectors import household_detail
from reports import import_format, imports, storage
from reports.excel import YUAN

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
AID = f"{THIS_YEAR}年已领取帮扶（元）"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def roster_sheet(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("roster_xlsx"), params)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(body(response))).active


def rows_of(ws) -> dict:
    headers = [c.value for c in ws[1]]
    return {row[1].value: dict(zip(headers, row, strict=True)) for row in ws.iter_rows(min_row=2)}


@pytest.fixture
def families(org, finance_c1, caseworker_g1a, history_window):
    """Two families of G1a: 甲 with two members, an income item, and this year's aid with a
    reversal and last year's payment beside it; 乙 alone, with an imported responsible name
    no user has yet been matched to."""
    a = HouseholdFactory(in_file=True, union=org.g1a, worker_name="甲一")
    a.responsible_user = caseworker_g1a
    a.save()
    MemberFactory(household=a, monthly_income=Decimal("1000.00"))
    MemberFactory(household=a, monthly_income=Decimal("0"))
    IncomeItemFactory(household=a, monthly_amount=Decimal("600.00"))
    b = HouseholdFactory(in_file=True, union=org.g1a, worker_name="乙二")
    b.responsible_person = "老周"
    b.save()
    IncomeItemFactory(household=b, monthly_amount=Decimal("1000.00"))
    fund = make_fund(org.c1, "集团公司帮扶资金", Fund.Source.GROUP, year=THIS_YEAR - 1)
    receive(finance_c1, fund, "20000", datetime.date(THIS_YEAR - 1, 1, 5))
    pay(finance_c1, fund, [(a, "1000")], AidType.EMERGENCY, datetime.date(THIS_YEAR - 1, 12, 20))
    pay(finance_c1, fund, [(a, "800")], AidType.FESTIVAL, datetime.date(THIS_YEAR, 1, 20))
    (wrong,) = pay(finance_c1, fund, [(a, "300")], AidType.LIVING, datetime.date(THIS_YEAR, 2, 1))
    reverse_entry(finance_c1, wrong, datetime.date(THIS_YEAR, 2, 3))
    return {"a": a, "b": b}


def test_roster_carries_family_size_income_responsible_person_and_the_years_aid(
    client, families, caseworker_g1a
):
    ws = roster_sheet(client, caseworker_g1a)
    rows = rows_of(ws)
    a, b = rows["甲一"], rows["乙二"]
    assert a["家庭人口"].value == 3  # the worker and two members
    assert a["家庭人均月收入（元）"].value == pytest.approx(533.33)  # 1,600 / 3
    assert a["家庭人均月收入（元）"].number_format == YUAN
    assert a["帮扶责任人"].value == "王干事"
    # 800 this year; the 300 was reversed; last December's 1,000 is last year's.
    assert a[AID].value == 800
    assert a[AID].number_format == YUAN
    assert b["家庭人口"].value == 1
    assert b["家庭人均月收入（元）"].value == 1000
    assert b["帮扶责任人"].value == "老周"  # the imported name, until it is matched
    assert b[AID].value == 0


def test_roster_figures_agree_with_the_household_page_and_the_yearly_cap(
    client, families, caseworker_g1a
):
    rows = rows_of(roster_sheet(client, caseworker_g1a))
    for key, name in [("a", "甲一"), ("b", "乙二")]:
        household = household_detail(caseworker_g1a, families[key].pk)
        assessment = assess(household)
        assert rows[name]["家庭人口"].value == assessment.people
        assert Decimal(str(rows[name]["家庭人均月收入（元）"].value)) == assessment.per_capita
        paid = paid_for_household(families[key], THIS_YEAR)
        assert Decimal(str(rows[name][AID].value)) == paid


def test_roster_export_costs_the_same_queries_with_more_families_and_payments(
    client, families, org, finance_c1, caseworker_g1a, session_clock_still
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            roster_sheet(client, caseworker_g1a)
        return len(captured)

    queries()  # the first request of the session also writes it
    small = queries()
    fund = make_fund(org.g1a, "中央专项帮扶资金", Fund.Source.CENTRAL, year=THIS_YEAR)
    receive(finance_c1, fund, "50000", datetime.date(THIS_YEAR, 1, 5))
    more = []
    for n in range(12):
        h = HouseholdFactory(in_file=True, union=org.g1a, responsible_user=caseworker_g1a)
        MemberFactory(household=h, monthly_income=Decimal(n * 100))
        IncomeItemFactory(household=h)
        more.append(h)
    pay(
        finance_c1,
        fund,
        [(h, "200") for h in more],
        AidType.FESTIVAL,
        datetime.date(THIS_YEAR, 3, 1),
    )
    assert queries() == small


def test_an_exported_roster_imports_again_with_its_extra_columns(
    client, org, caseworker_g1a, settings, tmp_path
):
    """The roster has columns the import does not know (family size, income, aid, file
    number, status): they are passed over; the responsible person's column is the import's
    own, and the name finds its user again."""
    settings.EXPORT_DIR = tmp_path / "exports"
    h = HouseholdFactory(
        in_file=True,
        union=org.g1a,
        worker_name="丙三",
        category="dibao",
        employment_status="laid_off",
        housing="rent",
        responsible_user=caseworker_g1a,
    )
    h.causes.create(cause="illness")
    h.causes.create(cause="education")
    number, phone = h.id_number, h.phone
    ws = roster_sheet(client, caseworker_g1a, full="1")
    Household.objects.filter(pk=h.pk).delete()  # filed again from the exported row
    headers = [c.value for c in ws[1]]
    assert {"家庭人口", "家庭人均月收入（元）", AID} <= set(headers)
    # What the import needs and the roster does not carry: the union's code and the housing.
    ws.cell(1, len(headers) + 1, "基层工会编码")
    ws.cell(1, len(headers) + 2, "住房情况")
    ws.cell(2, len(headers) + 1, org.g1a.code)
    ws.cell(2, len(headers) + 2, "租房")
    ws.title = import_format.DATA_SHEET
    content = io.BytesIO()
    ws.parent.save(content)
    preview = imports.parse_and_validate(io.BytesIO(content.getvalue()), caseworker_g1a)
    assert preview.errors == [] and preview.good_count == 1
    name = storage.save(storage.import_name("roster-again"), content)
    assert imports.commit_file(name, caseworker_g1a) == 1
    again = Household.objects.get(id_number=number)
    assert (again.worker_name, again.phone, again.category) == ("丙三", phone, "dibao")
    assert again.employment_status == "laid_off"
    assert sorted(again.causes.values_list("cause", flat=True)) == ["education", "illness"]
    assert again.responsible_user == caseworker_g1a
