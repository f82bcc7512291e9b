"""Reading policy parameters in force for a unit (its region) on a date."""

import datetime
from decimal import Decimal

from django.db.models import Q

from hardship import access
from hardship.models import PolicyParameter, Unit

# Values that apply when no row is in force for a key. A key missing here has no default:
# the rule it drives does not apply (e.g. no cap).
DEFAULTS = {
    # Posting may go back into the previous month (month-end receipts booked in the first
    # days of the next month), no further.
    PolicyParameter.Key.BACKDATE_MONTHS: Decimal("1"),
    # A rejected applicant, or a worker whose file was cancelled, may appeal for 30 days.
    PolicyParameter.Key.APPEAL_DAYS: Decimal("30"),
    # 来电来访来信: a policy question is answered within 3 days, a complaint within 15 (信访
    # practice), anything else within 7.
    PolicyParameter.Key.INTAKE_DAYS_HELP: Decimal("7"),
    PolicyParameter.Key.INTAKE_DAYS_POLICY: Decimal("3"),
    PolicyParameter.Key.INTAKE_DAYS_LEGAL: Decimal("7"),
    PolicyParameter.Key.INTAKE_DAYS_EMPLOYMENT: Decimal("7"),
    PolicyParameter.Key.INTAKE_DAYS_COMPLAINT: Decimal("15"),
    PolicyParameter.Key.INTAKE_DAYS_OTHER: Decimal("7"),
    # 全部实行银行卡发放: regular and festival payments go to cards unless a unit allows cash.
    PolicyParameter.Key.CASH_REGULAR: Decimal("0"),
    PolicyParameter.Key.CASH_FESTIVAL: Decimal("0"),
    # Small loans (小额借款): at most 30,000 yuan for at most two years, interest-free.
    PolicyParameter.Key.LOAN_CAP: Decimal("30000"),
    PolicyParameter.Key.LOAN_TERM_MONTHS: Decimal("24"),
    PolicyParameter.Key.LOAN_ANNUAL_RATE: Decimal("0"),
    # 帮扶责任人 keep in touch at least once a quarter; 三必访 within a week of a
    # hospitalisation, three days of a death or an emergency; the review and the renewal of
    # expiring evidence are put on the list a month ahead.
    PolicyParameter.Key.CONTACT_DAYS: Decimal("90"),
    PolicyParameter.Key.VISIT_DAYS_HOSPITAL: Decimal("7"),
    PolicyParameter.Key.VISIT_DAYS_BEREAVEMENT: Decimal("3"),
    PolicyParameter.Key.VISIT_DAYS_EMERGENCY: Decimal("3"),
    PolicyParameter.Key.REVIEW_TASK_DAYS: Decimal("30"),
    PolicyParameter.Key.EVIDENCE_WARNING_DAYS: Decimal("30"),
}

# The one cap table: which policy parameter caps a single case (每案上限) of an aid kind.
# Keyed by the kind's value, which an application kind (cases) and the aid type of a
# payment (funds) share; a kind missing here has no per-case cap.
CASE_CAP_KEYS = {
    "emergency": PolicyParameter.Key.EMERGENCY_CAP,
    "education": PolicyParameter.Key.EDUCATION_CAP,
    "medical": PolicyParameter.Key.MEDICAL_CAP,
}

# Which policy parameter allows cash for an aid type; a type missing here may be paid in cash
# (relief handed over at a hospital bed, say), one listed only where its parameter is 1.
CASH_KEYS = {
    "regular": PolicyParameter.Key.CASH_REGULAR,
    "festival": PolicyParameter.Key.CASH_FESTIVAL,
}


def policy_value(key: str, unit: Unit, on: datetime.date) -> Decimal | None:
    """The value of `key` in force on `on` for `unit`: the row of the nearest unit on the path
    to the root (or a system-wide row), and among those the latest start date."""
    ancestor_ids = access.ancestor_ids(unit.path)
    rows = PolicyParameter.objects.filter(
        Q(unit__isnull=True) | Q(unit_id__in=ancestor_ids),
        key=key,
        valid_from__lte=on,
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    return _in_force(rows, ancestor_ids, on)


def _in_force(rows, ancestor_ids: list[int], on: datetime.date) -> Decimal | None:
    """The rule of policy_value over rows of one key: in force on `on`, of the unit nearest
    on the path (a system-wide row below any unit's), then the latest start date."""
    depth = {unit_id: index for index, unit_id in enumerate(ancestor_ids)}
    best = max(
        (
            row
            for row in rows
            if (row.unit_id is None or row.unit_id in depth)
            and row.valid_from <= on
            and (row.valid_to is None or row.valid_to >= on)
        ),
        key=lambda row: (depth.get(row.unit_id, -1), row.valid_from),
        default=None,
    )
    return best.value if best else None


def policy_lookup(key: str):
    """policy_value for many units and dates from one query: a function of (unit path, date)
    for pages that judge hundreds of households against the threshold in force for each."""
    rows = list(PolicyParameter.objects.filter(key=key))

    def value(unit_path: str, on: datetime.date) -> Decimal | None:
        return _in_force(rows, access.ancestor_ids(unit_path), on)

    return value


def policy_value_or_default(key: str, unit: Unit, on: datetime.date) -> Decimal | None:
    """policy_value, falling back to DEFAULTS when no row is in force."""
    value = policy_value(key, unit, on)
    return DEFAULTS.get(key) if value is None else value


def case_cap(kind: str, unit: Unit, on: datetime.date) -> Decimal | None:
    """The most one case of `kind` may get for a household of `unit` on `on`; None: no cap.
    Applications are checked against it when filed and payments when posted."""
    key = CASE_CAP_KEYS.get(kind)
    return policy_value(key, unit, on) if key else None


def cash_allowed(aid_type: str, unit: Unit, on: datetime.date) -> bool:
    """Whether a payment of `aid_type` to a household of `unit` may be made in cash on `on`."""
    key = CASH_KEYS.get(aid_type)
    return key is None or bool(policy_value_or_default(key, unit, on))
