"""The authorisation matrix, built from the URL configuration: every named URL × every role
× GET and POST (an empty body), against one `world` of records in C1 / G1a.

The expected answers are written out below, one line per URL and method. A URL the tables
do not know fails the first test, so a new page cannot go unchecked. Whatever the answer,
it is never a 500: the client is told not to raise, and a 500 shows up as a wrong cell.

Empty POSTs from someone who may not make the change are refused (403) before any form is
read; from someone who may, they mostly stop at form validation (200 or 400 with the form
again, or a redirect with an error message); the per-app matrices (tests/*/test_*pages*.py, test_scope.py) send
valid bodies and check what they change. Each request runs in a savepoint that is rolled
back, so an empty POST that does act (a logout, submitting a plan) does not change what
the next request sees.
"""

import pytest
from django.test import override_settings
from django.urls import reverse
from securitykit import (
    ANONYMOUS,
    ROLES,
    TARGETS,
    call,
    is_record_url,
    named_routes,
    sign_in,
    url_for,
)

pytestmark = pytest.mark.django_db

COLUMNS = {
    "cw": "caseworker_g1a",
    "ch": "chair_g1a",
    "rv": "reviewer_c1",
    "cm": "committee_c1",
    "fi": "finance_c1",
    "au": "auditor_fed",
    "ad": "admin_fed",
    "wk": "worker_g1a",  # a worker of G1a with their own file: not the world's household
    "ou": "outsider",
    "g2": "caseworker_g2a",  # the other union: every record of the world is 404
    "an": ANONYMOUS,
}
ALLOWED = {200, 302, 400, 403, 404, 405}

