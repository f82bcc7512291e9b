"""The household roster (困难职工台账) as a workbook: the file with the family's size and
per-capita income, the responsible person (帮扶责任人) and the aid received this year.

The figures come with the households in one statement: each is a correlated aggregate
annotated on the roster's query (members, income items, the year's ledger rows, each read
through its household index), so a province's roster streams at the same pace as before
and no row costs a query of its own."""

from django.db import connections, transaction
from django.db.models import F, OuterRef, Sum
from django.utils.translation import gettext as _

from funds.models import LedgerEntry
from hardship.idnumber import mask_id_number, mask_phone
from households.figures import per_capita, per_household, with_family_figures
from households.models import Cause, Gender, Household, main_cause_by_default
from reports.excel import Money, Workbook

CHUNK = 2000


def _labels(choices) -> dict[str, str]:
    """Choice labels translated once per export, not once per row (get_FOO_display
    translates on every call: seconds over a province's roster)."""
    return {value: str(label) for value, label in choices.choices}


def with_roster_figures(households, year: int):
    """The households with the family's size and income (households.figures) and
    `aid_in_year`, net of reversals, as funds.ledger.paid_for_household counts it for the
    yearly cap: payments are negative in the ledger, their reversals positive."""
    year_rows = LedgerEntry.objects.filter(household=OuterRef("pk"), posted_on__year=year)
    return (
        with_family_figures(households)
        .select_related("union")
        .annotate(
            aid_in_year=-per_household(year_rows, Sum("amount")),
            # The responsible person's names, not the user: 30,000 User objects cost a second.
            responsible_full_name=F("responsible_user__full_name"),
            responsible_username=F("responsible_user__username"),
        )
    )


def _stream(households, year: int):
    """The annotated households, 2,000 at a time, in a transaction with PostgreSQL's JIT off.
    The correlated aggregates make the planner's estimate large enough to compile the query
    (about two seconds, measured on 30,000 files), which a scan of index lookups never pays
    back: without it the figures add about 1.3 s to a 30,000-file roster. The transaction is
    on the database the router reads from (the replica, for an export that may use it)."""
    using = households.db
    with transaction.atomic(using=using):
        if connections[using].vendor == "postgresql":
            with connections[using].cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        figures = with_roster_figures(households, year).using(using)
        yield from figures.iterator(chunk_size=CHUNK)


def responsible_name(household) -> str:
    """The 帮扶责任人 as the user reads (full name, else user name: User.__str__); an
    imported name not yet matched to a user stays as it came."""
    if household.responsible_user_id is not None:
        return household.responsible_full_name or household.responsible_username
    return household.responsible_person


def main_cause_of(household) -> str:
    """The chosen main cause; for a file saved before it could be chosen, the default."""
    return household.main_cause or main_cause_by_default(c.cause for c in household.causes.all())


def roster_xlsx(households, target, *, identity_for, year: int, progress=None) -> int:
    """Write the roster of `households` (a queryset: the figures are annotated here) to
    `target`. `identity_for(household)` says whether the exporting user may see that
    household's full ID and phone numbers. Returns rows written."""
    genders, employment = _labels(Gender), _labels(Household.EmploymentStatus)
    categories, levels = _labels(Household.Category), _labels(Household.Level)
    causes, statuses = _labels(Cause), _labels(Household.Status)

    def rows():
        for count, household in enumerate(_stream(households, year), start=1):
            if progress and count % CHUNK == 0:
                progress(count)
            full = identity_for(household)
            yield [
                household.file_number,
                household.worker_name,
                genders.get(household.gender, household.gender),
                household.id_number if full else mask_id_number(household.id_number),
                household.phone if full else mask_phone(household.phone),
                household.union.name,
                household.employer,
                employment.get(household.employment_status, household.employment_status),
                categories.get(household.category, household.category),
                levels.get(household.level, household.level),
                "、".join(causes.get(c.cause, c.cause) for c in household.causes.all()),
                causes.get(main_cause_of(household), ""),
                household.family_size,
                Money(per_capita(household)),
                responsible_name(household),
                Money(household.aid_in_year),
                statuses.get(household.status, household.status),
                household.established_on,
                household.address,
            ]

    with Workbook(target) as wb:
        return wb.add_sheet(
            _("困难职工台账"),
            [
                _("档案编号"),
                _("职工姓名"),
                _("性别"),
                _("身份证号"),
                _("联系电话"),
                _("基层工会"),
                _("工作单位"),
                _("就业状态"),
                _("困难类别"),
                _("困难程度"),
                _("致困原因"),
                _("主要致困原因"),
                _("家庭人口"),
                _("家庭人均月收入（元）"),
                _("帮扶责任人"),
                _("%(year)d年已领取帮扶（元）") % {"year": year},
                _("档案状态"),
                _("建档日期"),
                _("家庭住址"),
            ],
            rows(),
            [],  # fitted to the text (excel.py)
        )
