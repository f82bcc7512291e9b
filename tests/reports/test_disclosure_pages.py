"""The open-books pages: drawing up through the form (bad input re-rendered in Chinese), the
disclosure as members read it, its PDF, the actions, and who sees what (another union's is
a 404)."""

import datetime
import re

import pypdfium2 as pdfium
import pytest
from disclosurekit import disclosure_at
from django.urls import reverse
from reportkit import YEAR

from reports.disclosure_models import Disclosure

pytestmark = pytest.mark.django_db
State = Disclosure.State


def pdf_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    try:
        return re.sub(r"\s+", "", "".join(p.get_textpage().get_text_bounded() for p in pdf))
    finally:
        pdf.close()


@pytest.fixture
def published(org, ledger, finance_c1, committee_c1):
    return disclosure_at(State.PUBLISHED, finance_c1, committee_c1, org.c1, YEAR)


def test_finance_draws_up_through_the_form(client, org, ledger, finance_c1):
    client.force_login(finance_c1)
    response = client.post(
        reverse("disclosure_create"), {"unit": org.c1.pk, "year": YEAR, "period_end": ""}
    )
    disclosure = Disclosure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == disclosure.get_absolute_url()
    assert (disclosure.unit, disclosure.period_end) == (org.c1, datetime.date(YEAR, 12, 31))


def test_bad_input_re_renders_the_form_with_the_reason(client, org, ledger, finance_c1):
    client.force_login(finance_c1)
    response = client.post(
        reverse("disclosure_create"),
        {"unit": org.c1.pk, "year": YEAR, "period_end": f"{YEAR + 1}-01-31"},
    )
    assert response.status_code == 200
    assert "截止日期须在 2025 年之内。" in response.content.decode()
    assert not Disclosure.objects.exists()


def test_the_page_reads_as_members_would_with_no_personal_data(
    client, published, ledger, caseworker_g1a
):
    client.force_login(caseworker_g1a)
    page = client.get(published.get_absolute_url()).content.decode()
    for text in ("第 1 版", "期初余额", "48,500.00", "79,100.00", "7,400.50", "2025年03月临时救助"):
        assert text in page, text
    for household in (ledger.h1, ledger.h2, ledger.h3):
        assert household.worker_name not in page
    # A reader who is not a drafter gets no action buttons.
    assert reverse("disclosure_correct", args=[published.pk]) not in page


