"""The public notice (公示) of a campaign's approved list: opened when the committee
approves, posted to the company's workforce like an application's notice; the list is paid
only after the period ended with no open objection."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import rules as case_rules
from funds.models import DistributionPlan, PlanNotice, PlanObjection
from hardship.models import Unit


def notice_unit(plan) -> Unit:
    """The company union whose workforce sees the notice (the plan's own unit if it is one)."""
    ancestors = [plan.unit.pk, *plan.unit.path.strip("/").split("/")]
    return (
        Unit.objects.filter(pk__in=ancestors, kind=Unit.Kind.COMPANY).order_by("-path").first()
        or plan.unit
    )


def notice_open(plan) -> PlanNotice | None:
    """Called by the approval engine after a plan's decision: an approved campaign's list
    goes on notice for the unit's notice period (the same policy as applications)."""
    if not plan.is_campaign or plan.state != DistributionPlan.State.APPROVED:
        return None
    unit = notice_unit(plan)
    today = timezone.localdate()
    days = case_rules.notice_days(unit, today)
    notice, _created = PlanNotice.objects.update_or_create(
        plan=plan,
        defaults={
            "unit": unit,
            "starts_on": today,
            "ends_on": today + datetime.timedelta(days=days - 1),
            "closed_on": None,
        },
    )
    return notice


def posting_refusal(plan, today: datetime.date | None = None) -> str | None:
    """Why a campaign may not be paid yet, or None: its notice must have run its course
    (ended before today) with no objection still open."""
    if not plan.is_campaign:
        return None
    today = today or timezone.localdate()
    notice = PlanNotice.objects.filter(plan=plan).first()
    if notice is None:
        return _("该活动的发放名单尚未公示，不能发放。")
    if notice.objections.filter(status=PlanObjection.Status.OPEN).exists():
        return _("公示期间有未处理的异议，处理后方可发放。")
    if notice.closed_on is None and notice.ends_on >= today:
        return _("发放名单正在公示，%(d)s 公示期满后方可发放。") % {"d": notice.ends_on.isoformat()}
    return None


def close_due_plan_notices(today: datetime.date | None = None):
    """Close every campaign notice whose period ended before `today` with no open
    objection. Returns (notices closed, [(notice, why held back)])."""
    today = today or timezone.localdate()
    done, held = [], []
    due = PlanNotice.objects.filter(closed_on__isnull=True, ends_on__lt=today).values_list(
        "pk", flat=True
    )
    for pk in due:
        with transaction.atomic():
            notice = PlanNotice.objects.select_for_update().select_related("plan").get(pk=pk)
            if notice.closed_on:
                continue
            if notice.objections.filter(status=PlanObjection.Status.OPEN).exists():
                held.append((notice, _("有未处理的异议。")))
                continue
            notice.closed_on = today
            notice.save(update_fields=["closed_on"])
            done.append(notice)
    return done, held
