"""Demo cross-checks, driven through the real services: a civil-affairs list (CSV in GBK)
and an HR extract (xlsx) for the petrochemical company whose match reports show every kind
of line, a line explained and one followed up, a pair of suspected duplicates (two files
with one phone number), and a verification sample of a festival payment with answers.
seed_demo runs it (demo_module in apps.py); adds nothing when its lists are already there."""

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from crosscheck import outside, reading, services, verification
from crosscheck.models import MatchLine, OutsideList, VerificationItem
from funds.models import DistributionPlan
from hardship.history import acted_by
from hardship.idnumber import check_character
from hardship.models import Unit
from households.models import Household, Member

CIVIL_SOURCE = "示范区民政局"
HR_SOURCE = "石化公司人力资源部"
SEED = 20260101
UNLISTED_FIRST17 = "23010319680215442"  # a resident on the civil-affairs list, never filed


def _upload(name, data):
    header, rows = reading.read_table(SimpleUploadedFile(name, data))
    return name, header, rows


def _civil_file(dibao, near) -> bytes:
    lines = ["公民身份号码,姓名,保障类别,纳入日期,退出日期"]
    for household in dibao[2:]:
        lines.append(f"{household.id_number},{household.worker_name},低保,2023-01-01,")
    if len(dibao) > 1:  # ended last year: on the list, no longer in force
        lines.append(f"{dibao[1].id_number},{dibao[1].worker_name},低保,2021-03-01,2025-06-30")
    if near:  # filed as 低保边缘户, drawing 低保 by the list
        lines.append(f"{near[0].id_number},{near[0].worker_name},城市低保,2024-05-01,")
    unlisted = UNLISTED_FIRST17 + check_character(UNLISTED_FIRST17)
    lines.append(f"{unlisted},韦秀兰,特困供养,2022-09-01,")
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


def _hr_file(laid_off, idle_member, active) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["员工姓名", "身份证号码", "人员状态", "月应发工资", "参保状态"])
    if laid_off:  # filed as laid off, on the payroll by HR
        sheet.append([laid_off.worker_name, laid_off.id_number, "在岗", "4800.00", "正常缴费"])
    if idle_member:  # a member recorded jobless, employed by HR
        member = idle_member
        sheet.append([member.name, member.id_number, "在职", "3200", "正常缴费"])
    for household in active:  # wages as filed: no line
        wages = sum(
            (i.monthly_amount for i in household.income_items.all() if i.source == "wages"),
            Decimal("0"),
        )
        sheet.append([household.worker_name, household.id_number, "在职", str(wages), "正常缴费"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _seed_lists(company, reviewer, second_reviewer):
    in_file = list(
        Household.objects.filter(union__path__startswith=company.path, status="in_file")
        .prefetch_related("members", "income_items")
        .order_by("pk")
    )
    dibao = [h for h in in_file if h.category == Household.Category.DIBAO]
    near = [h for h in in_file if h.category == Household.Category.NEAR_DIBAO]
    name, header, rows = _upload("民政低保名单.csv", _civil_file(dibao, near))
    civil = outside.outside_list_import(
        actor=reviewer,
        kind=OutsideList.Kind.CIVIL,
        source=CIVIL_SOURCE,
        list_date=datetime.date(2026, 10, 31),
        unit=company,
        file_name=name,
        header=header,
        rows=rows,
    )
    laid_off = next(
        (h for h in in_file if h.employment_status == Household.EmploymentStatus.LAID_OFF), None
    )
    idle_member = next(
        (
            m
            for h in in_file
            if h is not laid_off
            for m in h.members.all()
            if m.employment == Member.Employment.UNEMPLOYED and m.id_number
        ),
        None,
    )
    active = [h for h in in_file if h.employment_status == Household.EmploymentStatus.ACTIVE][:5]
    name, header, rows = _upload("人社工资数据.xlsx", _hr_file(laid_off, idle_member, active))
    hr = outside.outside_list_import(
        actor=reviewer,
        kind=OutsideList.Kind.HR,
        source=HR_SOURCE,
        list_date=datetime.date(2026, 10, 31),
        unit=company,
        file_name=name,
        header=header,
        rows=rows,
    )
    for outside_list in (civil, hr):
        services.report_viewed(user=second_reviewer, outside_list=outside_list)
    explained = civil.lines.filter(kind=MatchLine.Kind.OTHER_CATEGORY).first()
    if explained:
        services.line_explain(
            actor=second_reviewer,
            line=explained,
            reason="已入户核实：该户本月起纳入城市低保，档案困难类别待年度复核时调整。",
        )
    followed = civil.lines.filter(kind=MatchLine.Kind.NOT_FILED).first()
    if followed:
        services.line_follow_up(actor=reviewer, line=followed)
    return civil.lines.count() + hr.lines.count()


def _seed_duplicate(company, reviewer):
    """Two files of the company with one phone number: a suspected duplicate to decide."""
    first, second = (
        Household.objects.filter(union__path__startswith=company.path, status="in_file")
        .exclude(phone="")
        .order_by("-pk")[:2]
    )
    second.phone = first.phone
    acted_by(reviewer, second, reason="演示数据：与另一户登记了同一联系电话")
    second.save(update_fields=["phone"])


def _seed_verification(company, finance, auditor):
    plan = (
        DistributionPlan.objects.filter(
            unit__path__startswith=company.path, state=DistributionPlan.State.POSTED
        )
        .order_by("-pay_on", "-pk")
        .first()
    )
    if plan is None:
        return
    drawn = verification.verification_draw(
        actor=finance, unit=company, plan=plan, confidence="95", margin=Decimal("20"), seed=SEED
    )
    answers = [
        (finance, VerificationItem.Result.CONFIRMED, VerificationItem.Method.PHONE, ""),
        (auditor, VerificationItem.Result.CONFIRMED, VerificationItem.Method.VISIT, ""),
        (
            auditor,
            VerificationItem.Result.DISCREPANCY,
            VerificationItem.Method.PHONE,
            "职工称只收到慰问金的一半，银行流水待核。",
        ),
    ]
    for item, (actor, result, method, note) in zip(drawn.items.all(), answers, strict=False):
        verification.verification_record(
            actor=actor, item=item, result=result, method=method, note=note
        )


def seed(run) -> None:
    """The cross-checks' demo step (hardship.demo.DemoRun), once."""
    if OutsideList.objects.filter(source=CIVIL_SOURCE).exists():
        return
    company = Unit.objects.get(code="SH")
    user = {name: entry[0] for name, entry in run.users.items()}
    lines = _seed_lists(company, user["sh_reviewer"], user["sh_reviewer2"])
    _seed_duplicate(company, user["sh_reviewer"])
    _seed_verification(company, user["sh_finance"], user["sh_auditor"])
    run.report.append(
        f"Cross-checks: a civil-affairs list and an HR extract with {lines} match-report lines, "
        "a suspected duplicate pair, a payment verification sample."
    )
