"""Listings in the council's languages (#16): stored per language, edited in the listing journey,
shown with English as the marked fallback, and searched in the page's language."""

import html
import re

import pytest
from django.core import mail
from django.urls import reverse

from directory.models import ListingChange, Proposal, Registration, Service
from earlyhelp.models import AuditEvent
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

PERSIAN = {
    "name_fa": "برنامه‌های فرزندپروری",
    "summary_fa": "کمک به والدین برای تربیت کودکان",
    "description_fa": "جلسات هفتگی برای والدین.\nرایگان است.",
}


def page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def translated(west_service):
    west_service.i18n = {**PERSIAN, "summary_pt": "Apoio aos pais na educação das crianças"}
    west_service.save()
    return west_service


def test_a_parent_reads_a_translated_listing_in_their_language(client, translated):
    shown = page(client.get(f"/fa{translated.get_absolute_url()}"))
    assert f'<h1 class="govuk-heading-l">{PERSIAN["name_fa"]}' in shown
    assert PERSIAN["summary_fa"] in shown
    assert "جلسات هفتگی برای والدین.<br>رایگان است." in shown
    assert "(in English)" not in shown


def test_what_is_not_translated_is_shown_in_english_and_says_so(client, translated):
    # Portuguese: a summary, but no name or description.
    shown = page(client.get(f"/pt{translated.get_absolute_url()}"))
    assert "Apoio aos pais na educação das crianças" in shown
    english_name = re.search(
        r'<h1 class="govuk-heading-l"><span lang="en-GB" dir="ltr">([^<]+)', shown
    )
    assert english_name.group(1) == translated.name
    assert shown.count('class="app-in-english"') >= 2  # the name and the description


def test_english_pages_are_unchanged_by_translations(client, translated):
    shown = page(client.get(translated.get_absolute_url()))
    assert translated.summary in shown
    assert PERSIAN["summary_fa"] not in shown
    assert '<span lang="en-GB"' not in shown


def test_search_results_show_each_listing_in_the_pages_language(client, translated):
    shown = page(client.get("/fa/services/", {"q": "والدین"}))
    assert PERSIAN["name_fa"] in shown
    assert PERSIAN["summary_fa"] in shown


def test_a_search_in_persian_finds_the_persian_words_and_no_more(client, translated):
    found = client.get("/fa/services/", {"q": "فرزندپروری"})
    assert found.context["page"].paginator.count == 1
    nothing = client.get("/fa/services/", {"q": "فرزندپروری", "postcode": "NW9 5TQ"})
    assert nothing.status_code == 200


def test_a_search_in_portuguese_uses_portuguese_stemming(client, translated):
    # "criança" (child) finds a summary that says "crianças" (children): the portuguese config.
    assert client.get("/pt/services/", {"q": "criança"}).context["page"].paginator.count == 1
    # ... and English pages do not search the translations.
    assert client.get("/services/", {"q": "criança"}).context["page"].paginator.count == 0


def test_a_hub_manager_adds_translations_from_the_listing_summary(client, mo, west_service):
    sign_in(client, mo)
    summary = page(client.get(reverse("directory:manage_service", args=[west_service.pk])))
    edit = reverse("directory:edit_section", args=[west_service.pk, "translations"])
    assert f'href="{edit}"' in summary
    form = page(client.get(edit))
    assert 'lang="fa" dir="auto"' in form
    assert "Persian (فارسی)" in form
    response = client.post(
        edit, {"name_fa": PERSIAN["name_fa"], "summary_fa": " ", "version": west_service.version}
    )
    assert response.status_code == 302
    west_service.refresh_from_db()
    assert west_service.i18n == {"name_fa": PERSIAN["name_fa"]}
    change = ListingChange.objects.filter(service=west_service).latest("version")
    assert [field["field"] for field in change.fields] == ["i18n"]
    assert AuditEvent.objects.filter(
        action="service.changed", record_id=str(west_service.pk)
    ).exists()
    assert "Persian: name" in page(
        client.get(reverse("directory:manage_service", args=[west_service.pk]))
    )


def test_a_translation_too_long_is_explained_and_kept(client, mo, west_service):
    sign_in(client, mo)
    edit = reverse("directory:edit_section", args=[west_service.pk, "translations"])
    response = client.post(edit, {"summary_ar": "ب" * 301, "version": west_service.version})
    shown = page(response)
    assert "Summary in Arabic must be 300 characters or fewer" in shown
    assert "ب" * 301 in shown


def test_a_provider_proposes_translations_for_a_hub_manager_to_approve(
    client, pat, khulisa_service
):
    sign_in(client, pat)
    edit = reverse("directory:edit_section", args=[khulisa_service.pk, "translations"])
    client.post(edit, {"name_pl": "Mistrzowie rodzicielstwa", "version": khulisa_service.version})
    khulisa_service.refresh_from_db()
    assert not khulisa_service.i18n
    proposal = Proposal.objects.get(service=khulisa_service, section="translations")
    assert proposal.values == {"i18n": {"name_pl": "Mistrzowie rodzicielstwa"}}


def test_nobody_without_the_listing_permission_edits_translations(client, alice, west_service):
    sign_in(client, alice)
    edit = reverse("directory:edit_section", args=[west_service.pk, "translations"])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"name_fa": "x", "version": "1"}).status_code == 403
    assert not Service.objects.get(pk=west_service.pk).i18n


def test_a_parent_who_registers_on_persian_pages_gets_their_email_in_persian(
    client, west_service, django_capture_on_commit_callbacks
):
    from tests.directory.test_listings import _course, run_tasks

    course = _course(west_service)
    data = {"name": "Sam", "email": "sam@example.org", "child_ages": ["2-4"], "consent": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/fa/courses/{course.pk}/register/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    run_tasks()
    (email,) = [m for m in mail.outbox if m.to == ["sam@example.org"]]
    reference = Registration.objects.get().reference
    assert email.subject == f"کد پیگیری شما {reference}"
    assert f"/fa/services/{west_service.pk}/" in email.body
    assert "Your reference" not in email.body
