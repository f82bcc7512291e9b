"""The contact's life through its pages: recorded, handled, closed with the caller told,
called back; turned into a draft file and an application; masked, escaped, checked."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from factories import make_id_number
from formdata import PDF_BYTES, household_data
from intakekit import record

from cases.models import Application
from households.models import Household
from intake.models import Contact, IntakeRevealLog

pytestmark = pytest.mark.django_db


def form_body(org, **fields):
    body = {
        "channel": "walk_in",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "topic": "help",
        "caller_name": "马桂兰",
        "id_number": "",
        "phone": "13904510021",
        "address": "",
        "worker_unit": str(org.g1a.pk),
        "about_unit": "",
        "referred_by": "",
        "summary": "爱人住院，医药费负担重。",
    }
    body.update(fields)
    return body


def test_reception_records_a_walk_in_and_it_is_routed(client, org, caseworker_g1a, chair_g1a):
    client.force_login(chair_g1a)
    response = client.post(reverse("intake_create"), form_body(org))
    contact = Contact.objects.get()
    assert response.status_code == 302 and response["Location"] == contact.get_absolute_url()
    assert (contact.handler, contact.recorded_by, contact.status) == (
        caseworker_g1a,
        chair_g1a,
        Contact.Status.OPEN,
    )
    assert contact.history.get().history_user == chair_g1a
    client.force_login(caseworker_g1a)
    mine = client.get(reverse("intake_mine")).content.decode()
    assert contact.number in mine


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"phone": "", "id_number": "", "address": ""},
            "请至少填写身份证号、联系电话或通讯地址之一",
        ),
        ({"id_number": "230103197503140012"}, "身份证号校验位错误"),
        ({"phone": "电话abc"}, "联系电话只能包含数字"),
        ({"summary": ""}, "这个字段是必填项"),
        ({"caller_name": ""}, "请填写来访人姓名"),
        ({"topic": "complaint"}, "投诉须选择被投诉的单位"),
        ({"channel": "referral"}, "请填写转来单位"),
        (
            {
                "received_at": (timezone.localtime() + datetime.timedelta(days=2)).strftime(
                    "%Y-%m-%dT%H:%M"
                )
            },
            "来访时间不能晚于现在",
        ),
    ],
)
def test_bad_input_is_named_in_chinese_and_nothing_is_saved(
    client, org, caseworker_g1a, fields, message
):
    client.force_login(caseworker_g1a)
    response = client.post(reverse("intake_create"), form_body(org, **fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contact.objects.exists()


def test_a_scanned_letter_is_checked_by_its_content(client, org, caseworker_g1a):
    client.force_login(caseworker_g1a)
    fake = SimpleUploadedFile("来信.pdf", b"just text, not a PDF", content_type="application/pdf")
    response = client.post(reverse("intake_create"), {**form_body(org), "attachment": fake})
    assert "只接受 PDF、JPEG 或 PNG 文件" in response.content.decode()
    assert not Contact.objects.exists()
    real = SimpleUploadedFile("来信.pdf", PDF_BYTES, content_type="text/plain")
    client.post(reverse("intake_create"), {**form_body(org, channel="letter"), "attachment": real})
    contact = Contact.objects.get()
    download = client.get(reverse("intake_attachment", args=[contact.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_handled_closed_with_the_caller_told_and_called_back(client, org, caseworker_g1a):
    contact = record(caseworker_g1a, worker_unit=org.g1a)
    client.force_login(caseworker_g1a)
    client.post(reverse("intake_act", args=[contact.pk]), {"note": "已电话了解情况。"})
    contact.refresh_from_db()
    assert contact.status == Contact.Status.IN_PROGRESS
    # Not told yet: refused, still open.
    close = reverse("intake_close", args=[contact.pk])
    body = {"outcome": "已指导申请医疗救助。", "told_how": "电话"}
    response = client.post(close, body, follow=True)
    assert "须将办理结果告知来访人后才能办结" in response.content.decode()
    contact.refresh_from_db()
    assert contact.status == Contact.Status.IN_PROGRESS
    client.post(close, {**body, "caller_told": "on"})
    contact.refresh_from_db()
    assert contact.status == Contact.Status.CLOSED and contact.closed_on_time
    follow = reverse("intake_follow_up", args=[contact.pk])
    client.post(follow, {"satisfaction": "basic", "note": "希望再快一些"})
    contact.refresh_from_db()
    assert contact.satisfaction == "basic"
    assert contact.history.first().history_user == caseworker_g1a
    response = client.post(follow, {"satisfaction": "satisfied"}, follow=True)
    assert "该登记已回访" in response.content.decode()


def test_a_callback_waits_for_the_closing(client, org, caseworker_g1a):
    contact = record(caseworker_g1a, worker_unit=org.g1a)
    client.force_login(caseworker_g1a)
    response = client.post(
        reverse("intake_follow_up", args=[contact.pk]), {"satisfaction": "satisfied"}, follow=True
    )
    assert "办结后才能回访" in response.content.decode()


def test_overdue_contacts_are_listed(client, org, caseworker_g1a):
    late = record(
        caseworker_g1a,
        worker_unit=org.g1a,
        topic="policy",
        received_at=timezone.now() - datetime.timedelta(days=10),
    )
    fresh = record(caseworker_g1a, worker_unit=org.g1a)
    client.force_login(caseworker_g1a)
    page = client.get(reverse("intake_overdue")).content.decode()
    assert late.number in page and fresh.number not in page
    register = client.get(reverse("intake_register"), {"status": "overdue"}).content.decode()
    assert late.number in register and fresh.number not in register


def test_identity_is_masked_and_each_reveal_logged(
    client, org, caseworker_g1a, committee_c1, household_g1a
):
    contact = record(caseworker_g1a, worker_unit=org.g1a, id_number=household_g1a.id_number)
    client.force_login(committee_c1)
    page = client.get(contact.get_absolute_url()).content.decode()
    assert household_g1a.id_number not in page and contact.phone not in page
    reveal = reverse("intake_reveal", args=[contact.pk, "id_number"])
    assert client.post(reveal).status_code == 403
    client.force_login(caseworker_g1a)
    assert household_g1a.id_number in client.post(reveal).content.decode()
    log = IntakeRevealLog.objects.get()
    assert (log.user, log.contact, log.field) == (caseworker_g1a, contact, "id_number")


def test_free_text_is_escaped(client, org, caseworker_g1a):
    contact = record(caseworker_g1a, worker_unit=org.g1a, summary="<script>alert(1)</script>")
    client.force_login(caseworker_g1a)
    page = client.get(contact.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_the_auditor_reads_but_every_write_is_refused(client, org, caseworker_g1a, auditor_fed):
    contact = record(caseworker_g1a, worker_unit=org.g1a)
    client.force_login(auditor_fed)
    assert client.get(contact.get_absolute_url()).status_code == 200
    assert client.post(reverse("intake_create"), form_body(org)).status_code == 403
    for name, body in [
        ("intake_act", {"note": "审计意见"}),
        ("intake_close", {"outcome": "x", "told_how": "电话", "caller_told": "on"}),
        ("intake_follow_up", {"satisfaction": "satisfied"}),
        ("intake_household", {}),
        ("intake_application", {"kind": "establish", "reason": "x"}),
    ]:
        assert client.post(reverse(name, args=[contact.pk]), body).status_code == 403, name
    contact.refresh_from_db()
    assert contact.status == Contact.Status.OPEN and not contact.actions.exists()
    assert Contact.objects.count() == 1


def test_a_contact_becomes_a_draft_file_and_an_application_and_stays_linked(
    client, org, caseworker_g1a, policy
):
    number = make_id_number(seq=77)
    contact = record(caseworker_g1a, worker_unit=org.g1a, id_number=number, caller_name="马桂兰")
    client.force_login(caseworker_g1a)
    url = reverse("intake_household", args=[contact.pk])
    form = client.get(url).content.decode()
    assert "马桂兰" in form and number in form  # pre-filled from what was recorded
    assert IntakeRevealLog.objects.filter(contact=contact, field="id_number").exists()
    body = household_data(union=org.g1a, id_number=number, worker_name="马桂兰")
    response = client.post(url, body)
    assert response.status_code == 302
    contact.refresh_from_db()
    household = contact.household
    assert household.status == Household.Status.DRAFT and household.worker_name == "马桂兰"
    assert household.created_by == caseworker_g1a
    # Again: already linked, nothing more created.
    assert client.post(url, body).status_code == 302
    assert Household.objects.filter(id_number=number).count() == 1

    url = reverse("intake_application", args=[contact.pk])
    form = client.get(url).content.decode()
    assert contact.summary in form
    response = client.post(url, {"kind": "establish", "reason": contact.summary})
    contact.refresh_from_db()
    application = contact.application
    assert response["Location"] == application.get_absolute_url()
    assert (application.household, application.kind, application.state) == (
        household,
        Application.Kind.ESTABLISH,
        Application.State.SUBMITTED,
    )
    assert application.filed_by == caseworker_g1a
    page = client.get(contact.get_absolute_url()).content.decode()
    assert household.file_number in page and application.number in page


def test_the_application_keeps_the_chain_s_rules(client, org, caseworker_g1a, household_g1a):
    """An in-file household: the chain's own refusal (only drafts ask to be established)."""
    contact = record(caseworker_g1a, worker_unit=org.g1a, id_number=household_g1a.id_number)
    client.force_login(caseworker_g1a)
    response = client.post(
        reverse("intake_application", args=[contact.pk]), {"kind": "establish", "reason": "x"}
    )
    assert "只有草稿档案可以申请建档" in response.content.decode()
    contact.refresh_from_db()
    assert contact.application is None


def test_a_worker_writes_from_their_own_page(client, org, worker_g1a, caseworker_g1a):
    household = worker_g1a.own_households.get()
    client.force_login(worker_g1a)
    response = client.post(
        reverse("online_contact"), {"topic": "policy", "summary": "想了解助学政策。", "phone": ""}
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.channel, contact.caller_name, contact.phone) == (
        "online",
        worker_g1a.full_name,
        household.phone,
    )
    assert (contact.household, contact.unit, contact.handler) == (
        household,
        org.g1a,
        caseworker_g1a,
    )
    assert contact.number in client.get(reverse("online_contact")).content.decode()
    # Worker pages are their own: the register stays closed to them.
    assert client.get(reverse("intake_register")).status_code == 403
    assert client.get(contact.get_absolute_url()).status_code == 404


def test_the_auditor_page_lists_the_reveals_of_callers(client, org, caseworker_g1a, auditor_fed):
    contact = record(caseworker_g1a, worker_unit=org.g1a)
    client.force_login(caseworker_g1a)
    client.post(reverse("intake_reveal", args=[contact.pk, "phone"]))
    client.force_login(auditor_fed)
    page = client.get(reverse("auditor_page")).content.decode()
    assert "查看来访人信息记录" in page and contact.number in page
