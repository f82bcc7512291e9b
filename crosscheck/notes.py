"""What the cross-checks add to the household and application pages (registered with the
core's page-notes hook in apps.py): the watch list, and on the household page the
suspected duplicates still to decide. Shown to the union's readers, not to the worker."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from crosscheck import selectors
from crosscheck.models import DuplicateDecision
from hardship import access
from hardship.page_notes import Note
from households.assessment import duplicate_matches
from households.models import Household


def _watch_notes(household) -> list[Note]:
    notes = []
    for mark in selectors.watch_hits(household):
        cancelled = mark.application.household
        notes.append(
            Note(
                _(
                    "监控名单：本户职工或家庭成员曾在因骗取帮扶注销的档案 %(file)s 中（%(reason)s）。请审核人重点核实。"
                )
                % {"file": cancelled.file_number, "reason": mark.reason},
                severity="danger",
            )
        )
    return notes


def household_notes(user, household) -> list[Note]:
    if not access.reads_registry_of(user, household):
        return []
    notes = _watch_notes(household)
    if household.status in (Household.Status.DRAFT, Household.Status.IN_FILE) and access.covers(
        user, access.CROSSCHECK_READERS, household.union.path
    ):
        pairs = duplicate_matches([household], reasons=("bank_account", "phone", "name_birth"))
        decided = DuplicateDecision.objects.filter(
            first_id__in={a for a, _b in pairs}, second_id__in={b for _a, b in pairs}
        ).values_list("first_id", "second_id")
        open_pairs = set(pairs) - set(decided)
        if open_pairs:
            notes.append(
                Note(
                    ngettext(
                        "疑似重复：本户与另 %(n)d 份档案的银行卡号、电话或姓名和出生日期相同。",
                        "疑似重复：本户与另 %(n)d 份档案的银行卡号、电话或姓名和出生日期相同。",
                        len(open_pairs),
                    )
                    % {"n": len(open_pairs)},
                    url=reverse("crosscheck_duplicates"),
                    link_text=_("查看疑似重复档案"),
                )
            )
    return notes


def application_notes(user, application) -> list[Note]:
    household = application.household
    if not access.reads_registry_of(user, household):
        return []
    return _watch_notes(household)
