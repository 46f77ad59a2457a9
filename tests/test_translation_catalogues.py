"""The translation catalogues (locale/<code>/LC_MESSAGES/django.po) are complete and usable (#16).

No database: these read the files. That every public page is rendered with them is in
tests/earlyhelp/test_translated_pages.py.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
COMMUNITY = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# CLDR's plural categories as gettext numbers them (Django's own catalogues' headers).
PLURALS = {"ro": 3, "fa": 2, "pl": 4, "gu": 2, "pt": 2, "ar": 6, "tr": 2}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{ *\w+ *\}\}|%[sd]")


def catalogue(code: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("code", COMMUNITY)
def test_every_message_is_translated_in_every_language(code):
    po = catalogue(code)
    missing = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not missing, f"{code}: {len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{code}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("code", COMMUNITY)
def test_each_catalogue_says_it_is_not_yet_checked_by_a_qualified_translator(code):
    po = catalogue(code)
    assert "not yet been checked by a qualified translator" in po.header
    assert po.metadata["Language"] == code


@pytest.mark.parametrize("code", COMMUNITY)
def test_plural_forms_are_the_languages_own(code):
    po = catalogue(code)
    assert f"nplurals={PLURALS[code]};" in po.metadata["Plural-Forms"].replace(" ", "")
    for entry in po.translated_entries():
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == PLURALS[code], entry.msgid
            assert all(entry.msgstr_plural.values()), entry.msgid


@pytest.mark.parametrize("code", COMMUNITY)
def test_translations_keep_every_placeholder(code):
    for entry in catalogue(code).translated_entries():
        wanted = sorted(set(PLACEHOLDER.findall(entry.msgid)))
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for form in forms:
            # A plural form for exactly one may leave the number out ("one result").
            found = sorted(set(PLACEHOLDER.findall(form)))
            assert set(found) <= set(wanted) | {"%(counter)s", "{{ counter }}"}, entry.msgid
            if not entry.msgid_plural:
                assert found == wanted, (entry.msgid, entry.msgstr)


@pytest.mark.parametrize("code", COMMUNITY)
def test_the_compiled_catalogue_is_the_current_one(code):
    po = catalogue(code)
    mo = polib.mofile(str(LOCALE / code / "LC_MESSAGES" / "django.mo"))
    compiled = {(entry.msgctxt, entry.msgid): entry for entry in mo}
    for entry in po.translated_entries():
        found = compiled.get((entry.msgctxt, entry.msgid))
        assert found is not None, f"{code}: run `make messages` ({entry.msgid!r} not compiled)"
        if entry.msgid_plural:
            assert found.msgstr_plural == entry.msgstr_plural, entry.msgid
        else:
            assert found.msgstr == entry.msgstr, entry.msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_the_catalogues_hold_every_marked_message(tmp_path):
    """`make messages` was run after the last string was marked: extracting the messages afresh,
    in a copy of the project, finds none the catalogues lack and none they no longer need."""
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    for name in ["manage.py", *SOURCES]:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            copy.mkdir(exist_ok=True)
            shutil.copy(source, copy / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "ro", "--no-obsolete"],
        cwd=copy, check=True, capture_output=True,
        env={**os.environ, "DJANGO_ENV": "development",
             "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://unused@127.0.0.1/unused")},
    )  # fmt: skip
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/ro/LC_MESSAGES/django.po"))}
    known = {entry.msgid for entry in catalogue("ro")}
    assert not fresh - known, f"run `make messages`; new: {sorted(fresh - known)[:5]}"
    assert not known - fresh, f"run `make messages`; gone: {sorted(known - fresh)[:5]}"


# What makemessages reads: the apps' code and templates, and what settings need to start.
SOURCES = ["earlyhelp", "hubs", "directory", "referrals", "accounts", "privacy", "reports",
           "templates", "locale", "data"]  # fmt: skip