# Read a line as: this URL, this method, answers each column's person with this status.
# 302 for the anonymous is a redirect to the login page (checked separately).
MATRIX = """
url name                 method  cw  ch  rv  cm  fi  au  ad  wk  ou  g2  an
dashboard                GET    200 200 200 200 200 200 200 200 200 200 302
dashboard                POST   200 200 200 200 200 200 200 200 200 200 302
healthz                  GET    200 200 200 200 200 200 200 200 200 200 200
healthz                  POST   200 200 200 200 200 200 200 200 200 200 200
# households: the registry is read in the subtree, edited by caseworker, chair, reviewer
household_list           GET    200 200 200 200 200 200 200 200 200 200 302
household_list           POST   200 200 200 200 200 200 200 200 200 200 302
household_create         GET    200 200 200 403 403 403 403 403 403 200 302
household_create         POST   200 200 200 403 403 403 403 403 403 200 302
review_list              GET    200 200 200 200 200 200 403 403 403 200 302
review_list              POST   200 200 200 200 200 200 403 403 403 200 302
review_create            GET    200 200 200 403 403 403 404 404 404 404 302
review_create            POST   200 200 200 403 403 403 404 404 404 404 302
household_detail         GET    200 200 200 200 200 200 404 404 404 404 302
household_detail         POST   200 200 200 200 200 200 404 404 404 404 302
household_edit           GET    200 200 200 403 403 403 404 404 404 404 302
household_edit           POST   200 200 200 403 403 403 404 404 404 404 302
aid_plan_edit            GET    200 200 200 403 403 403 404 404 404 404 302
aid_plan_edit            POST   200 200 200 403 403 403 404 404 404 404 302
measure_progress         GET    405 405 405 405 405 405 405 405 405 405 302
measure_progress         POST   302 302 302 403 403 403 404 404 404 404 302
household_reveal         GET    405 405 405 405 405 405 405 405 405 405 302
household_reveal         POST   200 200 200 403 403 403 404 404 404 404 302
# a changed bank card: confirmed by the chair or reviewer (nothing pending here: a message)
card_confirm             GET    405 405 405 405 405 405 405 405 405 405 302
card_confirm             POST   403 302 302 403 403 403 404 404 404 404 302
evidence_upload          GET    405 405 405 405 405 405 405 405 405 405 302
evidence_upload          POST   400 400 400 403 403 403 404 404 404 404 302
# the documents themselves: also for the committee, not for finance or audit
evidence_download        GET    200 200 200 200 403 403 404 404 404 404 302
evidence_download        POST   200 200 200 200 403 403 404 404 404 404 302
evidence_delete          GET    405 405 405 405 405 405 405 405 405 405 302
evidence_delete          POST   302 302 302 403 403 403 404 404 404 404 302
# evidence about to expire: for every reader of the registry, in their own scope
evidence_expiring        GET    200 200 200 200 200 200 403 403 403 200 302
evidence_expiring        POST   200 200 200 200 200 200 403 403 403 200 302
# 帮扶责任人 still an imported name: the registry's editors choose the user (an empty
# choice: back with a message)
responsible_unmatched    GET    200 200 200 403 403 403 403 403 403 200 302
responsible_unmatched    POST   200 200 200 403 403 403 403 403 403 200 302
responsible_assign       GET    405 405 405 405 405 405 405 405 405 405 302
responsible_assign       POST   302 302 302 403 403 403 404 404 404 404 302
# cases: who takes part in the decision is asked first (403), then an empty decision is
# refused as a form (400)
application_list         GET    200 200 200 200 200 200 200 200 200 200 302
application_list         POST   200 200 200 200 200 200 200 200 200 200 302
inbox                    GET    200 200 200 200 200 200 200 200 200 200 302
inbox                    POST   200 200 200 200 200 200 200 200 200 200 302
application_create       GET    200 200 200 403 403 403 404 404 404 404 302
application_create       POST   200 200 200 403 403 403 404 404 404 404 302
medical_suggestion       GET    200 200 200 200 200 200 200 200 200 200 302
medical_suggestion       POST   200 200 200 200 200 200 200 200 200 200 302
application_detail       GET    200 200 200 200 200 200 404 404 404 404 302
application_detail       POST   200 200 200 200 200 200 404 404 404 404 302
application_act          GET    405 405 405 405 405 405 405 405 405 405 302
application_act          POST   403 400 400 400 403 403 404 404 404 404 302
# only the filer resubmits a returned application
application_resubmit     GET    200 403 403 403 403 403 404 404 404 404 302
application_resubmit     POST   200 403 403 403 403 403 404 404 404 404 302
investigation_add        GET    405 405 405 405 405 405 405 405 405 405 302
investigation_add        POST   403 403 400 403 403 403 404 404 404 404 302
application_print        GET    200 200 200 200 200 200 404 404 404 404 302
application_print        POST   200 200 200 200 200 200 404 404 404 404 302
household_snapshot       GET    200 200 200 200 200 200 404 404 404 404 302
household_snapshot       POST   200 200 200 200 200 200 404 404 404 404 302
visit_create             GET    200 200 200 403 403 403 404 404 404 404 302
visit_create             POST   200 200 200 403 403 403 404 404 404 404 302
# visit rounds: read by every registry reader (over what they see), started by the chair,
# reviewer or committee; the round of C1 concerns G1a's people, not G2a's
round_list               GET    200 200 200 200 200 200 403 403 403 200 302
round_list               POST   200 200 200 200 200 200 403 403 403 200 302
round_create             GET    403 200 200 200 403 403 403 403 403 403 302
round_create             POST   403 200 200 200 403 403 403 403 403 403 302
round_detail             GET    200 200 200 200 200 200 404 404 404 404 302
round_detail             POST   200 200 200 200 200 200 404 404 404 404 302
# changes reported (情况变更): read by roles that read health; the world's report was made by
# caseworker_g1a, so the chair or the reviewer reviews it; an exit only for an accepted one
change_list              GET    200 200 200 200 403 403 403 200 403 200 302
change_list              POST   200 200 200 200 403 403 403 200 403 200 302
change_create            GET    200 200 200 403 403 403 404 404 404 404 302
change_create            POST   200 200 200 403 403 403 404 404 404 404 302
change_detail            GET    200 200 200 200 403 403 404 404 404 404 302
change_detail            POST   200 200 200 200 403 403 404 404 404 404 302
change_accept            GET    403 200 200 403 403 403 404 404 404 404 302
change_accept            POST   403 200 200 403 403 403 404 404 404 404 302
change_reject            GET    405 405 405 405 405 405 405 405 405 405 302
change_reject            POST   403 400 400 403 403 403 404 404 404 404 302
change_exit_propose      GET    405 405 405 405 405 405 405 405 405 405 302
change_exit_propose      POST   302 302 302 403 403 403 404 404 404 404 302
# casework duties: the task list and my households for the registry's editors (each sees
# their own scope: the other union's caseworker an empty list); notifications are anyone's own
task_list                GET    200 200 200 403 403 403 403 403 403 200 302
task_list                POST   200 200 200 403 403 403 403 403 403 200 302
my_households            GET    200 200 200 403 403 403 403 403 403 200 302
my_households            POST   200 200 200 403 403 403 403 403 403 200 302
notification_list        GET    200 200 200 200 200 200 200 200 200 200 302
notification_list        POST   200 200 200 200 200 200 200 200 200 200 302
notifications_read_all   GET    405 405 405 405 405 405 405 405 405 405 302
notifications_read_all   POST   302 302 302 302 302 302 302 302 302 302 302
# notices go to the whole company, its workers included; administrators do not read cases;
# the auditor objects to nothing. An objection (lodged by caseworker_g1a on an application
# reviewer_c1 verified and committee_c1 signed) is settled by none of them
notice_list              GET    200 200 200 200 200 200 200 200 200 200 302
notice_list              POST   200 200 200 200 200 200 200 200 200 200 302
objection_lodge          GET    405 405 405 405 405 405 405 405 405 405 302
objection_lodge          POST   302 302 302 302 302 403 404 302 404 404 302
objection_resolve        GET    405 405 405 405 405 405 405 405 405 405 302
objection_resolve        POST   403 403 403 403 403 403 404 403 404 404 302
# appeals: lodged by the worker or a caseworker of the union (the world's worker_g1a has
# another file); the open appeal (against chair_g1a's rejection) is decided by a company
# reviewer, reviewer_c1 here, who had no part in it
appeal_list              GET    200 200 200 200 200 200 200 200 200 200 302
appeal_list              POST   200 200 200 200 200 200 200 200 200 200 302
appeal_create            GET    200 403 403 403 403 403 404 404 404 404 302
appeal_create            POST   200 403 403 403 403 403 404 404 404 404 302
appeal_detail            GET    200 200 200 200 200 200 404 404 404 404 302
appeal_detail            POST   200 200 200 200 200 200 404 404 404 404 302
appeal_decide            GET    405 405 405 405 405 405 405 405 405 405 302
appeal_decide            POST   403 403 400 403 403 403 404 404 404 404 302
# funds: read by finance, committee, reviewer and audit (403 for anyone else); the books
# kept by finance
fund_list                GET    403 403 200 200 200 200 403 403 403 403 302
fund_list                POST   403 403 200 200 200 200 403 403 403 403 302
fund_create              GET    403 403 403 403 200 403 403 403 403 403 302
fund_create              POST   403 403 403 403 200 403 403 403 403 403 302
fund_detail              GET    404 404 200 200 200 200 404 404 404 404 302
fund_detail              POST   404 404 200 200 200 200 404 404 404 404 302
receipt_add              GET    405 405 405 405 405 405 405 405 405 405 302
receipt_add              POST   404 404 403 403 302 403 404 404 404 404 302
# year-end closing: finance of the fund's unit only (the world's fund is of last year)
fund_close_year          GET    404 404 403 403 200 403 404 404 404 404 302
fund_close_year          POST   404 404 403 403 200 403 404 404 404 404 302
entry_reverse            GET    404 404 403 403 200 403 404 404 404 404 302
entry_reverse            POST   404 404 403 403 200 403 404 404 404 404 302
payment_create           GET    403 403 403 403 200 403 404 404 404 404 302
payment_create           POST   403 403 403 403 200 403 404 404 404 404 302
plan_list                GET    403 403 200 200 200 200 403 403 403 403 302
plan_list                POST   403 403 200 200 200 200 403 403 403 403 302
plan_create              GET    403 403 200 403 200 403 403 403 403 403 302
plan_create              POST   403 403 200 403 200 403 403 403 403 403 302
plan_detail              GET    404 404 200 200 200 200 404 404 404 404 302
plan_detail              POST   404 404 200 200 200 200 404 404 404 404 302
# a plan is edited and submitted by whoever drew it up (finance_c1), posted by finance
plan_edit                GET    404 404 403 403 200 403 404 404 404 404 302
plan_edit                POST   404 404 403 403 200 403 404 404 404 404 302
plan_submit              GET    405 405 405 405 405 405 405 405 405 405 302
plan_submit              POST   404 404 403 403 302 403 404 404 404 404 302
plan_act                 GET    405 405 405 405 405 405 405 405 405 405 302
plan_act                 POST   404 404 403 302 403 403 404 404 404 404 302
plan_post                GET    405 405 405 405 405 405 405 405 405 405 302
plan_post                POST   404 404 403 403 302 403 404 404 404 404 302
# campaigns: the drafter adjusts a draft's list; a reviewer with no part in the plan
# settles an objection; the list's notice goes to the company's workforce (as an
# application's), and anyone it reaches but the auditor may object
plan_adjust              GET    405 405 405 405 405 405 405 405 405 405 302
plan_adjust              POST   404 404 403 403 302 403 404 404 404 404 302
plan_adjustment_undo     GET    405 405 405 405 405 405 405 405 405 405 302
plan_adjustment_undo     POST   404 404 403 403 302 403 404 404 404 404 302
plan_objection_resolve   GET    405 405 405 405 405 405 405 405 405 405 302
plan_objection_resolve   POST   404 404 302 403 403 403 404 404 404 404 302
plan_notice_list         GET    200 200 200 200 200 200 200 200 200 200 302
plan_notice_list         POST   200 200 200 200 200 200 200 200 200 200 302
plan_notice_detail       GET    200 200 200 200 200 200 404 200 404 404 302
plan_notice_detail       POST   200 200 200 200 200 200 404 200 404 404 302
plan_objection_lodge     GET    405 405 405 405 405 405 405 405 405 405 302
plan_objection_lodge     POST   302 302 302 302 302 403 404 302 404 404 302
# intake (the front door): read by the registry's readers, recorded and handled by
# caseworker, chair and reviewer over the contact's unit; the worker writes online
intake_register          GET    200 200 200 200 200 200 403 403 403 200 302
intake_register          POST   200 200 200 200 200 200 403 403 403 200 302
intake_mine              GET    200 200 200 200 200 200 403 403 403 200 302
intake_mine              POST   200 200 200 200 200 200 403 403 403 200 302
intake_overdue           GET    200 200 200 200 200 200 403 403 403 200 302
intake_overdue           POST   200 200 200 200 200 200 403 403 403 200 302
intake_create            GET    200 200 200 403 403 403 403 403 403 200 302
intake_create            POST   200 200 200 403 403 403 403 403 403 200 302
online_contact           GET    403 403 403 403 403 403 403 200 403 403 302
online_contact           POST   403 403 403 403 403 403 403 200 403 403 302
intake_detail            GET    200 200 200 200 200 200 404 404 404 404 302
intake_detail            POST   200 200 200 200 200 200 404 404 404 404 302
intake_reveal            GET    405 405 405 405 405 405 405 405 405 405 302
intake_reveal            POST   200 200 200 403 403 403 404 404 404 404 302
intake_act               GET    405 405 405 405 405 405 405 405 405 405 302
intake_act               POST   302 302 302 403 403 403 404 404 404 404 302
intake_close             GET    405 405 405 405 405 405 405 405 405 405 302
intake_close             POST   302 302 302 403 403 403 404 404 404 404 302
intake_follow_up         GET    405 405 405 405 405 405 405 405 405 405 302
intake_follow_up         POST   302 302 302 403 403 403 404 404 404 404 302
# the world's contact is matched to the household: a file exists, an application may follow
intake_household         GET    302 302 302 403 403 403 404 404 404 404 302
intake_household         POST   302 302 302 403 403 403 404 404 404 404 302
intake_application       GET    200 200 200 403 403 403 404 404 404 404 302
intake_application       POST   200 200 200 403 403 403 404 404 404 404 302
intake_attachment        GET    200 200 200 403 403 403 404 404 404 404 302
intake_attachment        POST   200 200 200 403 403 403 404 404 404 404 302
legal_aid_list           GET    200 200 200 200 200 200 403 403 403 200 302
legal_aid_list           POST   200 200 200 200 200 200 403 403 403 200 302
legal_aid_create         GET    200 200 200 403 403 403 403 403 403 200 302
legal_aid_create         POST   200 200 200 403 403 403 403 403 403 200 302
legal_aid_providers      GET    200 200 200 200 200 200 403 403 403 200 302
legal_aid_providers      POST   200 200 200 403 403 403 403 403 403 200 302
legal_aid_detail         GET    200 200 200 200 200 200 404 404 404 404 302
legal_aid_detail         POST   200 200 200 200 200 200 404 404 404 404 302
legal_aid_refer          GET    405 405 405 405 405 405 405 405 405 405 302
legal_aid_refer          POST   302 302 302 403 403 403 404 404 404 404 302
legal_aid_conclude       GET    405 405 405 405 405 405 405 405 405 405 302
legal_aid_conclude       POST   302 302 302 403 403 403 404 404 404 404 302
legal_aid_reveal         GET    405 405 405 405 405 405 405 405 405 405 302
legal_aid_reveal         POST   200 200 200 403 403 403 404 404 404 404 302
intake_statistics        GET    200 200 200 200 200 200 403 403 403 200 302
intake_statistics        POST   200 200 200 200 200 200 403 403 403 200 302
# bank batches (银行代发): read like funds, made, sent and settled by finance of the fund; the
# return import and the signed roster need a file (an empty POST is a 400 form error)
bank_batch_list          GET    403 403 200 200 200 200 403 403 403 403 302
bank_batch_list          POST   403 403 200 200 200 200 403 403 403 403 302
bank_batch_create        GET    403 403 403 403 200 403 403 403 403 403 302
bank_batch_create        POST   403 403 403 403 200 403 403 403 403 403 302
bank_batch_detail        GET    404 404 200 200 200 200 404 404 404 404 302
bank_batch_detail        POST   404 404 200 200 200 200 404 404 404 404 302
bank_batch_sent          GET    405 405 405 405 405 405 405 405 405 405 302
bank_batch_sent          POST   404 404 403 403 302 403 404 404 404 404 302
bank_return_import       GET    405 405 405 405 405 405 405 405 405 405 302
bank_return_import       POST   404 404 403 403 400 403 404 404 404 404 302
bank_voucher_upload      GET    405 405 405 405 405 405 405 405 405 405 302
bank_voucher_upload      POST   404 404 403 403 400 403 404 404 404 404 302
bank_voucher_download    GET    404 404 200 200 200 200 404 404 404 404 302
bank_voucher_download    POST   404 404 200 200 200 200 404 404 404 404 302
# the list of cards the bank returned: for those who fix cards, each in their own scope
bank_cards_to_fix        GET    200 200 200 403 403 403 403 403 403 200 302
bank_cards_to_fix        POST   200 200 200 403 403 403 403 403 403 200 302
# loans: the portfolio for every union role; applied for by the file's editors, decided by
# the three levels (an empty decision is a message), lent and repaid by finance; a deferral
# or write-off proposed by the editors or finance and decided by the committee alone
loan_list                GET    200 200 200 200 200 200 403 403 403 200 302
loan_list                POST   200 200 200 200 200 200 403 403 403 200 302
loan_overdue             GET    200 200 200 200 200 200 403 403 403 200 302
loan_overdue             POST   200 200 200 200 200 200 403 403 403 200 302
loan_apply               GET    200 200 200 403 403 403 404 404 404 404 302
loan_apply               POST   200 200 200 403 403 403 404 404 404 404 302
loan_detail              GET    200 200 200 200 200 200 404 404 404 404 302
loan_detail              POST   200 200 200 200 200 200 404 404 404 404 302
loan_act                 GET    405 405 405 405 405 405 405 405 405 405 302
loan_act                 POST   403 302 302 302 403 403 404 404 404 404 302
loan_disburse            GET    403 403 403 403 200 403 404 404 404 404 302
loan_disburse            POST   403 403 403 403 200 403 404 404 404 404 302
loan_repay               GET    403 403 403 403 200 403 404 404 404 404 302
loan_repay               POST   403 403 403 403 200 403 404 404 404 404 302
loan_repayment_reverse   GET    403 403 403 403 200 403 404 404 404 404 302
loan_repayment_reverse   POST   403 403 403 403 200 403 404 404 404 404 302
loan_motion_create       GET    200 200 200 403 200 403 404 404 404 404 302
loan_motion_create       POST   200 200 200 403 200 403 404 404 404 404 302
loan_motion_act          GET    405 405 405 405 405 405 405 405 405 405 302
loan_motion_act          POST   403 403 403 302 403 403 404 404 404 404 302
# employment: read by the registry's readers, done by caseworker, chair and reviewer (the
# register of G1a, the household's member); an empty enrolment is refused with a message,
# an empty confirmation confirms the placement
employment_index         GET    200 200 200 200 200 200 403 403 403 200 302
employment_index         POST   200 200 200 200 200 200 403 403 403 200 302
partner_create           GET    200 200 200 403 403 403 403 403 403 200 302
partner_create           POST   200 200 200 403 403 403 403 403 403 200 302
vacancy_create           GET    200 200 200 403 403 403 403 403 403 200 302
vacancy_create           POST   200 200 200 403 403 403 403 403 403 200 302
employment_match         GET    200 200 200 200 200 200 403 403 403 200 302
employment_match         POST   200 200 200 200 200 200 403 403 403 200 302
course_create            GET    200 200 200 403 403 403 403 403 403 200 302
course_create            POST   200 200 200 403 403 403 403 403 403 200 302
course_detail            GET    200 200 200 200 200 200 404 404 404 404 302
course_detail            POST   200 200 200 200 200 200 404 404 404 404 302
employment_household     GET    200 200 200 200 200 200 404 404 404 404 302
employment_household     POST   200 200 200 200 200 200 404 404 404 404 302
enrolment_create         GET    405 405 405 405 405 405 405 405 405 405 302
enrolment_create         POST   302 302 302 403 403 403 404 404 404 404 302
referral_create          GET    200 200 200 403 403 403 404 404 404 404 302
referral_create          POST   200 200 200 403 403 403 404 404 404 404 302
enrolment_result         GET    200 200 200 403 403 403 404 404 404 404 302
enrolment_result         POST   200 200 200 403 403 403 404 404 404 404 302
certificate_download     GET    200 200 200 200 200 200 404 404 404 404 302
certificate_download     POST   200 200 200 200 200 200 404 404 404 404 302
referral_result          GET    200 200 200 403 403 403 404 404 404 404 302
referral_result          POST   200 200 200 403 403 403 404 404 404 404 302
placement_confirm        GET    200 200 200 403 403 403 404 404 404 404 302
placement_confirm        POST   302 302 302 403 403 403 404 404 404 404 302
# reports
annual_report            GET    403 403 200 200 200 200 403 403 403 403 302
annual_report            POST   403 403 200 200 200 200 403 403 403 403 302
annual_report_xlsx       GET    403 403 200 200 200 200 403 403 403 403 302
annual_report_xlsx       POST   403 403 200 200 200 200 403 403 403 403 302
annual_report_pdf        GET    403 403 200 200 200 200 403 403 403 403 302
annual_report_pdf        POST   403 403 200 200 200 200 403 403 403 403 302
roster_xlsx              GET    200 200 200 200 200 200 403 403 403 200 302
roster_xlsx              POST   200 200 200 200 200 200 403 403 403 200 302
notice_pdf               GET    200 200 200 200 200 200 200 200 200 200 302
notice_pdf               POST   200 200 200 200 200 200 200 200 200 200 302
application_pdf          GET    200 200 200 200 200 200 404 404 404 404 302
application_pdf          POST   200 200 200 200 200 200 404 404 404 404 302
statistics               GET    200 200 200 200 200 200 403 403 403 200 302
statistics               POST   200 200 200 200 200 200 403 403 403 200 302
# the bank's file (full card numbers) for finance of the fund; the signed roster for readers
bank_batch_file          GET    404 404 403 403 200 403 404 404 404 404 302
bank_batch_file          POST   404 404 403 403 200 403 404 404 404 404 302
bank_roster_pdf          GET    404 404 200 200 200 200 404 404 404 404 302
bank_roster_pdf          POST   404 404 200 200 200 200 404 404 404 404 302
bank_roster_xlsx         GET    404 404 200 200 200 200 404 404 404 404 302
bank_roster_xlsx         POST   404 404 200 200 200 200 404 404 404 404 302
plan_roster_pdf          GET    404 404 200 200 200 200 404 404 404 404 302
plan_roster_pdf          POST   404 404 200 200 200 200 404 404 404 404 302
plan_roster_xlsx         GET    404 404 200 200 200 200 404 404 404 404 302
plan_roster_xlsx         POST   404 404 200 200 200 200 404 404 404 404 302
# open books (账务公开): drafts are read by those who follow the money in the subtree, a
# published one by every staff user of the unit, above it or below it (G1a's published
# disclosure for the caseworker of G1a); finance and the reviewer draw up and publish, the
# committee decides
disclosure_list          GET    200 200 200 200 200 200 403 403 403 200 302
disclosure_list          POST   200 200 200 200 200 200 403 403 403 200 302
disclosure_create        GET    403 403 200 403 200 403 403 403 403 403 302
disclosure_create        POST   403 403 200 403 200 403 403 403 403 403 302
disclosure_detail        GET    404 404 200 200 200 200 404 404 404 404 302
disclosure_detail        POST   404 404 200 200 200 200 404 404 404 404 302
disclosure_pdf           GET    200 200 200 200 200 200 404 404 404 404 302
disclosure_pdf           POST   200 200 200 200 200 200 404 404 404 404 302
disclosure_correct       GET    403 403 200 403 200 403 404 404 404 404 302
disclosure_correct       POST   403 403 200 403 200 403 404 404 404 404 302
disclosure_recompute     GET    405 405 405 405 405 405 405 405 405 405 302
disclosure_recompute     POST   404 404 302 403 302 403 404 404 404 404 302
disclosure_submit        GET    405 405 405 405 405 405 405 405 405 405 302
disclosure_submit        POST   404 404 302 403 302 403 404 404 404 404 302
disclosure_decide        GET    405 405 405 405 405 405 405 405 405 405 302
disclosure_decide        POST   404 404 403 302 403 403 404 404 404 404 302
disclosure_publish       GET    405 405 405 405 405 405 405 405 405 405 302
disclosure_publish       POST   404 404 302 403 302 403 404 404 404 404 302
# an export job is seen only by whoever asked for it (auditor_fed)
job_detail               GET    404 404 404 404 404 200 404 404 404 404 302
job_detail               POST   404 404 404 404 404 200 404 404 404 404 302
job_download             GET    404 404 404 404 404 200 404 404 404 404 302
job_download             POST   404 404 404 404 404 200 404 404 404 404 302
# roster import: for those who may file households; nothing uploaded yet
roster_import            GET    200 200 200 403 403 403 403 403 403 200 302
roster_import            POST   200 200 200 403 403 403 403 403 403 200 302
roster_import_template   GET    200 200 200 403 403 403 403 403 403 200 302
roster_import_template   POST   405 405 405 405 405 405 405 405 405 405 302
roster_import_errors     GET    302 302 302 403 403 403 403 403 403 302 302
roster_import_errors     POST   405 405 405 405 405 405 405 405 405 405 302
roster_import_commit     GET    405 405 405 405 405 405 405 405 405 405 302
roster_import_commit     POST   302 302 302 403 403 403 403 403 403 302 302
# crosscheck: outside lists and match reports for editors and auditors, imported by the
# reviewer (the world's list is of C1, so the grassroots staff do not see it); lines,
# duplicates and follow-ups acted on by editors; fraud marked by chair and reviewer
crosscheck_lists         GET    200 200 200 403 403 200 403 403 403 200 302
crosscheck_lists         POST   405 405 405 405 405 405 405 405 405 405 302
crosscheck_import        GET    403 403 200 403 403 403 403 403 403 403 302
crosscheck_import        POST   403 403 400 403 403 403 403 403 403 403 302
crosscheck_list_detail   GET    404 404 200 404 404 200 404 404 404 404 302
crosscheck_list_detail   POST   405 405 405 405 405 405 405 405 405 405 302
crosscheck_line_act      GET    405 405 405 405 405 405 405 405 405 405 302
crosscheck_line_act      POST   404 404 302 404 404 403 404 404 404 404 302
crosscheck_duplicates    GET    200 200 200 403 403 200 403 403 403 200 302
crosscheck_duplicates    POST   405 405 405 405 405 405 405 405 405 405 302
crosscheck_duplicate_decide GET 405 405 405 405 405 405 405 405 405 405 302
crosscheck_duplicate_decide POST 302 302 302 404 404 403 404 404 404 404 302
crosscheck_watchlist     GET    200 200 200 403 403 200 403 403 403 200 302
crosscheck_watchlist     POST   403 400 400 403 403 403 403 403 403 403 302
crosscheck_follow_ups    GET    200 200 200 403 200 200 403 403 403 200 302
crosscheck_follow_ups    POST   405 405 405 405 405 405 405 405 405 405 302
crosscheck_follow_up_close GET  405 405 405 405 405 405 405 405 405 405 302
crosscheck_follow_up_close POST 302 302 302 404 403 403 404 404 404 404 302
# payment verification: finance and the auditors draw samples and record answers (the
# auditor's audit work: the one exception to read-only, AUDIT_WORK below)
verification_list        GET    403 403 403 403 200 200 403 403 403 403 302
verification_list        POST   405 405 405 405 405 405 405 405 405 405 302
verification_create      GET    403 403 403 403 200 200 403 403 403 403 302
verification_create      POST   403 403 403 403 400 400 403 403 403 403 302
verification_detail      GET    404 404 404 404 200 200 404 404 404 404 302
verification_detail      POST   405 405 405 405 405 405 405 405 405 405 302
verification_record      GET    405 405 405 405 405 405 405 405 405 405 302
verification_record      POST   404 404 404 404 302 302 404 404 404 404 302
# results (绩效评价): every registry reader reads the sheets of units they cover and the
# surveys of their tree; leaders set targets, the reviewer draws, caseworkers and chairs
# record answers
evaluation_index         GET    200 200 200 200 200 200 403 403 403 200 302
evaluation_index         POST   405 405 405 405 405 405 405 405 405 405 302
evaluation_sheet         GET    404 404 200 200 200 200 404 404 404 404 302
evaluation_sheet         POST   405 405 405 405 405 405 405 405 405 405 302
target_edit              GET    404 404 200 200 403 403 404 404 404 404 302
target_edit              POST   404 404 400 400 403 403 404 404 404 404 302
survey_list              GET    200 200 200 200 200 200 403 403 403 200 302
survey_list              POST   405 405 405 405 405 405 405 405 405 405 302
survey_create            GET    403 403 200 403 403 403 403 403 403 403 302
survey_create            POST   403 403 400 403 403 403 403 403 403 403 302
survey_detail            GET    200 200 200 200 200 200 404 404 404 404 302
survey_detail            POST   405 405 405 405 405 405 405 405 405 405 302
survey_answer            GET    405 405 405 405 405 405 405 405 405 405 302
survey_answer            POST   302 302 403 403 403 403 404 404 404 404 302
# audit
auditor_page             GET    403 403 403 403 403 200 403 403 403 403 302
auditor_page             POST   403 403 403 403 403 200 403 403 403 403 302
integrity_checks         GET    403 403 200 403 403 200 403 403 403 403 302
integrity_checks         POST   403 403 200 403 403 200 403 403 403 403 302
audit_trail              GET    403 403 403 403 403 200 403 403 403 403 302
audit_trail              POST   403 403 403 403 403 200 403 403 403 403 302
# accounts: the login page answers everyone; logging out is a POST
login                    GET    200 200 200 200 200 200 200 200 200 200 200
login                    POST   200 200 200 200 200 200 200 200 200 200 200
logout                   GET    405 405 405 405 405 405 405 405 405 405 405
logout                   POST   302 302 302 302 302 302 302 302 302 302 302
password_change          GET    200 200 200 200 200 200 200 200 200 200 302
password_change          POST   200 200 200 200 200 200 200 200 200 200 302
password_change_done     GET    200 200 200 200 200 200 200 200 200 200 302
password_change_done     POST   405 405 405 405 405 405 405 405 405 405 302
twofactor_status         GET    200 200 200 200 200 200 200 200 200 200 302
twofactor_status         POST   200 200 200 200 200 200 200 200 200 200 302
twofactor_setup          GET    200 200 200 200 200 200 200 200 200 200 302
twofactor_setup          POST   200 200 200 200 200 200 200 200 200 200 302
twofactor_verify         GET    200 200 200 200 200 200 200 200 200 200 302
twofactor_verify         POST   200 200 200 200 200 200 200 200 200 200 302
twofactor_recovery_codes GET    405 405 405 405 405 405 405 405 405 405 302
twofactor_recovery_codes POST   302 302 302 302 302 302 302 302 302 302 302
twofactor_disable        GET    405 405 405 405 405 405 405 405 405 405 302
twofactor_disable        POST   302 302 302 302 302 302 302 302 302 302 302
"""

