"""Fixtures shared by the whole suite.

The council's bundled data (postcode gazetteer, hubs, coverage rules) is loaded once into the test
database for the session, exactly as `make run` loads it, so tests see real Barnet postcodes.
"""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_council_data", verbosity=0)
