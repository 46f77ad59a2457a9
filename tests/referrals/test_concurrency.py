"""Two managers decide the same request at the same moment: exactly one decision stands.

This needs real commits seen by two connections, so it runs outside the usual test
transaction and empties the case tables itself afterwards (not pytest-django's transactional
tests, which would empty every table, the council's postcodes and hubs included).
"""

import threading

import pytest
from django.db import connection
from django_scopes import scope

from hubs.models import Hub
from referrals import services
from referrals.models import Decision
from tests.factories import sent_assessment


@pytest.fixture
def committed_db(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield


def test_two_managers_deciding_at_the_same_moment_leave_exactly_one_decision(committed_db):
    """Two real database connections race; the row lock lets exactly one decision stand."""
    from tests.factories import hub_manager, practitioner

    west = Hub.objects.get(slug="west")
    author = practitioner(email="race-author@example.org")
    managers = [hub_manager(email=f"race-{n}@example.org") for n in (1, 2)]
    for manager in managers:
        manager.managed_hubs.set([west])
    support_request = sent_assessment(author)
    barrier = threading.Barrier(2)
    outcomes = []

    council = Hub.objects.get(slug="west").council_id

    def attempt(manager, kind):
        with scope(council=council):  # a thread starts with no council, as a request does
            _attempt(manager, kind)

    def _attempt(manager, kind):
        barrier.wait()
        try:
            services.decide(
                support_request_id=support_request.pk,
                seen_version=1,
                by=manager,
                kind=kind,
                reason=f"{manager.email} decided",
            )
            outcomes.append("decided")
        except services.AlreadyDecided as error:
            outcomes.append(f"beaten by {error.latest.decided_by.email}")
        finally:
            connection.close()

    try:
        threads = [
            threading.Thread(target=attempt, args=(managers[0], "step_up")),
            threading.Thread(target=attempt, args=(managers[1], "more_information")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes)[0] == "beaten by " + Decision.objects.get().decided_by.email
        assert outcomes.count("decided") == 1
        assert Decision.objects.filter(support_request=support_request).count() == 1
    finally:
        _remove_committed_case_data()


def _remove_committed_case_data():
    """A transactional test commits; empty the case tables again (the audit trail's trigger
    blocks DELETE, not TRUNCATE, which only the test database's owner can run)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE earlyhelp_auditevent, referrals_supportrequest, referrals_family, "
            "django_tasks_database_dbtaskresult, otp_totp_totpdevice, django_session CASCADE"
        )
    from accounts.models import User

    User.objects.filter(email__startswith="race-").delete()