# Pages the anonymous may reach: the health probe and the login page (and logging out,
# which only ever sends them back to the login page; a GET of it is refused).
PUBLIC = {"healthz", "login", "logout"}


def parse(table: str) -> dict[tuple[str, str], dict[str, int]]:
    lines = [line for line in table.strip().splitlines() if line and not line.startswith("#")]
    header, rows = lines[0].split(), lines[1:]
    columns = header[header.index("method") + 1 :]
    expected = {}
    for line in rows:
        name, method, *codes = line.split()
        assert len(codes) == len(columns), line
        assert (name, method) not in expected, f"{name} {method} is listed twice"
        expected[name, method] = {
            COLUMNS[column]: int(code) for column, code in zip(columns, codes, strict=True)
        }
    return expected


EXPECTED = parse(MATRIX)
ROUTES = named_routes()
EVERYONE = [*ROLES, ANONYMOUS]


def login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_every_named_url_is_in_the_tables():
    """A URL added to (or removed from) the URLconf must be added to (or removed from)
    TARGETS and MATRIX, with its parameters mapped and its answers written down."""
    walked = {route.name for route in ROUTES}
    assert walked - set(TARGETS) == set(), "new URL names: add them to securitykit.TARGETS"
    assert set(TARGETS) - walked == set(), "stale names in securitykit.TARGETS"
    listed = {name for name, _method in EXPECTED}
    assert walked - listed == set(), "new URL names: add their answers to MATRIX"
    assert listed - walked == set(), "stale names in MATRIX"
    assert set(EXPECTED) == {(r.name, m) for r in ROUTES for m in ("GET", "POST")}
    for route in ROUTES:
        assert set(route.params) == set(TARGETS[route.name]), route
    assert len(ROUTES) >= 60  # the walk went through every include()


