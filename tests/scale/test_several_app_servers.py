"""Issue #17 on one machine, over real HTTP: two gunicorn app servers share one PostgreSQL
primary, which streams to a hot standby; the public pages read from the standby.

The tests run in the order written. The last changes a listing, after which each app server
reads the directory from the primary for a few seconds (earlyhelp/replicas.py), which the test
of who answers public reads must not be within.
"""

import html
import re
import uuid

import pytest
from django_otp.oath import totp

from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_KEY_HEX
from tests.scale.visitor import Visitor

SEARCH = "/services/?postcode=N2+8LG"  # nearest first: a change of name moves nothing


def code_now() -> str:
    return f"{totp(bytes.fromhex(DEMO_TOTP_KEY_HEX), step=30, t0=0, digits=6):06d}"


@pytest.fixture(scope="module")
def ada(deployment) -> Visitor:
    """Ada, an administrator, who gives her password to app server 1 and her two-factor code to
    app server 2: the second step needs the session the first one started."""
    one, two = deployment.servers
    ada = Visitor()
    answer = ada.fill_in(
        f"{one}/sign-in/", username="ada@barnet.example.org", password=DEMO_PASSWORD
    )
    assert answer.status == 302, answer.text
    assert answer.location.startswith("/sign-in/two-factor/")
    answer = ada.fill_in(f"{two}/sign-in/two-factor/", code=code_now())
    assert answer.status == 302, answer.text
    return ada


@pytest.fixture(scope="module")
def listed_service(deployment) -> tuple[str, str]:
    """The first service a parent near N2 8LG finds: its id and name."""
    page = Visitor().get(deployment.servers[0] + SEARCH)
    service_id = re.search(r'href="/services/([0-9a-f-]{36})/"', page.text).group(1)
    with deployment.primary() as primary:
        (name,) = primary.execute(
            "SELECT name FROM directory_service WHERE id = %s", [service_id]
        ).fetchone()
    return service_id, name


def test_the_replica_is_a_streaming_hot_standby_of_the_primary(deployment):
    with deployment.primary() as primary:
        standbys = primary.execute("SELECT usename, state FROM pg_stat_replication").fetchall()
        assert standbys == [("replicator", "streaming")]
        (services,) = primary.execute("SELECT count(*) FROM directory_service").fetchone()
    deployment.caught_up()
    with deployment.replica() as replica:
        assert replica.execute("SELECT pg_is_in_recovery()").fetchone() == (True,)
        assert replica.execute("SELECT count(*) FROM directory_service").fetchone() == (services,)


def test_a_session_started_on_one_app_server_works_on_the_other(deployment, ada):
    for server in deployment.servers:
        page = ada.get(f"{server}/your-work/")
        assert page.status == 200, (server, page.status, page.location)
        assert "Sign out" in page.text
    # Kept in PostgreSQL, not in either server's memory.
    session = ada.cookie("sessionid")
    with deployment.primary() as primary:
        stored = primary.execute(
            "SELECT count(*) FROM django_session WHERE session_key = %s", [session.value]
        ).fetchone()
    assert stored == (1,)
    # Someone without the session is sent to sign in by either server.
    assert Visitor().get(f"{deployment.servers[1]}/your-work/").status == 302


def rename(deployment, service_id: str, name: str, *, as_the_app_does: bool = False) -> None:
    """Rename a listing on the primary with SQL of its own, as no app server would: the
    servers are not told (their listings kept in memory stay as they were), so what a search
    finds shows where it read. `as_the_app_does` changes the directory's version token in the
    same transaction, as an edit through the app does, so the servers forget what they keep."""
    with deployment.primary() as primary, primary.transaction():
        primary.execute("UPDATE directory_service SET name = %s WHERE id = %s", [name, service_id])
        if as_the_app_does:
            primary.execute(
                "DELETE FROM earlyhelp_cache WHERE cache_key LIKE %s", ["%:version:directory"]
            )


def test_the_replica_answers_public_reads_while_the_primary_serves_the_rest(
    deployment, ada, listed_service
):
    one, two = deployment.servers
    service_id, name = listed_service
    # A word in no listing but this one, once renamed: a search for it finds the listing only
    # where the rename has been applied. Each check searches in words no server has searched
    # before (the word once, twice, three times): app servers keep the matches of a search
    # they have made until the directory's version changes, which this rename does not do.
    word = f"canary{uuid.uuid4().hex[:8]}"
    canary = f"{name} ({word})"
    finds_it = f'href="/services/{service_id}/"'

    def search_for(times: int) -> str:
        return "/services/?q=" + "+".join([word] * times)

    try:
        with deployment.replay_paused():
            # Committed on the primary only, until the replica applies the WAL again.
            rename(deployment, service_id, canary)
            # A parent's search, on either server, is answered by the replica.
            for server in (one, two):
                page = Visitor().get(server + search_for(1))
                assert page.status == 200
                assert finds_it not in page.text
            # Staff pages read the primary.
            page = ada.get(f"{two}/manage/services/{service_id}/")
            assert page.status == 200
            assert html.escape(canary) in page.text
            # So does a parent who has just sent something, on whichever server.
            parent = Visitor()
            sent = parent.fill_in(f"{two}/service-feedback/", improve="A scale test.")
            assert sent.status == 302, sent.text
            pin = parent.cookie("pin_primary")
            assert pin is not None
            assert pin.value == "1"
            assert pin.has_nonstandard_attr("HttpOnly")
            assert finds_it in parent.get(one + search_for(2)).text
        # The replica catches up, and the public pages with it.
        deployment.caught_up()
        assert finds_it in Visitor().get(two + search_for(3)).text
    finally:
        rename(deployment, service_id, name, as_the_app_does=True)
        deployment.caught_up()


def test_a_change_posted_to_one_app_server_is_seen_on_the_other(deployment, ada, listed_service):
    one, two = deployment.servers
    service_id, _ = listed_service
    public_page = f"{two}/services/{service_id}/"
    assert ada.get(public_page).status == 200  # app server 2 keeps the page in memory
    with deployment.replay_paused():  # so what follows can only come from the primary
        changed = ada.fill_in(
            f"{one}/manage/services/{service_id}/edit/name/", name="Renamed on app server 1"
        )
        assert changed.status == 302, changed.text
        assert ada.cookie("pin_primary") is not None
        # At once, not within VERSION_CHECK_SECONDS, and not from the paused replica.
        assert "Renamed on app server 1" in ada.get(public_page).text
