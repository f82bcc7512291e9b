"""The English catalogue is complete, compiled, and used when English is chosen.

After changing source strings: makemessages -l en, translate, compilemessages -l en.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"

PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[#0\- +]*\d*(?:\.\d+)?[sdif%]")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(PO_PATH))


def _catalogue(entries):
    """msgid → translation, for comparing a .po's compiled form with a .mo."""
    table = {}
    for e in entries:
        if e.msgid == "" or e.obsolete:
            continue
        key = (e.msgctxt, e.msgid, e.msgid_plural)
        if e.msgid_plural:
            table[key] = tuple(e.msgstr_plural[i] for i in sorted(e.msgstr_plural))
        else:
            table[key] = e.msgstr
    return table


def _translations(entry):
    if entry.msgid_plural:
        return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def test_catalogue_has_no_untranslated_or_fuzzy_entries(po):
    assert po.metadata.get("Language") == "en"
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert len(po.translated_entries()) > 0


def test_translations_keep_placeholders_and_are_english(po):
    for entry in po.translated_entries():
        for text in _translations(entry):
            assert text, entry.msgid
            assert not CJK.search(text), (entry.msgid, text)
            if "python-format" in entry.flags:
                assert sorted(PLACEHOLDER.findall(text)) == sorted(
                    PLACEHOLDER.findall(entry.msgid)
                ), (entry.msgid, text)


def test_plural_entries_have_both_english_forms(po):
    assert "nplurals=2" in po.metadata["Plural-Forms"]
    for entry in po:
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == [0, 1], entry.msgid
            assert all(entry.msgstr_plural.values()), entry.msgid


def test_compiled_catalogue_matches_po(po, tmp_path):
    """django.mo was compiled from the current django.po (run compilemessages -l en)."""
    assert MO_PATH.exists(), "locale/en/LC_MESSAGES/django.mo is missing"
    fresh = tmp_path / "django.mo"
    po.save_as_mofile(str(fresh))
    expected = _catalogue(polib.mofile(str(fresh)))
    committed = _catalogue(polib.mofile(str(MO_PATH)))
    assert committed == expected


@pytest.mark.django_db
def test_login_page_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("login"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="en"' in page
    assert "Log in" in page
    assert "登录" not in page


@pytest.mark.django_db
def test_login_page_in_chinese_when_chosen(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()