def test_the_table_itself_keeps_the_rules():
    """The written answers keep the rules: known classes only, a login redirect for the
    anonymous outside PUBLIC, and only 404 (or 405, the same for any key) for the other
    union's user on a record URL."""
    records = {route.name for route in ROUTES if is_record_url(route)}
    for (name, method), answers in EXPECTED.items():
        assert set(answers.values()) <= ALLOWED, (name, method)
        if name not in PUBLIC:
            assert answers[ANONYMOUS] == 302, (name, method)
        if name in records:
            assert answers["caseworker_g2a"] in (404, 405), (name, method)


@pytest.mark.parametrize("role", EVERYONE)
def test_every_url_answers_each_role_as_written(client, world, role):
    client.raise_request_exception = False  # a server error must show as a 500 cell
    sign_in(client, world.users.get(role))
    wrong, server_errors = [], []
    for route in ROUTES:
        url = url_for(route, world)
        for method in ("GET", "POST"):
            response = call(client, method, url)
            status = response.status_code
            expected = EXPECTED[route.name, method][role]
            if status >= 500:
                server_errors.append(f"{method} {url} ({route.name}): {status}")
            if status != expected:
                wrong.append(f"{route.name:26} {method:4} expected {expected}, got {status}")
            if role == ANONYMOUS and status == 302 and route.name not in PUBLIC:
                assert login_redirect(response), (route.name, method, response["Location"])
    assert server_errors == []
    assert wrong == [], f"{role}:\n" + "\n".join(wrong)


