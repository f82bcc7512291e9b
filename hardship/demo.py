"""The demo organisation: the union tree, one account per role per unit, and the policy
parameters the core owns. Each function adds only what is missing.

`seed_demo` runs the demo step of every app that names one (`demo_module` on its AppConfig),
in the order of INSTALLED_APPS, which is the order of the layers: each module's
`seed(run)` reads what the apps below it made from the `DemoRun` and adds a line to report
if it added anything."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from hardship.models import Membership, PolicyParameter, Role, Unit, User

DEMO_PASSWORD = "demo-pass-2026"


@dataclass
class DemoRun:
    """What one seed_demo run has made so far, shared by the apps' demo steps."""

    units: dict = field(default_factory=dict)  # code -> Unit
    users: dict = field(default_factory=dict)  # username -> (User, role, Unit)
    report: list = field(default_factory=list)  # lines the command prints after the logins
    # What one app's story leaves for an app above to continue (e.g. "bereaved": the
    # household and the day casework's demo records the visit to the family).
    story: dict = field(default_factory=dict)
    # Run after every app's step, in order: e.g. funds closes the ended years only once the
    # apps above have posted their history.
    wrap_up: list = field(default_factory=list)


# (code, name, kind, parent code, region codes for ID numbers of its people)
UNITS = [
    ("HSF", "示范市总工会", Unit.Kind.FEDERATION, None, []),
    ("SH", "示范石化公司工会", Unit.Kind.COMPANY, "HSF", []),
    ("SH01", "炼油厂工会", Unit.Kind.GRASSROOTS, "SH", ["230103", "230104"]),
    ("SH02", "化工厂工会", Unit.Kind.GRASSROOTS, "SH", ["230108", "230102"]),
    ("SH03", "机修厂工会", Unit.Kind.GRASSROOTS, "SH", ["230103", "230102"]),
    ("SH04", "离退休职工管理中心工会", Unit.Kind.GRASSROOTS, "SH", ["230104", "230108"]),
    ("MY", "示范煤业公司工会", Unit.Kind.COMPANY, "HSF", []),
    ("MY01", "一矿工会", Unit.Kind.GRASSROOTS, "MY", ["230302", "230303"]),
    ("MY02", "二矿工会", Unit.Kind.GRASSROOTS, "MY", ["230304", "230302"]),
    ("MY03", "洗煤厂工会", Unit.Kind.GRASSROOTS, "MY", ["230305", "230302"]),
    ("MY04", "机电总厂工会", Unit.Kind.GRASSROOTS, "MY", ["230307", "230303"]),
]

# (username, full name, role, unit code)
USERS = [
    ("admin", "系统管理员", Role.ADMINISTRATOR, "HSF"),
    # Decides appeals against the company unions' decisions (and their cancellations).
    ("hsf_committee", "范主席", Role.COMMITTEE, "HSF"),
    ("hsf_auditor", "高审计", Role.AUDITOR, "HSF"),
    ("sh_reviewer", "周复核", Role.COMPANY_REVIEWER, "SH"),
    # A second reviewer settles objections on applications the first one verified.
    ("sh_reviewer2", "魏复核", Role.COMPANY_REVIEWER, "SH"),
    ("sh_committee", "吴书记", Role.COMMITTEE, "SH"),
    ("sh_finance", "郑会计", Role.FINANCE, "SH"),
    ("sh_auditor", "冯审计", Role.AUDITOR, "SH"),
    ("my_reviewer", "陈复核", Role.COMPANY_REVIEWER, "MY"),
    ("my_reviewer2", "陶复核", Role.COMPANY_REVIEWER, "MY"),
    ("my_committee", "褚主任", Role.COMMITTEE, "MY"),
    ("my_finance", "卫出纳", Role.FINANCE, "MY"),
    ("my_auditor", "蒋审计", Role.AUDITOR, "MY"),
]
GRASSROOTS_STAFF = [  # per grassroots union: caseworker and chair
    ("SH01", "沈帮扶", "韩主席"),
    ("SH02", "杨帮扶", "朱主席"),
    ("SH03", "秦帮扶", "尤主席"),
    ("SH04", "许帮扶", "何主席"),
    ("MY01", "吕帮扶", "施主席"),
    ("MY02", "张帮扶", "孔主席"),
    ("MY03", "曹帮扶", "严主席"),
    ("MY04", "华帮扶", "金主席"),
]


