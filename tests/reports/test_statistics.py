"""The statistics page for the user's scope: households by cause, category, level, age band,
employment status and sex, payments per month as an SVG chart, and the performance
indicators (绩效). Charts are server-drawn SVG that must be safe to inline under the CSP."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from factories import HardshipCauseFactory, HouseholdFactory, make_id_number
from reportkit import YEAR

from hardship.models import Unit
from households import composition
from households.access import households_visible_to
from households.models import Household
from reports import charts
from reports.statistics import age_bands

pytestmark = pytest.mark.django_db

BAR = re.compile(
    r'<text[^>]*text-anchor="end"[^>]*>([^<]*)</text><rect[^>]*/><text[^>]*>([^<]*)</text>'
)


def bars(svg) -> dict:
    """A bar chart's label → value, read back from the SVG."""
    return {label: int(value.replace(",", "")) for label, value in BAR.findall(str(svg))}


def years_ago(today: datetime.date, years: int, days: int = 0) -> datetime.date:
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - years, day=28)
    return born + datetime.timedelta(days=days)


def born(union, birth, *, sex="M", seq, causes=(), **fields):
    h = HouseholdFactory(
        in_file=True, union=union, id_number=make_id_number(birth, seq=seq, sex=sex), **fields
    )
    for cause in causes:
        HardshipCauseFactory(household=h, cause=cause)
    return h


@pytest.fixture
def population(org):
    """Five in-file households in the first company, with ages on both sides of 35 and 50,
    plus files that must not be counted: an exited one, a draft, and the other company's."""
    today = timezone.localdate()
    born(
        org.g1a,
        years_ago(today, 35, days=1),  # 34 until tomorrow
        sex="F",
        seq=401,
        causes=["illness", "disability"],
        category="dibao",
        level="extreme",
        employment_status="active",
    )
    born(
        org.g1a,
        years_ago(today, 35),  # 35 today
        seq=402,
        causes=["illness"],
        category="dibao",
        employment_status="laid_off",
    )
    born(org.g1b, years_ago(today, 50), sex="F", seq=403, causes=["education"])  # 50 today
    born(org.g1b, years_ago(today, 51, days=1), seq=404, level="extreme")  # still 50
    born(org.g1b, years_ago(today, 51), seq=405, category="accident")  # 51 today
    # Not counted: exited, draft, another company.
    HouseholdFactory(exited=True, union=org.g1a, exited_on=datetime.date(YEAR, 6, 30))
    HouseholdFactory(union=org.g1a)
    born(org.g2a, years_ago(today, 30), sex="F", seq=406, causes=["disaster"], category="dibao")


def charts_of(response) -> dict:
    return {str(title): bars(svg) for title, svg in response.context["charts"]}


def test_reviewer_can_count_households_of_their_company_by_every_dimension(
    client, population, reviewer_c1
):
    client.force_login(reviewer_c1)
    response = client.get(reverse("statistics"))
    assert response.status_code == 200
    found = charts_of(response)
    assert response.context["total_in_file"] == 5
    causes = found["在档户按致困原因（一户可多因）"]
    assert (causes["因病"], causes["因残"], causes["因学"], causes["因灾"]) == (2, 1, 1, 0)
    assert found["在档户按困难类别"] == {"低保户": 2, "低保边缘户": 2, "意外致困户": 1}
    assert found["在档户按困难程度"] == {"困难": 3, "特困": 2}
    assert found["在档户按年龄段"] == {"35岁以下": 1, "35至50岁": 3, "50岁以上": 1}
    assert found["在档户按就业状态"] == {
        "在职": 1,
        "离退休": 3,
        "解除劳动合同": 0,
        "下岗失业": 1,
    }
    assert found["在档户按性别"] == {"男": 3, "女": 2}
    assert bars(response.context["exits_chart"]) == {str(YEAR): 1}


def test_caseworker_cannot_count_households_of_other_unions(client, population, caseworker_g1a):
    client.force_login(caseworker_g1a)
    response = client.get(reverse("statistics"))
    found = charts_of(response)
    assert response.context["total_in_file"] == 2
    assert found["在档户按性别"] == {"男": 1, "女": 1}
    assert found["在档户按年龄段"] == {"35岁以下": 1, "35至50岁": 1, "50岁以上": 0}


def test_auditor_can_count_the_whole_tree(client, population, auditor_fed):
    client.force_login(auditor_fed)
    response = client.get(reverse("statistics"))
    assert response.context["total_in_file"] == 6
    assert charts_of(response)["在档户按致困原因（一户可多因）"]["因灾"] == 1