def test_the_other_union_cannot_tell_a_record_from_a_missing_one(client, world):
    """For caseworker_g2a every record of G1a answers exactly as a key that exists nowhere:
    404 (or 405 for a method the URL never takes), never 200 or 403."""
    client.raise_request_exception = False
    sign_in(client, world.users["caseworker_g2a"])
    checked = 0
    for route in ROUTES:
        if not is_record_url(route):
            continue
        for method in ("GET", "POST"):
            real = call(client, method, url_for(route, world)).status_code
            missing = call(client, method, url_for(route, world, missing=True)).status_code
            assert real in (404, 405), (route.name, method, real)
            assert real == missing, (route.name, method, real, missing)
            checked += 1
    assert checked >= 2 * 30


@override_settings(REQUIRE_2FA=True)
@pytest.mark.parametrize("role", ["finance_c1", "committee_c1", "admin_fed"])
def test_a_required_second_factor_gates_every_page(client, world, role):
    """Until they set up an authenticator, the roles that must use one reach nothing but
    the second-factor pages, logging out, the health probe and the login page."""
    client.raise_request_exception = False
    sign_in(client, world.users[role])
    open_pages = {"healthz", "login", "logout"} | {
        r.name for r in ROUTES if r.name.startswith("twofactor_")
    }
    for route in ROUTES:
        if route.name in open_pages:
            continue
        response = call(client, "GET", url_for(route, world))
        assert response.status_code == 302, (route.name, response.status_code)
        assert response["Location"] == reverse("twofactor_setup"), route.name


