"""Who may see which report: every view in reports/views.py for every kind of person, what a
hub manager's figures are limited to, the case pages a performance analyst never opens, and the
audit trail each look and download leaves.

The people: anonymous (anyone), Alice (a practitioner), Ana (a performance analyst: figures for
every hub, returns, no case pages), Mo (manager of the West hub), Nia (manager of the
East/Central hub), Ada (an administrator) and Pat (Khulisa's provider editor).

The records: Jamie's family at the West hub, allocated to Alice, and Robin's family at the
East/Central hub, allocated to Bob. "sign in" means anonymous people are sent to sign in.
"""

import csv
import io
from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from accounts import roles
from accounts.models import Agency
from earlyhelp.models import AuditEvent
from hubs.models import Hub
from referrals.models import SupportRequest
from reports import views
from tests.access import SIGN_IN, as_, outcome, routes_in
from tests.factories import EAST_CENTRAL_POSTCODE, UserFactory, allocated_episode

MODULE = views  # the views this matrix covers
pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "alice", "ana", "mo", "nia", "ada", "pat"]


# --- People and records -------------------------------------------------------------------------


@pytest.fixture
def ana(db):
    """Ana, a performance analyst: every hub's figures and the returns, but no case pages."""
    return UserFactory(
        email="ana@barnet.example.org",
        first_name="Ana",
        last_name="Alvarez",
        agency=Agency.FAMILY_SERVICES,
        job_title="Performance analyst",
        roles=[roles.PERFORMANCE_ANALYST],
    )


@pytest.fixture
def people(alice, ana, mo, nia, ada, pat):
    return {
        "anonymous": None,
        "alice": alice,
        "ana": ana,
        "mo": mo,
        "nia": nia,
        "ada": ada,
        "pat": pat,
    }


@pytest.fixture
def records(alice, bob):
    """Jamie's family at the West hub (Alice leads) and Robin's at the East/Central hub (Bob
    leads), both allocated today, so both count in this financial year's figures."""
    west = allocated_episode(alice)
    east = allocated_episode(bob, postcode=EAST_CENTRAL_POSTCODE, child="Robin")
    return {"west": west, "east": east}


# --- Helpers ------------------------------------------------------------------------------------


def section(response, key: str):
    return next(s for s in response.context["sections"] if s.key == key)


def labels(response, key: str) -> list[str]:
    return [row.label for row in section(response, key).rows]


def figure(response, key: str, label: str):
    return next(row.value for row in section(response, key).rows if row.label == label)


# --- Who may open what: every reports view, for every kind of person ----------------------------


@dataclass(frozen=True)
class Case:
    name: str
    route: str
    args: tuple[str, ...]
    # One outcome per person, in PEOPLE order: anonymous, alice, ana, mo, nia, ada, pat.
    expected: tuple
    data: dict = field(default_factory=dict)
    # The audit action an allowed look writes.
    audited: str | None = None
    csv: bool = False

    def url(self) -> str:
        return reverse(f"reports:{self.route}", args=self.args)

    def outcome_for(self, who: str):
        return self.expected[PEOPLE.index(who)]


S = SIGN_IN
FIGURES = (S, 403, 200, 200, 200, 200, 403)  # managers (their hubs), analysts and admins
RECORDS = (S, 403, 403, 200, 200, 200, 403)  # the same, but only those who may see case records
RETURNS = (S, 403, 200, 403, 403, 200, 403)  # analysts and admins: every hub, case-level files
# An unknown measure is not found by anyone who may read reports (the analyst included).
NO_MEASURE = (S, 403, 404, 404, 404, 404, 403)
ANNEX_A = {"return": "annex_a"}

CASES = [
    Case("scorecard", "scorecard", (), FIGURES, audited="report.viewed"),
    Case(
        "scorecard: a quarter",
        "scorecard",
        (),
        FIGURES,
        {"period": "q:2026-3"},
        audited="report.viewed",
    ),
    Case(
        "scorecard: download a section",
        "scorecard",
        (),
        FIGURES,
        {"download": "contacts_by_hub"},
        audited="report.downloaded",
        csv=True,
    ),
    Case("records: contacts", "records", ("contacts",), RECORDS),
    Case("records: episodes started", "records", ("episodes_started",), RECORDS),
    Case("records: children with an episode", "records", ("children_with_episode",), RECORDS),
    Case("records: an unknown measure", "records", ("no-such-measure",), NO_MEASURE),
    Case("returns", "returns", (), RETURNS, audited="report.viewed"),
    Case("returns: Annex A", "returns", (), RETURNS, ANNEX_A, "return.downloaded", csv=True),
    Case(
        "returns: Supporting Families",
        "returns",
        (),
        RETURNS,
        {"return": "supporting_families"},
        "return.downloaded",
        csv=True,
    ),
    Case(
        "returns: the scorecard as data",
        "returns",
        (),
        RETURNS,
        {"return": "scorecard"},
        "return.downloaded",
        csv=True,
    ),
]


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_who_may_use_each_report(client, people, records, case, who):
    response = as_(client, people[who]).get(case.url(), case.data)
    assert outcome(response) == case.outcome_for(who)
    if response.status_code == 200 and case.csv:
        assert response["Content-Type"].startswith("text/csv")
        assert response["Content-Disposition"].startswith("attachment;")


