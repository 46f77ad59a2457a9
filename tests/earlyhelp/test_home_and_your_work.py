"""The home page says in one screen what to do (#15); staff land on their own work."""

import re

from django.urls import reverse

from tests.factories import sign_in


def test_the_home_page_offers_a_postcode_search_and_explains_a_hub(client, db):
    page = client.get(reverse("home")).content.decode()
    assert 'action="/services/"' in page
    assert 'name="postcode"' in page
    assert "Your hub is the early help team for where you live" in page
    assert f'href="{reverse("referrals:ask_for_help")}"' in page
    for need in [
        "Pregnancy and baby",
        "Under 5s",
        "School age",
        "Teenagers",
        "Money and housing",
        "Mental health",
        "SEND",
        "Relationships and domestic abuse",
    ]:
        assert need in page


def test_every_need_tile_leads_to_results(client, db):
    page = client.get(reverse("home")).content.decode()
    links = re.findall(r'<li><a class="govuk-link" href="([^"]+)">', page)
    assert len(links) >= 8
    for link in links:
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link
        assert "There is a problem" not in response.content.decode(), link


def test_staff_land_on_their_own_work(client, mo, django_assert_max_num_queries):
    sign_in(client, mo)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("staff_home")).content.decode()
    assert "Your work" in page
    assert "West Hub" in page
    assert "waiting for a decision" in page


def test_a_practitioner_sees_their_assessments_and_caseload(client, alice):
    sign_in(client, alice)
    page = client.get(reverse("staff_home")).content.decode()
    assert "draft" in page
    assert "open famil" in page
    assert "Front door" not in page.split("<main")[1]


def test_your_work_is_for_staff_only(client, db):
    response = client.get(reverse("staff_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_staff_navigation_is_short_and_starts_with_their_work(client, ada):
    sign_in(client, ada)
    page = client.get(reverse("staff_home")).content.decode()
    nav = page.split('id="navigation"')[1].split("</ul>")[0]
    items = nav.count('<li class="govuk-service-navigation__item')
    assert items <= 7, f"{items} items wrap on a desktop"
    assert nav.index("Your work") < nav.index("Find support")
    # What left the navigation is one click away on "Your work".
    main = page.split("<main")[1]
    for url in ("accounts:staff", "privacy:requests", "hubs:coverage_report"):
        assert f'href="{reverse(url)}"' in main