# --- the auditor reads everything and changes nothing ------------------------------------------

# Every URL whose POST changes something (audit/ has none: its pages only read). The auditor
# of the federation sees the whole world, so each answers 403, never 404.
WRITE_URLS = [
    "household_create",
    "household_edit",
    "aid_plan_edit",
    "measure_progress",
    "household_reveal",
    "evidence_upload",
    "evidence_delete",
    "responsible_assign",
    "card_confirm",
    "review_create",
    "card_confirm",
    "application_create",
    "application_act",
    "application_resubmit",
    "investigation_add",
    "visit_create",
    "round_create",
    "change_create",
    "change_accept",
    "change_reject",
    "change_exit_propose",
    "objection_lodge",
    "objection_resolve",
    "appeal_create",
    "appeal_decide",
    "fund_create",
    "receipt_add",
    "fund_close_year",
    "entry_reverse",
    "fund_close_year",
    "payment_create",
    "plan_create",
    "plan_edit",
    "plan_submit",
    "plan_act",
    "plan_post",
    "plan_adjust",
    "plan_adjustment_undo",
    "plan_objection_resolve",
    "plan_objection_lodge",
    "bank_batch_create",
    "bank_batch_sent",
    "bank_return_import",
    "bank_voucher_upload",
    "loan_apply",
    "loan_act",
    "loan_disburse",
    "loan_repay",
    "loan_repayment_reverse",
    "loan_motion_create",
    "loan_motion_act",
    "roster_import",
    "roster_import_commit",
    "intake_create",
    "online_contact",
    "intake_reveal",
    "intake_act",
    "intake_close",
    "intake_follow_up",
    "intake_household",
    "intake_application",
    "legal_aid_create",
    "legal_aid_providers",
    "legal_aid_refer",
    "legal_aid_conclude",
    "legal_aid_reveal",
    "partner_create",
    "vacancy_create",
    "course_create",
    "enrolment_create",
    "referral_create",
    "enrolment_result",
    "referral_result",
    "placement_confirm",
    "crosscheck_import",
    "crosscheck_line_act",
    "crosscheck_duplicate_decide",
    "crosscheck_watchlist",
    "crosscheck_follow_up_close",
    "disclosure_create",
    "disclosure_correct",
    "disclosure_recompute",
    "disclosure_submit",
    "disclosure_decide",
    "disclosure_publish",
    "target_edit",
    "survey_create",
    "survey_answer",
]
# Writes that are the auditor's own audit work (docs/roles.md): drawing a payment
# verification sample and recording a household's answer. The auditor may make them; they
# change nothing in the files, the ledger or the chain (tests/crosscheck).
AUDIT_WORK = {"verification_create", "verification_record"}
# Bodies a crafted request might send: nothing, and fields that fail every form.
INVALID_BODIES = {
    "empty": {},
    "invalid": {
        "action": "approve",
        "expected_state": "submitted",
        "outcome": "reject",
        "reason": "",
        "resolution": "",
        "amount": "１２abc",
        "kind": "nonsense",
        "file": "",
        "name": "x" * 500,
    },
}


