"""Demo changes reported (情况变更), through the services: a pending report from
sh01_worker's own page (a child started work), one accepted by sh01_chair (the family moved:
the file's address changed, its history naming the report), one rejected, and a
hospitalisation that opened the hospital visit (住院必访)."""

import datetime

from django.utils import timezone

from casework import changes
from casework.models import ChangeReport
from hardship.models import Unit
from households.forms import HouseholdForm
from households.models import Household

KIND = ChangeReport.Kind


def _file_data(household, **changed) -> dict:
    """The household form's cleaned data as the edit page would submit it, with `changed`."""
    unions = Unit.objects.filter(pk=household.union_id)
    unbound = HouseholdForm(instance=household, unions=unions)
    data = {name: unbound[name].value() for name in unbound.fields}
    data.update(changed)
    form = HouseholdForm(data, instance=household, unions=unions)
    if not form.is_valid():
        raise ValueError(form.errors.as_text())
    return form.cleaned_data


def seed_changes(users) -> int:
    """Four reports on SH01 and SH02 files in file; nothing when there already are some."""
    if ChangeReport.objects.exists():
        return 0
    today = timezone.localdate()
    in_file = Household.objects.filter(status=Household.Status.IN_FILE).select_related("union")
    own = in_file.filter(worker_account=users["sh01_worker"]).first()
    others = list(
        in_file.filter(union__code="SH01", worker_account__isnull=True).order_by("pk")[:2]
    )
    sh02 = in_file.filter(union__code="SH02").order_by("pk").first()
    if own is None or len(others) < 2 or sh02 is None:
        return 0
    child = own.members.filter(relation="child").first()
    changes.change_report(
        actor=users["sh01_worker"],
        household=own,
        kind=KIND.EMPLOYMENT,
        occurred_on=today - datetime.timedelta(days=6),
        member=child,
        description="孩子中专毕业后已参加工作，在市内一家物流公司当仓管员，月工资约2800元。",
    )
    moved, ill = others
    report = changes.change_report(
        actor=users["sh01_caseworker"],
        household=moved,
        kind=KIND.MOVE,
        occurred_on=today - datetime.timedelta(days=40),
        description="原住房拆迁，全家搬入回迁安置房：示范市炼化区安置小区3号楼2单元501室。",
    )
    moved = Household.objects.prefetch_related("causes").get(pk=moved.pk)
    changes.change_accept(
        actor=users["sh01_chair"],
        report=report,
        household=moved,
        data=_file_data(moved, address="示范市炼化区安置小区3号楼2单元501室"),
        members=(),
        incomes=(),
        note="已入户核实新住址。",
    )
    rejected = changes.change_report(
        actor=users["sh02_caseworker"],
        household=sh02,
        kind=KIND.RECOVERY,
        occurred_on=today - datetime.timedelta(days=20),
        description="邻居反映职工病情好转，已能正常上班。",
    )
    changes.change_reject(
        actor=users["sh02_chair"],
        report=rejected,
        note="入户核实：职工仍在化疗，未能上班，病情未好转。",
    )
    changes.change_report(
        actor=users["sh01_caseworker"],
        household=ill,
        kind=KIND.HOSPITAL,
        occurred_on=today - datetime.timedelta(days=2),
        description="职工突发脑梗住院，在市第一医院神经内科治疗。",
    )
    return ChangeReport.objects.count()
