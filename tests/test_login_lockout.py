"""Failed desk logins are counted per real client: per account from one address, and per address across accounts."""

import pytest
from django.urls import reverse

from tests.factories import make_staff

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
GOOD_PASSWORD = "correct horse battery"


@pytest.fixture
def limits(settings):
    # A fast hasher: these tests log in dozens of times, and what they check is the counting.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 6


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def log_in(client, username, password, **headers):
    return client.post(reverse("admin:login"), {"username": username, "password": password}, **headers)


def logged_in(client):
    return bool(client.session.get("_auth_user_id"))


def via_proxy(reader, sent=None):
    """Return the request headers of a reader reaching the site through the proxy, which appends their address."""
    forwarded = f"{sent}, {reader}" if sent else reader
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def test_behind_a_proxy_an_attacker_cannot_lock_the_editor_out(client, limits, behind_one_proxy):
    make_staff(username="editor")
    for _ in range(5):
        log_in(client, "editor", "wrong", **via_proxy("203.0.113.66"))
    assert log_in(client, "editor", GOOD_PASSWORD, **via_proxy("203.0.113.66")).status_code == 429
    response = log_in(client, "editor", GOOD_PASSWORD, **via_proxy("198.51.100.20"))
    assert response.status_code == 302 and logged_in(client)


def test_behind_a_proxy_an_attacker_cannot_escape_by_forging_forwarded_for(client, limits, behind_one_proxy):
    make_staff(username="editor")
    for n in range(3):
        log_in(client, "editor", "wrong", **via_proxy("203.0.113.66", sent=f"192.0.2.{n}"))
    locked = log_in(client, "editor", GOOD_PASSWORD, **via_proxy("203.0.113.66", sent="192.0.2.99"))
    assert locked.status_code == 429 and not logged_in(client)


def test_without_trusted_proxies_forwarded_for_is_ignored(client, limits):
    make_staff(username="editor")
    for n in range(3):
        log_in(client, "editor", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    locked = log_in(client, "editor", GOOD_PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert locked.status_code == 429 and not logged_in(client)


def test_spraying_passwords_across_usernames_from_one_address_is_stopped(client, limits):
    make_staff(username="editor")
    # One guess for each of six usernames: no account reaches its own limit of three.
    for n in range(6):
        response = log_in(client, f"someone{n}", "Summer2026!")
        assert response.status_code in (200, 429)
    locked = log_in(client, "editor", GOOD_PASSWORD)
    assert locked.status_code == 429 and not logged_in(client)
    assert "Too many failed log-in attempts" in locked.content.decode()


def test_below_the_address_limit_other_accounts_still_log_in(client, limits):
    make_staff(username="editor")
    for n in range(5):
        log_in(client, f"someone{n}", "wrong")
    response = log_in(client, "editor", GOOD_PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_one_account_is_still_locked_at_its_own_limit(client, limits):
    make_staff(username="editor")
    for _ in range(3):
        log_in(client, "editor", "wrong")
    assert log_in(client, "editor", GOOD_PASSWORD).status_code == 429
    # Another account from the same address is below both limits.
    make_staff(username="other")
    assert log_in(client, "other", GOOD_PASSWORD).status_code == 302


def test_the_address_limit_only_counts_the_address_it_belongs_to(client, limits):
    make_staff(username="editor")
    for n in range(6):
        log_in(client, f"someone{n}", "wrong", REMOTE_ADDR="203.0.113.66")
    assert log_in(client, "editor", GOOD_PASSWORD, REMOTE_ADDR="198.51.100.20").status_code == 302