def test_every_write_url_is_in_the_auditor_list():
    """The list above covers every URL whose POST the matrix expects to act for someone."""
    acting = {
        name
        for (name, method), answers in EXPECTED.items()
        if method == "POST" and 403 in answers.values() and name in TARGETS
    }
    reads = {
        # pages that refuse some roles but write nothing
        "review_list",
        "round_list",
        "task_list",
        "my_households",
        "evidence_download",
        "evidence_expiring",
        "responsible_unmatched",
        "annual_report",
        "annual_report_xlsx",
        "annual_report_pdf",
        "roster_xlsx",
        "statistics",
        "roster_import_template",
        "roster_import_errors",
        "auditor_page",
        "integrity_checks",
        "audit_trail",
        "fund_list",
        "plan_list",
        "intake_register",
        "intake_mine",
        "intake_overdue",
        "intake_attachment",
        "legal_aid_list",
        "intake_statistics",
        "bank_batch_list",
        "bank_cards_to_fix",
        "bank_batch_file",
        "loan_list",
        "loan_overdue",
        "employment_index",
        "employment_match",
        "change_list",
        "change_detail",
        "disclosure_list",
    }
    assert acting - reads - set(WRITE_URLS) - AUDIT_WORK == set()
    assert AUDIT_WORK.isdisjoint(WRITE_URLS)
    for name in AUDIT_WORK:
        assert EXPECTED[name, "POST"]["auditor_fed"] in (200, 302, 400), name


