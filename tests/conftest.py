"""Fixtures shared by the whole suite.

The council's bundled data (postcode gazetteer, hubs, coverage rules) is loaded once into the test
database for the session, exactly as `make run` loads it, so tests see real Barnet postcodes.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.backends.signals import connection_created
from django.test.utils import setup_databases, teardown_databases


def _let_the_suite_empty_the_audit_trail(sender, connection, **kwargs):
    """Transactional tests are cleaned up with TRUNCATE, which the audit trail's trigger refuses
    unless a superuser says so on a test_ database (migration earlyhelp 0003)."""
    with connection.cursor() as cursor:
        cursor.execute("SET earlyhelp.flush_audit = on")


connection_created.connect(_let_the_suite_empty_the_audit_trail)


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    """Create the test database whatever tests were selected (browser tests use no db marker)."""
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        # Never load into (or test against) a developer's own database.
        assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict
        call_command("load_council_data", verbosity=0)
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=0)


@pytest.fixture(scope="session")
def barnet_council_id(django_db_setup, django_db_blocker) -> int:
    from hubs.models import Council

    with django_db_blocker.unblock():
        return Council.objects.get(slug="barnet").pk


@pytest.fixture(autouse=True)
def in_barnet(request):
    """Tests act for Barnet, the default council, as a request to 127.0.0.1 does: the managers of
    council-owned rows answer only inside a council's scope (hubs/councils.py)."""
    if "django_db_setup" not in request.fixturenames:
        yield
        return
    from django_scopes import scope

    from hubs import councils

    # The councils are loaded once for the session: read them once, so no test's query count
    # depends on whether the process's copy happened to expire during it.
    councils.CACHE_SECONDS = float("inf")
    with scope(council=request.getfixturevalue("barnet_council_id")):
        yield


@pytest.fixture(autouse=True)
def versions_read_afresh():
    """Each test starts by reading the shared version tokens (earlyhelp.versions): the last
    test's changes, and its new tokens, were rolled back with its transaction."""
    from earlyhelp import versions

    versions._read.clear()


@pytest.fixture(autouse=True)
def english_to_begin_with():
    """Each test starts in English: a request for a page in another language leaves that
    language active in the thread (LocaleMiddleware activates it), and reverse() follows it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing is deliberately slow; tests that are not about passwords need not pay it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The standard people. Parents and carers have no accounts: they are the anonymous `client`.
# Alice and Bob are practitioners; Mo and Wes manage the West hub, Nia the East/Central hub;
# Ada is an administrator.
@pytest.fixture
def alice(db):
    """Alice, a practitioner (a school's safeguarding lead)."""
    from tests.factories import practitioner

    return practitioner(email="alice@school.example.org", first_name="Alice", last_name="Adams")


@pytest.fixture
def bob(db):
    """Bob, another practitioner (a health visitor): no relationship to Alice's families."""
    from tests.factories import practitioner

    return practitioner(email="bob@health.example.org", first_name="Bob", last_name="Brown")


@pytest.fixture
def mo(db):
    """Mo, manager of the West hub."""
    from hubs.models import Hub
    from tests.factories import hub_manager

    user = hub_manager(email="mo@barnet.example.org", first_name="Mo", last_name="Mensah")
    user.managed_hubs.set([Hub.objects.get(slug="west")])
    return user


@pytest.fixture
def wes(db):
    """Wes, Mo's colleague: another manager of the West hub."""
    from hubs.models import Hub
    from tests.factories import hub_manager

    user = hub_manager(email="wes@barnet.example.org", first_name="Wes", last_name="Walker")
    user.managed_hubs.set([Hub.objects.get(slug="west")])
    return user


@pytest.fixture
def nia(db):
    """Nia, manager of the East/Central hub: a worker in another hub."""
    from hubs.models import Hub
    from tests.factories import hub_manager

    user = hub_manager(email="nia@barnet.example.org", first_name="Nia", last_name="Njoku")
    user.managed_hubs.set([Hub.objects.get(slug="east-central")])
    return user


@pytest.fixture
def ada(db):
    """Ada, an administrator."""
    from tests.factories import administrator

    return administrator(email="ada@barnet.example.org", first_name="Ada", last_name="Akande")


@pytest.fixture
def emails_queue_at_once(monkeypatch):
    """Queue emails as soon as they are asked for: a test's transaction never commits, so the
    on-commit hook that normally queues them would never run."""
    monkeypatch.setattr(
        "earlyhelp.email.transaction.on_commit", lambda callback, **kwargs: callback()
    )


@pytest.fixture
def pat(db):
    """Pat, a provider editor for Khulisa (a voluntary organisation): answers connection requests
    sent to Khulisa's services, and has no part in any case."""
    from accounts import roles
    from accounts.models import Agency
    from directory.models import Organisation
    from tests.factories import UserFactory

    return UserFactory(
        email="pat@khulisa.example.org",
        first_name="Pat",
        last_name="Parker",
        agency=Agency.VOLUNTARY,
        roles=[roles.PROVIDER_EDITOR],
        provider_organisation=Organisation.objects.get(key="khulisa"),
    )