def test_the_matrix_covers_every_reports_route():
    assert {pattern.name for pattern in routes_in(MODULE)} == {case.route for case in CASES}


def test_every_page_a_report_reader_gets_is_kept_out_of_caches(client, ana):
    response = as_(client, ana).get(reverse("reports:scorecard"))
    assert "no-store" in response["Cache-Control"]


# --- The audit trail ----------------------------------------------------------------------------


def _refusals():
    for case in CASES:
        for who in PEOPLE:
            if case.outcome_for(who) in (SIGN_IN, 403, 404):
                yield pytest.param(case, who, id=f"{case.name}-{who}")


def _grants():
    for case in CASES:
        for who in PEOPLE:
            if case.audited and case.outcome_for(who) == 200:
                yield pytest.param(case, who, id=f"{case.name}-{who}")


@pytest.mark.parametrize(("case", "who"), list(_refusals()))
def test_a_refused_look_records_nothing_and_shows_no_figures(client, people, records, case, who):
    as_(client, people[who])
    before = AuditEvent.objects.count()
    response = client.get(case.url(), case.data)
    assert outcome(response) in (SIGN_IN, 403, 404)
    page = response.content.decode()
    assert "Contacts by hub" not in page
    assert records["west"].support_request.reference not in page
    assert "C-0" not in page
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(("case", "who"), list(_grants()))
def test_every_look_and_download_is_recorded(client, people, records, case, who):
    as_(client, people[who]).get(case.url(), case.data)
    event = AuditEvent.objects.filter(actor=people[who]).latest("pk")
    assert event.action == case.audited


def test_a_download_records_which_section_was_downloaded(client, ana, records):
    as_(client, ana).get(reverse("reports:scorecard"), {"download": "closures"})
    event = AuditEvent.objects.get(actor=ana)
    assert (event.action, event.detail["report"]) == ("report.downloaded", "closures")


def test_an_annex_a_download_records_the_date_it_runs_to(client, ana, records):
    as_(client, ana).get(
        reverse("reports:returns"), {"return": "annex_a", "at_0": 1, "at_1": 9, "at_2": 2026}
    )
    event = AuditEvent.objects.get(actor=ana)
    assert event.action == "return.downloaded"
    assert event.detail == {"report": "annex_a", "at": "2026-09-01"}


def test_the_records_behind_a_figure_are_recorded_one_by_one(client, mo, records):
    as_(client, mo).get(reverse("reports:records", args=["contacts"]))
    listed = AuditEvent.objects.filter(actor=mo, action="contact.listed_in_report")
    assert list(listed.values_list("record_id", flat=True)) == [
        str(records["west"].support_request_id)
    ]


# --- A performance analyst sees figures, never a case page --------------------------------------


def test_an_analyst_holds_the_reporting_permissions_and_no_case_permission(ana):
    assert ana.has_perm("reports.view_reports")
    assert ana.has_perm("reports.view_every_hub_report")
    assert ana.has_perm("reports.export_returns")
    assert not ana.has_perm("referrals.view_episode")
    assert not ana.has_perm("referrals.triage_supportrequest")
    assert not ana.has_perm("referrals.add_assessment")


def test_an_analysts_scorecard_links_to_no_records(client, ana, records):
    page = as_(client, ana).get(reverse("reports:scorecard")).content.decode()
    assert "/reports/records/" not in page
    assert "the records behind this figure" not in page


def test_an_analyst_sees_every_hubs_figures(client, ana, records):
    response = as_(client, ana).get(reverse("reports:scorecard"))
    assert labels(response, "contacts_by_hub") == ["East/Central Hub", "South Hub", "West Hub"]
    assert figure(response, "contacts_by_route", "All contacts") == 2


def _case_pages(records) -> list[tuple[str, str]]:
    west = records["west"]
    child = west.family.people.get(first_name="Jamie").child
    return [
        ("episode", reverse("referrals:episode", args=[west.pk])),
        ("the plan", reverse("referrals:plan_print", args=[west.pk])),
        ("caseload", reverse("referrals:caseload")),
        ("front door item", reverse("referrals:triage", args=[west.support_request_id])),
        ("front door", reverse("referrals:front_door")),
        ("contact summary", reverse("referrals:summary", args=[west.support_request_id])),
        ("child record", reverse("referrals:child", args=[child.pk])),
        ("hub episodes", reverse("referrals:hub_episodes", args=["west"])),
    ]


def test_an_analyst_opens_no_case_page(client, ana, records):
    """The analyst's role holds no case permission, so every case page is refused before any
    record is looked up: 403, as for a provider editor (the permission decorator answers first,
    so no page can tell whether the record exists), with nothing shown and nothing recorded."""
    as_(client, ana)
    before = AuditEvent.objects.count()
    for name, url in _case_pages(records):
        response = client.get(url)
        assert response.status_code == 403, name
        page = response.content.decode()
        assert "Jamie" not in page, name
        assert records["west"].support_request.reference not in page, name
    assert AuditEvent.objects.count() == before


