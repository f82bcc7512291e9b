"""The URL configuration as data: every named URL pattern of the project, what object each
one's parameters refer to in the `world` fixture (tests/fixtures/world.py), and a way
to call each one as a given person without one call's writes leaking into the next."""

import copy
from dataclasses import dataclass

from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# The people of the matrix (fixtures of tests/conftest.py), and the anonymous visitor.
ROLES = [
    "caseworker_g1a",
    "chair_g1a",
    "reviewer_c1",
    "committee_c1",
    "finance_c1",
    "auditor_fed",
    "admin_fed",
    "worker_g1a",
    "outsider",
    "caseworker_g2a",
]
ANONYMOUS = "anonymous"

# Left out of the walk: Django's admin (its own permission system, staff only), the
# language switch (Django's set_language, tested in tests/hardship/test_language.py) and
# static files (not routed in the URLconf at all).
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_NAMES = {"set_language"}


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    params: tuple[str, ...]


def _walk(resolver, prefix="", namespace=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if inner in SKIPPED_NAMESPACES:
                continue
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            if not entry.name or entry.name in SKIPPED_NAMES:
                continue
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            params = tuple(getattr(entry.pattern, "converters", {}).keys())
            yield Route(name, prefix + str(entry.pattern), params)


def named_routes() -> list[Route]:
    """Every named URL of the project (recursively through include()), in URLconf order."""
    routes = list(_walk(get_resolver()))
    names = [r.name for r in routes]
    assert len(names) == len(set(names)), "two URL patterns share a name"
    return routes


# What each URL's parameters point at: a `world` attribute per parameter. A URL that is
# not listed here fails test_every_named_url_is_in_the_tables, so a new page cannot slip
# past the matrix unchecked.
TARGETS: dict[str, dict[str, str]] = {
    # hardship
    "dashboard": {},
    "healthz": {},
    "login": {},
    "logout": {},
    "password_change": {},
    "password_change_done": {},
    "twofactor_status": {},
    "twofactor_setup": {},
    "twofactor_verify": {},
    "twofactor_recovery_codes": {},
    "twofactor_disable": {},
    # households
    "household_list": {},
    "household_create": {},
    "review_list": {},
    "review_create": {"pk": "household"},
    "household_detail": {"pk": "household"},
    "household_edit": {"pk": "household"},
    "aid_plan_edit": {"pk": "household"},
    "measure_progress": {"pk": "household"},
    "household_reveal": {"pk": "household", "field": "=id_number"},
    "card_confirm": {"pk": "household"},
    "evidence_upload": {"pk": "household"},
    "evidence_download": {"pk": "evidence"},
    "evidence_delete": {"pk": "evidence"},
    "evidence_expiring": {},
    "responsible_unmatched": {},
    "responsible_assign": {"pk": "household"},
    # cases
    "application_list": {},
    "inbox": {},
    "application_create": {"household_pk": "household"},
    "medical_suggestion": {},
    "application_detail": {"pk": "submitted"},
    "application_act": {"pk": "submitted"},
    "application_resubmit": {"pk": "returned"},
    "investigation_add": {"pk": "grassroots_approved"},
    "application_print": {"pk": "in_notice"},
    "household_snapshot": {"pk": "grassroots_approved", "decision_pk": "decision"},
    "visit_create": {"household_pk": "household"},
    "round_list": {},
    "round_create": {},
    "round_detail": {"pk": "visit_round"},
    "change_list": {},
    "change_create": {"household_pk": "household"},
    "change_detail": {"pk": "change_report"},
    "change_accept": {"pk": "change_report"},
    "change_reject": {"pk": "change_report"},
    "change_exit_propose": {"pk": "change_report"},
    "task_list": {},
    "my_households": {},
    "notification_list": {},
    "notifications_read_all": {},
    "notice_list": {},
    "objection_lodge": {"notice_pk": "notice"},
    "objection_resolve": {"pk": "objection"},
    "appeal_create": {"pk": "rejected"},
    "appeal_list": {},
    "appeal_detail": {"pk": "appeal"},
    "appeal_decide": {"pk": "appeal"},
    # funds
    "fund_list": {},
    "fund_create": {},
    "fund_detail": {"pk": "fund"},
    "receipt_add": {"pk": "fund"},
    "fund_close_year": {"pk": "fund"},
    "entry_reverse": {"pk": "entry"},
    "payment_create": {"application_pk": "effective"},
    "plan_list": {},
    "plan_create": {},
    "plan_detail": {"pk": "submitted_plan"},
    "plan_edit": {"pk": "draft_plan"},
    "plan_submit": {"pk": "draft_plan"},
    "plan_act": {"pk": "submitted_plan"},
    "plan_post": {"pk": "approved_plan"},
    "plan_adjust": {"pk": "draft_plan"},
    "plan_adjustment_undo": {"pk": "draft_plan", "adjustment_pk": "plan_adjustment"},
    "plan_objection_resolve": {"pk": "campaign", "objection_pk": "plan_objection"},
    "plan_notice_list": {},
    "plan_notice_detail": {"pk": "plan_notice"},
    "plan_objection_lodge": {"pk": "plan_notice"},
    # intake
    "intake_register": {},
    "intake_mine": {},
    "intake_overdue": {},
    "intake_create": {},
    "online_contact": {},
    "intake_detail": {"pk": "contact"},
    "intake_reveal": {"pk": "contact", "field": "=id_number"},
    "intake_act": {"pk": "contact"},
    "intake_close": {"pk": "contact"},
    "intake_follow_up": {"pk": "contact"},
    "intake_household": {"pk": "contact"},
    "intake_application": {"pk": "contact"},
    "intake_attachment": {"pk": "contact"},
    "legal_aid_list": {},
    "legal_aid_create": {},
    "legal_aid_providers": {},
    "legal_aid_detail": {"pk": "legal_case"},
    "legal_aid_refer": {"pk": "legal_case"},
    "legal_aid_conclude": {"pk": "legal_case"},
    "legal_aid_reveal": {"pk": "legal_case", "field": "=phone"},
    "intake_statistics": {},
    # bank
    "bank_batch_list": {},
    "bank_batch_create": {},
    "bank_batch_detail": {"pk": "batch"},
    "bank_batch_sent": {"pk": "batch"},
    "bank_return_import": {"pk": "batch"},
    "bank_voucher_upload": {"pk": "batch"},
    "bank_voucher_download": {"pk": "batch"},
    "bank_cards_to_fix": {},
    # loans
    "loan_list": {},
    "loan_overdue": {},
    "loan_apply": {"household_pk": "household"},
    "loan_detail": {"pk": "loan"},
    "loan_act": {"pk": "loan"},
    "loan_disburse": {"pk": "approved_loan"},
    "loan_repay": {"pk": "current_loan"},
    "loan_repayment_reverse": {"pk": "repayment"},
    "loan_motion_create": {"pk": "current_loan"},
    "loan_motion_act": {"pk": "loan_motion"},
    # employment
    "employment_index": {},
    "partner_create": {},
    "vacancy_create": {},
    "employment_match": {},
    "course_create": {},
    "course_detail": {"pk": "course"},
    "employment_household": {"pk": "household"},
    "enrolment_create": {"pk": "member"},
    "referral_create": {"pk": "member"},
    "enrolment_result": {"pk": "enrolment"},
    "certificate_download": {"pk": "enrolment"},
    "referral_result": {"pk": "referral"},
    "placement_confirm": {"pk": "placement"},
    # reports
    "annual_report": {},
    "annual_report_xlsx": {},
    "annual_report_pdf": {},
    "roster_xlsx": {},
    "notice_pdf": {},
    "application_pdf": {"pk": "in_notice"},
    "statistics": {},
    "job_detail": {"pk": "job"},
    "job_download": {"pk": "job"},
    "bank_batch_file": {"pk": "batch"},
    "bank_roster_pdf": {"pk": "batch"},
    "bank_roster_xlsx": {"pk": "batch"},
    "plan_roster_pdf": {"pk": "submitted_plan"},
    "plan_roster_xlsx": {"pk": "submitted_plan"},
    "disclosure_list": {},
    "disclosure_create": {},
    "disclosure_detail": {"pk": "draft_disclosure"},
    "disclosure_pdf": {"pk": "published_disclosure"},
    "disclosure_correct": {"pk": "published_disclosure"},
    "disclosure_recompute": {"pk": "draft_disclosure"},
    "disclosure_submit": {"pk": "draft_disclosure"},
    "disclosure_decide": {"pk": "submitted_disclosure"},
    "disclosure_publish": {"pk": "approved_disclosure"},
    "roster_import": {},
    "roster_import_template": {},
    "roster_import_errors": {},
    "roster_import_commit": {},
    # crosscheck
    "crosscheck_lists": {},
    "crosscheck_import": {},
    "crosscheck_list_detail": {"pk": "outside_list"},
    "crosscheck_line_act": {"pk": "match_line"},
    "crosscheck_duplicates": {},
    "crosscheck_duplicate_decide": {"pk": "household"},
    "crosscheck_watchlist": {},
    "crosscheck_follow_ups": {},
    "crosscheck_follow_up_close": {"pk": "follow_up"},
    "verification_list": {},
    "verification_create": {},
    "verification_detail": {"pk": "verification"},
    "verification_record": {"pk": "verification_item"},
    # evaluation
    "evaluation_index": {},
    "evaluation_sheet": {"pk": "evaluation_unit"},
    "target_edit": {"pk": "evaluation_unit"},
    "survey_list": {},
    "survey_create": {},
    "survey_detail": {"pk": "survey"},
    "survey_answer": {"pk": "survey_item"},
    # audit
    "auditor_page": {},
    "integrity_checks": {},
    "audit_trail": {},
}

# A primary key no row has, of the right type, to compare "not yours" with "not there".
MISSING = {"job": "00000000-0000-4000-8000-000000000000"}
MISSING_PK = 987654321


def url_for(route: Route, world, *, missing=False) -> str:
    kwargs = {}
    for param in route.params:
        target = TARGETS[route.name][param]
        if target.startswith("="):
            kwargs[param] = target[1:]
        elif missing:
            kwargs[param] = MISSING.get(target, MISSING_PK)
        else:
            kwargs[param] = getattr(world, target).pk
    return reverse(route.name, kwargs=kwargs)


def is_record_url(route: Route) -> bool:
    return any(not TARGETS[route.name][p].startswith("=") for p in route.params)


def sign_in(client, user):
    """Sign `user` in (None: stay anonymous) for the calls that follow."""
    client.logout()
    if user is not None:
        client.force_login(user)


def call(client, method: str, url: str, **extra):
    """One request as whoever `client` is signed in as, with an empty body for POST.
    Whatever the request writes is rolled back and the client's cookies are put back, so
    every call sees the same world as the same person (even after a logout)."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        if method == "GET":
            response = client.get(url, **extra)
        else:
            response = client.post(url, **extra)
        if response.streaming:
            # Reading a file response to its end closes it (and its file) the way the
            # test client means to; closing it again would close the database connection.
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response