def test_age_bands_follow_the_birth_date_in_the_id_number(org):
    today = datetime.date(2026, 3, 1)
    ages = {
        34: make_id_number(datetime.date(1991, 3, 2), seq=1),
        35: make_id_number(datetime.date(1991, 3, 1), seq=2),
        50: make_id_number(datetime.date(1975, 3, 2), seq=3),
        51: make_id_number(datetime.date(1975, 3, 1), seq=4),
    }
    for number in ages.values():
        HouseholdFactory(in_file=True, union=org.g1a, id_number=number)
    assert age_bands(composition.counted(Household.objects.all(), today)) == [
        ("35岁以下", 1),
        ("35至50岁", 2),
        ("50岁以上", 1),
    ]


def test_age_bands_agree_with_the_id_numbers_reader(org):
    """Counted in SQL from the number's digits; the same answers as birth_date_of, a leap
    day included."""
    from hardship.idnumber import birth_date_of

    today = datetime.date(2028, 2, 29)
    born = [
        datetime.date(1993, 2, 28),
        datetime.date(1993, 3, 1),
        datetime.date(1977, 2, 28),
        datetime.date(1977, 3, 1),
        datetime.date(1960, 2, 29),
        datetime.date(2000, 1, 1),
    ]
    for seq, day in enumerate(born, start=1):
        HouseholdFactory(in_file=True, union=org.g1a, id_number=make_id_number(day, seq=seq))
    expected = {"35岁以下": 0, "35至50岁": 0, "50岁以上": 0}
    for number in Household.objects.values_list("id_number", flat=True):
        b = birth_date_of(number)
        age = today.year - b.year - ((today.month, today.day) < (b.month, b.day))
        expected["35岁以下" if age < 35 else "35至50岁" if age <= 50 else "50岁以上"] += 1
    bands = age_bands(composition.counted(Household.objects.all(), today))
    assert (
        {str(label): n for label, n in bands}
        == expected
        == {
            "35岁以下": 2,
            "35至50岁": 2,
            "50岁以上": 2,
        }
    )


def test_finance_can_read_the_indicators_and_the_monthly_chart(client, ledger, finance_c1):
    client.force_login(finance_c1)
    response = client.get(reverse("statistics"), {"year": YEAR})
    assert response.status_code == 200
    indicators = {str(label): value for label, value in response.context["indicators"]}
    # Plan lines of the year for the company's households: 2 + 1 + 2 + 1; payments not reversed: 5.
    assert indicators["计划帮扶人次"] == 6
    assert indicators["实际帮扶人次"] == 5
    assert indicators["人次完成率"] == "83.3%"
    assert indicators["资金使用率"] == "8.56%"  # the company's annual report
    assert indicators["医疗救助占比"] == "40.5%"  # 3,000 of 7,400.50 net
    assert indicators["当年净发放（元）"] == "7,400.50"
    html = response.content.decode()
    for label in ["计划帮扶人次", "实际帮扶人次", "资金使用率", "医疗救助占比"]:
        assert label in html
    monthly = str(response.context["monthly_chart"])
    assert "<svg" in monthly and monthly in html
    assert "<svg" in html
    # Columns are labelled 1..12; March, May and June carry payments, September nets to 0.
    assert ">3,200.50<" in monthly and ">3,000.00<" in monthly and ">1,200.00<" in monthly
    assert ">900.00<" not in monthly  # the other company's payment


def test_caseworker_can_see_indicators_without_a_fund_use_rate(client, ledger, caseworker_g1a):
    client.force_login(caseworker_g1a)
    response = client.get(reverse("statistics"), {"year": YEAR})
    indicators = {str(label): value for label, value in response.context["indicators"]}
    assert indicators["资金使用率"] == "—"  # no report scope
    assert indicators["实际帮扶人次"] == 4  # G1a households only: h1 and h2, twice each


def test_reviewer_can_pick_a_year_and_bad_years_fall_back_to_this_year(client, reviewer_c1):
    client.force_login(reviewer_c1)
    assert client.get(reverse("statistics"), {"year": "2024"}).context["year"] == 2024
    this_year = timezone.localdate().year
    for bad in ["1899", "abc", "-1", ""]:
        assert client.get(reverse("statistics"), {"year": bad}).context["year"] == this_year


@pytest.mark.parametrize("who", ["worker_g1a", "admin_fed", "outsider"])
def test_worker_cannot_open_the_statistics(client, request, org, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("statistics")).status_code == 403


# Charts ---------------------------------------------------------------------------------


def test_chart_cannot_carry_script_from_a_label():
    svg = charts.bar_chart([("<script>alert(1)</script>", 3), ('"onload="x', 1)], unit="<b>")
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "&quot;onload=&quot;x" in svg
    assert "style=" not in svg


