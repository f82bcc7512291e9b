"""The markup as tools and people read it: valid HTML on every page (the Nu Html Checker),
one money format, the audit trail's labels and times, the language switch, the missing
evidence list, and the administrator's pages in Chinese."""

import datetime
import json
import re
import shutil
import subprocess
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

# The `world` of the authorisation matrix (tests/fixtures/world.py) and its page walk.
from pagewalk import NOT_INSTALLED, VNU_JAR, html_pages

from audit import trail
from cases.models import Application
from funds.models import DistributionPlan
from hardship.templatetags.money import yuan

pytestmark = pytest.mark.django_db


# Money ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, shown",
    [
        (Decimal("1174000"), "1,174,000.00"),
        ("1174000.5", "1,174,000.50"),
        (Decimal("-1500.25"), "-1,500.25"),
        (0, "0.00"),
        (None, ""),
    ],
)
def test_money_has_thousands_separators_and_two_decimals(value, shown):
    assert yuan(value) == shown


def test_money_standing_alone_names_its_unit_after_one_space():
    with translation.override("zh-hans"):
        assert yuan(Decimal("1174000"), "unit") == "1,174,000.00 元"
    with translation.override("en"):
        assert yuan(Decimal("1174000"), "unit") == "1,174,000.00 yuan"


def test_the_notice_list_and_the_application_show_money_in_the_one_format(client, world):
    Application.objects.filter(pk=world.in_notice.pk).update(amount=Decimal("1174000"))
    client.force_login(world.users["reviewer_c1"])
    notices = client.get(reverse("notice_list")).content.decode()
    assert "1,174,000.00" in notices
    detail = client.get(reverse("application_detail", args=[world.in_notice.pk])).content.decode()
    assert "1,174,000.00 元" in detail


def test_templates_render_no_money_field_raw():
    """A money value printed without the filter ({{ a.amount }}) would show 1174000.00."""
    rendered = Template(
        "{% load money %}{{ a|yuan }}|{{ a|yuan:'unit' }}|{{ n|yuan|default:'—' }}"
    ).render(Context({"a": Decimal("1174000.00"), "n": None}))
    with translation.override("zh-hans"):
        assert rendered.startswith("1,174,000.00|1,174,000.00 ")
    assert rendered.endswith("|—")


# Audit trail ----------------------------------------------------------------------------


def test_every_field_on_the_trail_has_a_chinese_label():
    """A field without verbose_name shows as "posted at" on a Chinese page."""
    unlabelled = []
    for model, _path, _label in trail.SOURCES.values():
        for field in model._meta.concrete_fields:
            if field.primary_key:
                continue
            with translation.override("zh-hans"):
                label = str(field.verbose_name)
            if label.isascii() and model._meta.app_label != "hardship" or label == field.name:
                unlabelled.append(f"{model.__name__}.{field.name}: {label}")
    assert unlabelled == []


def test_the_trail_shows_labels_and_local_times_to_the_second(client, world):
    plan = world.approved_plan
    posted = datetime.datetime(2026, 3, 1, 1, 2, 3, 456789, tzinfo=datetime.UTC)
    plan.posted_at = posted
    plan.save()
    client.force_login(world.users["auditor_fed"])
    with translation.override("zh-hans"):
        html = client.get(reverse("audit_trail"), {"kind": "plan"}).content.decode()
    assert "posted at" not in html
    assert "发放入账时间：—" in html
    local = timezone.localtime(posted).strftime("%Y-%m-%d %H:%M:%S")
    assert f"→ {local}" in html  # 09:02:03 in Asia/Shanghai, no microseconds, no +00:00
    assert "456789" not in html and "+00:00" not in html


