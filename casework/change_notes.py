"""What the changes reported add to the household page (hardship.page_notes): the way to
report a change, for the worker and the file's editors, and the reports still pending."""

from django.urls import reverse
from django.utils.translation import gettext as _

from casework import changes
from casework.models import ChangeReport
from hardship import access
from hardship.page_notes import Note
from households.models import Household


def household_notes(user, household) -> list[Note]:
    if not access.can_see_health(user, household):
        return []
    notes = [
        Note(
            _("情况变更 #%(id)s（%(kind)s，%(on)s）待审核。")
            % {"id": r.pk, "kind": r.get_kind_display(), "on": r.occurred_on},
            severity="info",
            url=r.get_absolute_url(),
            link_text=_("查看报告"),
        )
        for r in household.change_reports.filter(status=ChangeReport.Status.PENDING)
    ]
    if household.status == Household.Status.IN_FILE and changes.may_report(user, household):
        notes.append(
            Note(
                _(
                    "家庭情况有变化（孩子毕业或工作、就业、康复、住院、离婚、去世、突发事件、搬迁等）请及时报告。"
                ),
                severity="light",
                url=reverse("change_create", args=[household.pk]),
                link_text=_("报告家庭情况变化"),
            )
        )
    return notes
