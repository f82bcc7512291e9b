"""One scoped fetcher per kind of record: inside the user's scope it returns the record,
outside it (another company, no role, a number that does not exist) it is a 404, never a
403 that would reveal the record exists."""

import pytest
from django.http import Http404

from cases import services as case_services
from cases.access import get_notice_for, get_objection_for
from cases.models import Notice
from funds.access import get_entry_for, get_fund_for, get_plan_for

pytestmark = pytest.mark.django_db


def test_a_fund_and_its_ledger_rows_are_fetched_only_inside_the_scope(
    fund_c1, finance_c1, finance_c2, outsider
):
    entry = fund_c1.entries.get()
    assert get_fund_for(finance_c1, fund_c1.pk) == fund_c1
    assert get_entry_for(finance_c1, entry.pk) == entry
    for user in (finance_c2, outsider):
        with pytest.raises(Http404):
            get_fund_for(user, fund_c1.pk)
        with pytest.raises(Http404):
            get_entry_for(user, entry.pk)
    with pytest.raises(Http404):
        get_fund_for(finance_c1, fund_c1.pk + 1000)


def test_a_plan_is_fetched_only_inside_the_scope(draft_plan, committee_c1, finance_c2, outsider):
    assert get_plan_for(committee_c1, draft_plan.pk) == draft_plan
    for user in (finance_c2, outsider):
        with pytest.raises(Http404):
            get_plan_for(user, draft_plan.pk)


def test_a_notice_and_its_objection_are_fetched_only_inside_the_company(
    app_at, worker_g1a, reviewer_c1, caseworker_g2a, outsider
):
    notice = Notice.objects.get(application=app_at("in_notice"))
    objection = case_services.objection_lodge(actor=worker_g1a, notice=notice, reason="请核实。")
    assert get_notice_for(reviewer_c1, notice.pk) == notice
    assert get_objection_for(reviewer_c1, objection.pk) == objection
    for user in (caseworker_g2a, outsider):
        with pytest.raises(Http404):
            get_notice_for(user, notice.pk)
        with pytest.raises(Http404):
            get_objection_for(user, objection.pk)