def test_the_english_trail_separates_label_and_value_with_a_colon_and_space(client, world):
    plan = DistributionPlan.objects.get(pk=world.approved_plan.pk)
    plan.posted_at = timezone.now()
    plan.save()
    client.force_login(world.users["auditor_fed"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("audit_trail"), {"kind": "plan"}).content.decode()
    assert "：—" not in html
    assert ": — →" in html


# Lists, language switch, admin -------------------------------------------------------------


def test_the_missing_evidence_list_uses_the_enumeration_comma():
    rendered = Template(
        '{% load i18n %}{% for m in missing %}{{ m }}{% if not forloop.last %}{% translate "、" %}{% endif %}{% endfor %}'
    )
    with translation.override("zh-hans"):
        assert rendered.render(Context({"missing": ["病历", "诊断证明"]})) == "病历、诊断证明"


def test_the_application_page_lists_missing_evidence_with_the_enumeration_comma(client, world):
    from cases.models import EvidenceRequirement
    from cases.rules import missing_evidence

    application = world.grassroots_approved
    for kind in ("medical_bills", "income_proof"):
        EvidenceRequirement.objects.create(application_kind=application.kind, evidence_kind=kind)
    with translation.override("zh-hans"):
        missing = missing_evidence(application)
    assert len(missing) == 2
    client.force_login(world.users["reviewer_c1"])
    html = client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert "尚缺：" + "、".join(missing) + "</div>" in html


def test_the_language_switch_names_each_language_in_itself(client, world):
    client.force_login(world.users["caseworker_g1a"])
    for language in ("zh-hans", "en"):
        client.post(reverse("set_language"), {"language": language, "next": "/"})
        html = client.get(reverse("dashboard")).content.decode()
        assert '<option value="en" lang="en"' in html
        assert ">English</option>" in html
        assert ">简体中文</option>" in html
        assert "英语" not in html and "Simplified Chinese" not in html


def test_the_admin_index_in_chinese_names_the_third_party_apps_in_chinese(client, world):
    admin = world.users["admin_fed"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    with translation.override("zh-hans"):
        html = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    text = re.sub(r"<[^>]+>", " ", html)  # what the page says, not its class names
    for english in (
        "Axes",
        "Access attempts",
        "Access logs",
        "Access failures",
        "Otp_Totp",
        "Otp_Static",
        "TOTP devices",
        "Static devices",
        "Tasks Database Backend",
        "Task Results",
    ):
        assert english.lower() not in text.lower(), english
    assert "登录失败锁定" in html and "后台任务" in html


# The Nu Html Checker ----------------------------------------------------------------------


class _Aria(HTMLParser):
    """Every id, every ARIA reference to an id, and the tabs and tab panels."""

    REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls")

    def __init__(self):
        super().__init__()
        self.ids, self.references, self.tabs, self.panels = set(), [], [], {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.ids.add(attrs.get("id"))
        for name in self.REFERENCES:
            for target in (attrs.get(name) or "").split():
                self.references.append((tag, attrs.get("id"), name, target))
        if attrs.get("role") == "tab":
            self.tabs.append(attrs)
        elif attrs.get("role") == "tabpanel":
            self.panels[attrs.get("id")] = attrs


def _aria_problems(html) -> list[str]:
    """An aria-describedby pointing at a help text never rendered, or a tab that does not
    name its panel (aria-controls) and is not named back by it (aria-labelledby)."""
    parser = _Aria()
    parser.feed(html)
    problems = [
        f"<{tag} id={id_}> {name}={target}: no such element"
        for tag, id_, name, target in parser.references
        if target not in parser.ids
    ]
    for tab in parser.tabs:
        panel = parser.panels.get(tab.get("aria-controls"))
        if panel is None:
            problems.append(f"tab {tab.get('id')} controls no tabpanel")
        elif not tab.get("id") or panel.get("aria-labelledby") != tab.get("id"):
            problems.append(f"tabpanel {panel.get('id')} is not labelled by its tab")
    return problems


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu Html Checker needs Java")
def test_every_page_of_the_matrix_is_valid_html(client, world, tmp_path):
    """All pages in one run of the checker (one JVM start), each as its user sees it; and
    no ARIA reference points at nothing, and every tab names its panel, which names it back."""
    assert VNU_JAR.exists(), NOT_INSTALLED
    pages, aria_problems = {}, []
    for page, html in html_pages(client, world):
        path = tmp_path / f"{page.name}.html"
        path.write_text(html, encoding="utf-8")
        pages[path.name] = page
        aria_problems += [f"{page}: {problem}" for problem in _aria_problems(html)]
    assert len(pages) >= 30
    assert aria_problems == []
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always"]
        + sorted(str(tmp_path / name) for name in pages),
        capture_output=True,
        text=True,
        check=True,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{pages[m['url'].rsplit('/', 1)[-1]]}: line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]
    assert errors == [], "\n".join(errors)
