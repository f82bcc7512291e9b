"""The roster import's data format: the columns of the file (their Chinese headers are the
format, whatever language the site is used in), its limits, and what checking a file gives
back — the good rows, the errors by row and column, and the preview of both."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from hardship.idnumber import check_character
from hardship.models import Unit
from households.models import Cause, Gender, Household, IncomeItem

# Limits: a roster of a large company fits; a file that would tie up a worker for long or
# exhaust memory does not.
MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024
DATA_SHEET = "困难职工台账"
HELP_SHEET = "填写说明"


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # fixed, Chinese: the file format
    required: bool
    width: int


COLUMNS = (
    Column("union_code", "基层工会编码", True, 14),
    Column("worker_name", "职工姓名", True, 12),
    Column("gender", "性别", True, 8),
    Column("id_number", "身份证号", True, 22),
    Column("phone", "联系电话", False, 15),
    Column("address", "家庭住址", False, 30),
    Column("employer", "工作单位", True, 22),
    Column("employment_status", "就业状态", True, 14),
    Column("category", "困难类别", True, 12),
    Column("level", "困难程度", True, 10),
    Column("causes", "致困原因", True, 22),
    Column("housing", "住房情况", True, 12),
    Column("established_on", "建档日期", True, 12),
    Column("bank_account", "帮扶资金银行卡号", False, 22),
    Column("monthly_income", "职工本人月收入", False, 14),
    Column("responsible_person", "帮扶责任人", False, 12),
)
BY_KEY = {c.key: c for c in COLUMNS}
BY_HEADER = {c.header: c for c in COLUMNS}
TEXT_COLUMNS = ("union_code", "id_number", "phone", "bank_account")

# The template's example row (a valid but made-up number): left in the file by mistake,
# it is skipped rather than imported.
_EXAMPLE_FIRST17 = "23010319750314001"
EXAMPLE_ID = _EXAMPLE_FIRST17 + check_character(_EXAMPLE_FIRST17)
EXAMPLE_NAME = "张三"

CHOICE_CLASSES = {
    "gender": Gender,
    "employment_status": Household.EmploymentStatus,
    "category": Household.Category,
    "level": Household.Level,
    "housing": Household.Housing,
    "causes": Cause,
}

# The worker's own monthly income becomes an income item of the matching source.
INCOME_SOURCE = {
    Household.EmploymentStatus.ACTIVE: IncomeItem.Source.WAGES,
    Household.EmploymentStatus.RETIRED: IncomeItem.Source.PENSION,
}


def labels(choices) -> dict[str, str]:
    """Chinese label → stored value, whatever language is active."""
    with translation.override("zh-hans"):
        return {str(label): value for value, label in choices.choices}


# --------------------------------------------------------------------------- results


@dataclass(slots=True)
class RowError:
    row: int  # the row number Excel shows
    column: str  # the column header, "" for the row as a whole
    message: str


@dataclass(slots=True)
class ImportRow:
    """One valid row, cleaned to model values."""

    row: int
    union: Unit
    worker_name: str
    gender: str
    id_number: str
    phone: str
    address: str
    employer: str
    employment_status: str
    category: str
    level: str
    causes: tuple[str, ...]
    housing: str
    established_on: datetime.date
    bank_account: str
    monthly_income: Decimal | None
    responsible_person: str = ""  # matched to a user after the import (households.responsible)

    def display(self) -> dict:
        """Labels for a preview table."""
        values = {}
        for key, choices in CHOICE_CLASSES.items():
            labels = dict(choices.choices)
            value = getattr(self, key)
            if key == "causes":
                values[key] = "、".join(str(labels[c]) for c in value)
            else:
                values[key] = str(labels[value])
        return values


@dataclass
class Preview:
    rows: list[ImportRow] = field(default_factory=list)  # the good rows
    errors: list[RowError] = field(default_factory=list)
    total: int = 0  # data rows read (blank rows and the template's example not counted)
    header_row: int = 1
    sheet_title: str = ""
    skipped_example: bool = False

    @property
    def error_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    @property
    def good_count(self) -> int:
        return len(self.rows)

    @property
    def bad_count(self) -> int:
        return len(self.error_rows)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def errors_by_cell(self) -> dict[tuple[int, str], list[str]]:
        cells = defaultdict(list)
        for error in self.errors:
            cells[(error.row, error.column)].append(error.message)
        return cells


class ImportRejected(ValidationError):
    """The file has errors: nothing was written. Its text lists the first of them."""

    def __str__(self):
        return "；".join(self.messages)


def describe(error: RowError) -> str:
    if error.column:
        return _("第%(row)d行“%(column)s”：%(message)s") % {
            "row": error.row,
            "column": error.column,
            "message": error.message,
        }
    return _("第%(row)d行：%(message)s") % {"row": error.row, "message": error.message}
