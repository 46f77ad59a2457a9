"""Hostile input on every public query parameter and every form never gives a 5xx or an
unescaped echo. Routes and forms are discovered from the route walk (tests/test_routes.py) and
the audiences views declare, so new routes are covered without a new test.
"""

from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_routes import ROUTES

CANARY = '<hostile-canary x="\'">'

NASTY = [
    "\x00",
    "a\x00b",
    "A" * 100_000,
    "' OR '1'='1' --",
    "1; DROP TABLE hubs_hub; --",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "%s%s%s%n",
    "../../../../etc/passwd",
    "😀" * 50,
    "\u202e\u200b\ufeff",
    "-1",
    "99999999999999999999999",
    "[]",
    "",
]

hostile_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.builds(lambda a, b: a + CANARY + b, st.text(max_size=8), st.text(max_size=8)),
)

# Raw query-string bytes the test client would never produce from str: invalid UTF-8, an
# encoded lone surrogate, a bare percent.
RAW_QUERY_VALUES = ["%FF%FE", "%ED%A0%80", "%", "%%00", "%C0%AF"]

GET_ROUTES = [r for r in ROUTES if getattr(r.view, "query_params", ())]


def form_class_of(view):
    return getattr(view, "form_class", None) or getattr(
        getattr(view, "view_class", None), "form_class", None
    )


FORM_ROUTES = [r for r in ROUTES if form_class_of(r.view) is not None]


def assert_safe(response) -> None:
    assert response.status_code < 500, response.status_code
    assert CANARY.encode() not in response.content, "input was echoed without escaping"


def test_there_are_routes_to_attack():
    assert GET_ROUTES
    assert FORM_ROUTES


@pytest.mark.django_db
@pytest.mark.parametrize("route", GET_ROUTES, ids=str)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_hostile_query_parameters_never_break_a_public_page(client, route, data):
    names = list(route.view.query_params) + ["unexpected"]
    pairs = data.draw(st.lists(st.tuples(st.sampled_from(names), hostile_text), max_size=4))
    query = "&".join(f"{quote(name)}={quote(value, safe='')}" for name, value in pairs)
    assert_safe(client.get(route.url(), QUERY_STRING=query))


@pytest.mark.django_db
@pytest.mark.parametrize("route", GET_ROUTES, ids=str)
@pytest.mark.parametrize("raw", RAW_QUERY_VALUES)
def test_malformed_query_strings_never_break_a_public_page(client, route, raw):
    name = route.view.query_params[0]
    assert_safe(client.get(route.url(), QUERY_STRING=f"{name}={raw}"))


@pytest.mark.django_db
@pytest.mark.parametrize("route", FORM_ROUTES, ids=str)
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_hostile_form_posts_never_break_a_form(route, data):
    fields = list(form_class_of(route.view).base_fields)
    values = {name: data.draw(hostile_text) for name in fields}
    client = Client(enforce_csrf_checks=True)
    page = client.get(route.url())
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else ""
    assert_safe(client.post(route.url(), {**values, "csrfmiddlewaretoken": token}))


@pytest.mark.django_db
@pytest.mark.parametrize("route", FORM_ROUTES, ids=str)
def test_a_form_post_without_a_csrf_token_is_refused(route):
    fields = dict.fromkeys(form_class_of(route.view).base_fields, "x")
    response = Client(enforce_csrf_checks=True).post(route.url(), fields)
    assert response.status_code == 403
    assert "Sorry, we could not send your form" in response.content.decode()