def test_an_analyst_may_not_list_the_records_behind_any_figure(client, ana, records):
    as_(client, ana)
    for measure in views.MEASURES:
        response = client.get(reverse("reports:records", args=[measure]))
        assert response.status_code == 403, measure
        assert records["west"].support_request.reference not in response.content.decode()
    assert not AuditEvent.objects.filter(actor=ana).exists()


# --- A hub manager sees their own hubs' figures only --------------------------------------------


def test_a_hub_manager_sees_only_their_hubs_figures(client, mo, records):
    response = as_(client, mo).get(reverse("reports:scorecard"))
    assert labels(response, "contacts_by_hub") == ["West Hub"]
    assert figure(response, "contacts_by_hub", "West Hub") == 1
    assert figure(response, "contacts_by_route", "All contacts") == 1
    assert figure(response, "caseload", "Open at the end of the period") == 1
    assert figure(response, "equality", "Children receiving early help") == 1
    page = response.content.decode()
    assert "East/Central Hub" not in page


def test_a_hub_manager_is_offered_only_their_hubs(client, mo, records):
    response = as_(client, mo).get(reverse("reports:scorecard"))
    assert response.context["form"].fields["hub"].choices == [
        ("", "All your hubs"),
        ("west", "West Hub"),
    ]


def test_choosing_another_hub_is_refused_and_leaves_a_manager_with_their_own(client, mo, records):
    response = as_(client, mo).get(reverse("reports:scorecard"), {"hub": "east-central"})
    assert response.status_code == 200
    assert "hub" in response.context["form"].errors
    assert labels(response, "contacts_by_hub") == ["West Hub"]
    assert figure(response, "contacts_by_route", "All contacts") == 1


def test_a_downloaded_section_holds_only_a_managers_hubs(client, mo, records):
    response = as_(client, mo).get(
        reverse("reports:scorecard"), {"download": "contacts_by_hub", "hub": "east-central"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["measure", "Contacts"], ["West Hub", "1"]]


def test_the_east_central_manager_sees_only_east_central(client, nia, records):
    response = as_(client, nia).get(reverse("reports:scorecard"), {"hub": "west"})
    assert labels(response, "contacts_by_hub") == ["East/Central Hub"]
    assert figure(response, "contacts_by_route", "All contacts") == 1


def test_a_manager_of_two_hubs_may_choose_either(client, mo, records):
    mo.managed_hubs.add(Hub.objects.get(slug="east-central"))
    response = as_(client, mo).get(reverse("reports:scorecard"), {"hub": "east-central"})
    assert not response.context["form"].errors
    assert labels(response, "contacts_by_hub") == ["East/Central Hub"]
    response = client.get(reverse("reports:scorecard"))
    assert labels(response, "contacts_by_hub") == ["East/Central Hub", "West Hub"]


def test_a_manager_of_no_hub_sees_no_figures(client, records):
    from tests.factories import hub_manager

    nobody = hub_manager(email="newmanager@barnet.example.org")
    response = as_(client, nobody).get(reverse("reports:scorecard"))
    assert response.status_code == 200
    assert labels(response, "contacts_by_hub") == []
    assert figure(response, "contacts_by_route", "All contacts") == 0
    assert figure(response, "equality", "Children receiving early help") == 0


def test_a_managers_drill_down_lists_only_records_they_may_see(client, mo, records):
    response = as_(client, mo).get(reverse("reports:records", args=["contacts"]))
    assert response.status_code == 200
    assert response.context["total"] == 1
    assert [contact.pk for contact in response.context["rows"]] == [
        records["west"].support_request_id
    ]
    page = response.content.decode()
    assert records["west"].support_request.reference in page
    assert records["east"].support_request.reference not in page


def test_a_manager_cannot_widen_a_drill_down_to_another_hub(client, mo, records):
    response = as_(client, mo).get(
        reverse("reports:records", args=["episodes_started"]), {"hub": "east-central"}
    )
    assert response.context["total"] == 1
    assert [episode.pk for episode in response.context["rows"]] == [records["west"].pk]
    assert records["east"].support_request.reference not in response.content.decode()


def test_an_administrator_drills_down_to_every_hubs_records(client, ada, records):
    response = as_(client, ada).get(reverse("reports:records", args=["contacts"]))
    assert response.context["total"] == 2
    assert {contact.pk for contact in response.context["rows"]} == {
        records["west"].support_request_id,
        records["east"].support_request_id,
    }


def test_a_drill_down_by_route_lists_only_that_route(client, ada, records):
    SupportRequest.objects.filter(pk=records["east"].support_request_id).update(
        kind=SupportRequest.Kind.FAMILY_REQUEST
    )
    response = as_(client, ada).get(
        reverse("reports:records", args=["contacts"]),
        {"kind": SupportRequest.Kind.FAMILY_REQUEST},
    )
    assert [contact.pk for contact in response.context["rows"]] == [
        records["east"].support_request_id
    ]
    assert response.context["total"] == 1