def demo_pdf(title: str) -> bytes:
    """A one-page PDF with an ASCII title: enough to be opened and to pass the upload check."""
    text = title.encode("ascii", "replace")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# Members (会员) each union records, (active, retired): the grassroots unions hold the
# workers, the retirees' centre the retired, so the demo's files come to about 5% of members.
HEADCOUNTS = {
    "SH01": (420, 0),
    "SH02": (360, 0),
    "SH03": (280, 0),
    "SH04": (0, 520),
    "MY01": (460, 0),
    "MY02": (390, 0),
    "MY03": (210, 0),
    "MY04": (300, 40),
}


def seed_units():
    units = {}
    for code, name, kind, parent, _regions in UNITS:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            active, retired = HEADCOUNTS.get(code, (0, 0))
            unit = Unit(
                code=code,
                name=name,
                kind=kind,
                parent=units.get(parent),
                members_active=active,
                members_retired=retired,
                members_counted_on=datetime.date(timezone.localdate().year - 1, 12, 31),
            )
            unit.save()
        units[code] = unit
    return units


def seed_users(units):
    rows = list(USERS)
    for code, caseworker, chair in GRASSROOTS_STAFF:
        rows.append((f"{code.lower()}_caseworker", caseworker, Role.CASEWORKER, code))
        rows.append((f"{code.lower()}_chair", chair, Role.GRASSROOTS_CHAIR, code))
    rows.append(("sh01_worker", "", Role.WORKER, "SH01"))
    rows.append(("my01_worker", "李建国", Role.WORKER, "MY01"))
    users = {}
    # One hash for every demo login (they share the printed password): hashing it for each
    # of thirty users took a third of the seeding.
    hashed = None
    for username, full_name, role, unit_code in rows:
        user = User.objects.filter(username=username).first()
        if user is None:
            # An address at a reserved domain: the daily task digest (console e-mail by
            # default) has someone to write to, and nothing can ever be delivered.
            user = User(username=username, full_name=full_name, email=f"{username}@demo.invalid")
            hashed = hashed or make_password(DEMO_PASSWORD)
            user.password = hashed
            if role == Role.ADMINISTRATOR:
                user.is_staff = user.is_superuser = True
            user.save()
        Membership.objects.get_or_create(user=user, unit=units[unit_code], role=role)
        users[username] = (user, role, units[unit_code])
    return users


def seed_policy(units):
    rows = [
        (
            PolicyParameter.Key.HARDSHIP_THRESHOLD,
            "280",
            None,
            "2020-01-01",
            "某区困难职工认定标准：家庭人均月收入低于280元",
        ),
        (
            PolicyParameter.Key.EXTREME_THRESHOLD,
            "245",
            None,
            "2020-01-01",
            "某区特困职工认定标准：家庭人均月收入低于245元",
        ),
        (
            PolicyParameter.Key.HARDSHIP_THRESHOLD,
            "664",
            "SH",
            "2025-01-01",
            "参照石化公司所在地城市低保标准664元（示例）",
        ),
        (
            PolicyParameter.Key.EXTREME_THRESHOLD,
            "570",
            "SH",
            "2025-01-01",
            "参照当地另一档低保标准570元（示例）",
        ),
        (
            PolicyParameter.Key.EMPLOYED_MEMBERS_FLAG,
            "2",
            None,
            "2020-01-01",
            "就业人数较多的家庭需重点核查",
        ),
    ]
    for key, value, unit_code, start, note in rows:
        PolicyParameter.objects.get_or_create(
            key=key,
            unit=units.get(unit_code),
            valid_from=datetime.date.fromisoformat(start),
            defaults={"value": Decimal(value), "note": note},
        )


def seed(run: DemoRun) -> None:
    """The core's demo step: the union tree, the accounts and the core's policy."""
    run.units = seed_units()
    run.users = seed_users(run.units)
    seed_policy(run.units)