def test_chart_cannot_use_inline_styles_under_the_csp():
    for svg in [
        charts.bar_chart([("因病", 3), ("因残", 0)]),
        charts.bar_chart([]),
        charts.column_chart([(str(m), m * 10) for m in range(1, 13)]),
        charts.column_chart([("<i>", 0)]),
    ]:
        assert svg.startswith("<svg") and svg.endswith("</svg>")
        assert "style=" not in svg and "<script" not in svg and "<i>" not in svg


def test_chart_can_draw_bars_in_proportion():
    svg = charts.bar_chart([("甲", 10), ("乙", 5), ("丙", 0)])
    widths = [float(w) for w in re.findall(r'<rect[^>]*width="([\d.]+)"', svg)]
    assert widths[0] == pytest.approx(2 * widths[1])
    assert widths[2] == 0
    assert bars(svg) == {"甲": 10, "乙": 5, "丙": 0}


def test_indicators_show_no_completion_rate_when_nothing_was_planned(client, org, finance_c1):
    client.force_login(finance_c1)
    response = client.get(reverse("statistics"), {"year": YEAR})
    indicators = {str(label): value for label, value in response.context["indicators"]}
    assert indicators["计划帮扶人次"] == 0
    assert indicators["人次完成率"] == "—"  # not "0%": there was nothing to complete


def test_monthly_columns_of_a_large_scope_stay_legible_with_the_exact_figure_on_hover():
    svg = charts.column_chart([("1", Decimal("9277500.00")), ("2", Decimal("86000.50"))])
    assert ">927.8万<" in svg and "<title>1: 9,277,500.00</title>" in svg
    assert ">86,000.50<" in svg  # below 100,000 the label is exact
    with translation.override("en"):
        assert ">9.28M<" in charts.column_chart([("1", Decimal("9277500.00"))])
        assert ">105k<" in charts.column_chart([("1", Decimal("104999.00"))])


def test_a_month_of_more_reversals_than_payments_hangs_below_the_zero_line():
    svg = charts.column_chart([("1", Decimal("-300.00")), ("2", Decimal("900.00"))])
    zero = float(re.search(r'<line[^>]* y1="([\d.]+)"', svg).group(1))
    (y1, h1), (y2, h2) = [
        (float(y), float(h))
        for y, h in re.findall(r'<rect[^>]* y="([\d.]+)"[^>]* height="([\d.]+)"', svg)
    ]
    assert y1 == pytest.approx(zero) and y2 + h2 == pytest.approx(zero)  # one below, one above
    assert h2 == pytest.approx(3 * h1)  # in proportion
    assert 0 < y2 and y1 + h1 < 200  # both inside the picture
    assert ">-300.00<" in svg


def _rects(svg) -> list[tuple[float, float]]:
    """Each bar's (x, width) in a horizontal bar chart."""
    return [
        (float(x), float(w))
        for x, w in re.findall(r'<rect x="([-\d.]+)"[^>]* width="([-\d.]+)"', svg)
    ]


def _axis_x(svg) -> float:
    return float(re.search(r'<line x1="([\d.]+)"', svg).group(1))


def _view_width(svg) -> float:
    return float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))


def test_negative_bar_is_drawn_left_of_the_zero_axis():
    svg = charts.bar_chart([("发放", Decimal("1000.00")), ("冲销", Decimal("-500.00"))], unit="元")
    zero = _axis_x(svg)
    (x_pos, w_pos), (x_neg, w_neg) = _rects(svg)
    assert x_pos == pytest.approx(zero, abs=0.2)  # right of the axis
    assert x_neg + w_neg == pytest.approx(zero, abs=0.2)  # ends at the axis: drawn to the left
    assert w_pos == pytest.approx(2 * w_neg, abs=0.3)
    assert ">-500.00元<" in svg


def test_all_negative_series_stays_inside_the_chart():
    svg = charts.bar_chart([("甲", -1000), ("乙", -250)])
    zero, width = _axis_x(svg), _view_width(svg)
    (x1, w1), (x2, w2) = _rects(svg)
    assert x1 + w1 == pytest.approx(zero, abs=0.2) and x2 + w2 == pytest.approx(zero, abs=0.2)
    assert w1 == pytest.approx(4 * w2, abs=0.5)  # drawn to a tenth of a unit
    assert all(0 <= x and x + w <= width for x, w in _rects(svg))
    column = charts.column_chart([("1", -1000), ("2", -250)])
    height = float(re.search(r'viewBox="0 0 [\d.]+ ([\d.]+)"', column).group(1))
    for y, h in re.findall(r'<rect[^>]* y="([-\d.]+)"[^>]* height="([-\d.]+)"', column):
        assert 0 <= float(y) and float(y) + float(h) <= height


def test_chart_is_as_wide_as_its_longest_english_label():
    label = "Serious illness of a family member"
    svg = charts.bar_chart([(label, 3), ("Other", 1)])
    (label_x,) = re.findall(r'<text x="([\d.]+)"[^>]*text-anchor="end"[^>]*>Serious', svg)
    assert float(label_x) >= charts.text_width(label, 12)  # anchored at its end: room to its left