def test_the_pdf_carries_the_figures_and_no_names(client, published, ledger, chair_g1a):
    client.force_login(chair_g1a)
    response = client.get(reverse("disclosure_pdf", args=[published.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content))
    for figure in ("第一公司工会·2025年度帮扶资金账务公开", "期末余额", "79,100.00", "30,000.50"):
        assert figure in text, figure
    assert "未公布稿" not in text
    for household in (ledger.h1, ledger.h2, ledger.h3):
        assert household.worker_name not in text


def test_a_draft_pdf_says_it_is_not_published(client, org, ledger, finance_c1):
    draft = disclosure_at(State.DRAFT, finance_c1, None, org.c1, YEAR)
    client.force_login(finance_c1)
    text = pdf_text(
        b"".join(client.get(reverse("disclosure_pdf", args=[draft.pk])).streaming_content)
    )
    assert "未公布稿" in text


def test_the_flow_through_the_pages(client, org, ledger, finance_c1, committee_c1):
    draft = disclosure_at(State.DRAFT, finance_c1, None, org.c1, YEAR)
    client.force_login(finance_c1)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert reverse("disclosure_decide", args=[draft.pk]) not in page  # not the drafter's
    client.post(reverse("disclosure_submit", args=[draft.pk]))
    client.force_login(committee_c1)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert reverse("disclosure_decide", args=[draft.pk]) in page
    client.post(
        reverse("disclosure_decide", args=[draft.pk]),
        {"action": "approve", "expected_state": "submitted", "comment": "同意公开。"},
    )
    client.force_login(finance_c1)
    response = client.post(reverse("disclosure_publish", args=[draft.pk]), follow=True)
    assert "账务公开已公布。" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED


def test_the_drafter_on_the_committee_is_refused_with_the_reason(client, org, ledger):
    from factories import MembershipFactory, UserFactory

    from hardship.models import Role

    both = UserFactory(username="both_c1", full_name="双岗")
    MembershipFactory(user=both, unit=org.c1, role=Role.FINANCE)
    MembershipFactory(user=both, unit=org.c1, role=Role.COMMITTEE)
    submitted = disclosure_at(State.SUBMITTED, both, None, org.c1, YEAR)
    client.force_login(both)
    response = client.post(
        reverse("disclosure_decide", args=[submitted.pk]),
        {"action": "approve", "expected_state": "submitted", "comment": ""},
    )
    assert response.status_code == 403
    assert "不能审定自己编制或提交的账务公开" in response.content.decode()


def test_drafts_stay_with_those_who_follow_the_money(
    client, org, ledger, finance_c1, published, caseworker_g1a, auditor_fed
):
    draft = disclosure_at(State.DRAFT, finance_c1, None, org.c1, YEAR - 1)
    client.force_login(caseworker_g1a)
    listing = client.get(reverse("disclosure_list")).content.decode()
    assert published.get_absolute_url() in listing
    assert draft.get_absolute_url() not in listing
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(auditor_fed)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_another_union_gets_404(client, published, caseworker_g2a, finance_c2):
    for user in (caseworker_g2a, finance_c2):
        client.force_login(user)
        assert client.get(published.get_absolute_url()).status_code == 404
        assert client.get(reverse("disclosure_pdf", args=[published.pk])).status_code == 404
        listing = client.get(reverse("disclosure_list")).content.decode()
        assert published.get_absolute_url() not in listing


def test_a_superseded_version_stays_readable_and_says_so(
    client, published, org, finance_c1, committee_c1
):
    second = disclosure_at(
        State.PUBLISHED, finance_c1, committee_c1, org.c1, YEAR, correction_note="补列一笔。"
    )
    client.force_login(finance_c1)
    old_page = client.get(published.get_absolute_url()).content.decode()
    assert "已被更正版本取代" in old_page
    assert second.get_absolute_url() in old_page  # the version list links the newer one
    new_page = client.get(second.get_absolute_url()).content.decode()
    assert "本版更正第 1 版。更正说明：补列一笔。" in new_page


def test_the_committee_finds_a_submitted_disclosure_in_its_inbox(
    client, org, ledger, finance_c1, committee_c1
):
    submitted = disclosure_at(State.SUBMITTED, finance_c1, None, org.c1, YEAR)
    client.force_login(committee_c1)
    inbox = client.get(reverse("inbox")).content.decode()
    assert "账务公开审定" in inbox
    assert submitted.get_absolute_url() in inbox
    client.force_login(finance_c1)
    assert submitted.get_absolute_url() not in client.get(reverse("inbox")).content.decode()


def test_whoever_submitted_does_not_find_it_in_their_inbox(client, org, ledger, finance_c1):
    from factories import MembershipFactory, UserFactory

    from hardship.models import Role

    both = UserFactory(username="both2_c1", full_name="双岗")
    MembershipFactory(user=both, unit=org.c1, role=Role.FINANCE)
    MembershipFactory(user=both, unit=org.c1, role=Role.COMMITTEE)
    submitted = disclosure_at(State.SUBMITTED, both, None, org.c1, YEAR)
    client.force_login(both)
    assert submitted.get_absolute_url() not in client.get(reverse("inbox")).content.decode()


def test_only_the_published_version_in_force_offers_a_correction(
    client, org, ledger, published, finance_c1, committee_c1
):
    client.force_login(finance_c1)
    assert client.get(reverse("disclosure_correct", args=[published.pk])).status_code == 200
    draft = disclosure_at("draft", finance_c1, committee_c1, org.c1, YEAR + 1)
    assert client.get(reverse("disclosure_correct", args=[draft.pk])).status_code == 404