@pytest.mark.parametrize("body", INVALID_BODIES, ids=list(INVALID_BODIES))
@pytest.mark.parametrize("name", WRITE_URLS)
def test_auditor_is_refused_before_any_form_is_read(client, world, name, body):
    """A crafted POST from the auditor, however invalid, answers 403 (not a form error or
    a 400), and nothing is written."""
    from cases.models import Decision, Investigation, Objection
    from casework.models import Visit
    from employment.models import Course, Enrolment, Partner, Placement, Referral, Vacancy
    from funds.models import LedgerEntry
    from households.models import Evidence, Household, RevealLog
    from intake.models import Contact, ContactAction, IntakeRevealLog, LegalAidCase

    client.raise_request_exception = False
    sign_in(client, world.users["auditor_fed"])
    route = next(r for r in ROUTES if r.name == name)
    tables = [Decision, Investigation, Objection, Visit, LedgerEntry, Evidence, RevealLog]
    tables += [Household, Contact, ContactAction, IntakeRevealLog, LegalAidCase]
    tables += [Partner, Vacancy, Course, Enrolment, Referral, Placement]
    before = [model.objects.count() for model in tables]
    response = client.post(url_for(route, world), INVALID_BODIES[body])
    assert response.status_code == 403, (name, response.status_code)
    assert [model.objects.count() for model in tables] == before


def test_the_objection_is_settled_only_by_a_reviewer_with_no_part_in_it(client, world):
    """The matrix's objection (lodged by caseworker_g1a, on an application filed by them,
    verified by reviewer_c1 and signed by committee_c1) is refused to each of them, with
    the reason, and resolved by a second reviewer of C1."""
    from factories import MembershipFactory, UserFactory

    from cases.models import Objection
    from hardship.models import Role

    url = reverse("objection_resolve", args=[world.objection.pk])
    body = {"outcome": "verify", "resolution": "经核实属实。"}
    for role, reason in [
        ("caseworker_g1a", "只有该户所在公司工会的复核人员"),
        ("reviewer_c1", "办理过该申请的前面环节"),
        ("committee_c1", "只有该户所在公司工会的复核人员"),
        ("auditor_fed", "只有该户所在公司工会的复核人员"),
    ]:
        sign_in(client, world.users[role])
        response = client.post(url, body)
        assert response.status_code == 403, role
        assert reason in response.content.decode(), role
    other = UserFactory(username="reviewer2_c1", full_name="卫复核")
    MembershipFactory(user=other, unit=world.org.c1, role=Role.COMPANY_REVIEWER)
    sign_in(client, other)
    assert client.post(url, body).status_code == 302
    world.objection.refresh_from_db()
    assert (world.objection.status, world.objection.resolved_by) == (Objection.Status.UPHELD, other)