def test_chart_is_an_image_named_by_its_title():
    svg = charts.bar_chart([("因病", 3)], title="在档户按致困原因")
    ident = re.search(r'role="img" aria-labelledby="([^"]+)"', svg).group(1)
    assert f'<title id="{ident}">在档户按致困原因</title>' in svg
    column = charts.column_chart([("1", 3)], title="每月净发放")
    assert 'role="img" aria-labelledby=' in column and ">每月净发放</title>" in column


def test_chart_comes_with_its_figures_as_a_table():
    html = charts.figure(
        [("因病", 3), ("冲销", Decimal("-500.00"))], title="示例", value_header="户数"
    )
    assert "<svg" in html and "<details" in html and "<summary>数据表</summary>" in html
    assert '<caption class="visually-hidden">示例</caption>' in html
    assert re.search(r'<th scope="row"[^>]*>因病</th><td[^>]*>3</td>', html)
    assert re.search(r'<th scope="row"[^>]*>冲销</th><td[^>]*>-500.00</td>', html)


def test_every_statistics_chart_has_a_name_and_a_table(client, population, reviewer_c1):
    client.force_login(reviewer_c1)
    html = client.get(reverse("statistics")).content.decode()
    svgs = re.findall(r"<svg[^>]*>", html)
    # Nine breakdowns of the files (housing and members' work among them), model workers,
    # tags, months, exits.
    assert len(svgs) == 13
    for tag in svgs:
        ident = re.search(r'role="img" aria-labelledby="([^"]+)"', tag).group(1)
        assert f'<title id="{ident}">' in html
    assert html.count("<summary>数据表</summary>") == 13


def test_the_share_of_members_in_hardship_needs_a_headcount(client, ledger, reviewer_c1, org):
    client.force_login(reviewer_c1)
    indicators = dict(client.get(reverse("statistics"), {"year": YEAR}).context["indicators"])
    assert indicators["在档困难职工占会员比例"] == "—"
    in_file = households_visible_to(reviewer_c1).filter(status="in_file").count()
    assert in_file
    # Each union counts its own members; the company's share is over its whole subtree.
    Unit.objects.filter(pk=org.g1a.pk).update(members_active=in_file * 10)
    Unit.objects.filter(pk=org.g1b.pk).update(
        members_active=in_file * 8, members_retired=in_file * 2
    )
    Unit.objects.filter(pk=org.g2a.pk).update(members_active=999)  # another company's
    indicators = dict(client.get(reverse("statistics"), {"year": YEAR}).context["indicators"])
    assert indicators["在档困难职工占会员比例"] == "5.0%"
    assert indicators["会员人数（在职/离退休）"] == f"{in_file * 18:,}/{in_file * 2:,}"


def test_planned_person_times_count_the_years_money_applications_in_scope(
    client, org, reviewer_c1, caseworker_g1a
):
    from cases.models import Application

    today = timezone.localdate()
    mine = HouseholdFactory(in_file=True, union=org.g1a)
    other_company = HouseholdFactory(in_file=True, union=org.g2a)

    def effective(household, on, kind="emergency"):
        Application.objects.create(
            number=f"SQ-{Application.objects.count() + 1}",
            household=household,
            kind=kind,
            reason="住院",
            amount=Decimal("500"),
            state=Application.State.EFFECTIVE,
            effective_on=on,
            filed_by=caseworker_g1a,
        )

    effective(mine, today)
    effective(mine, today)
    effective(other_company, today)  # not the reviewer's company
    effective(mine, today.replace(year=today.year - 1))  # another year
    client.force_login(reviewer_c1)

    response = client.get(reverse("statistics"), {"year": today.year})

    indicators = {str(label): value for label, value in response.context["indicators"]}
    assert indicators["计划帮扶人次"] == 2


def test_planned_lines_count_where_the_file_was_when_the_list_was_built(
    client, ledger, finance_c1, org
):
    from funds.models import PlanLine

    def planned():
        response = client.get(reverse("statistics"), {"year": YEAR})
        return dict((str(label), value) for label, value in response.context["indicators"])[
            "计划帮扶人次"
        ]

    client.force_login(finance_c1)
    assert planned() == 6
    line = PlanLine.objects.filter(plan__pay_on__year=YEAR, union__parent=org.c1).first()
    # The file moved to another company after its plan's list was built: the line stays.
    Household.objects.filter(pk=line.household_id).update(union=org.g2a)
    assert planned() == 6
    # A line kept as another company's is not this company's.
    PlanLine.objects.filter(pk=line.pk).update(union=org.g2a)
    assert planned() == 5
