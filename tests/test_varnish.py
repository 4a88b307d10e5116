"""Varnish in front of the app: a real varnishd, started here with deploy/varnish/newsroom.vcl.

Each varnishd runs as a subprocess in front of the live test server, with its own working folder and
free port, and is stopped when its tests end, failed or not. Without varnishd (Debian's varnish and
varnish-modules) these tests are skipped on a developer's machine but fail on CI (CI set), whose
.ci/run installs the packages. NEWSROOM_VARNISHD names another varnishd.
"""

import contextlib
import glob
import html
import http.client
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from articles.platform import purge, varnish

REPO = Path(__file__).resolve().parents[1]
VCL = REPO / "deploy" / "varnish" / "newsroom.vcl"
VARNISHD = os.environ.get("NEWSROOM_VARNISHD") or shutil.which("varnishd") or "/usr/sbin/varnishd"

pytestmark = pytest.mark.urls("tests.varnish_urls")


@pytest.fixture(scope="module")
def varnishd():
    """Return the path of varnishd; skip without it and the xkey vmod, or fail on CI."""
    missing = None
    if not os.access(VARNISHD, os.X_OK):
        missing = "varnishd is not installed (apt-get install varnish varnish-modules)"
    elif not glob.glob("/usr/lib/*/varnish/vmods/libvmod_xkey.so") + glob.glob(
        "/usr/lib*/varnish/vmods/libvmod_xkey.so"
    ):
        missing = "Varnish's xkey vmod is not installed (apt-get install varnish-modules)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing}: .ci/run installs it")
        pytest.skip(missing)
    return VARNISHD


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_varnish(varnishd, folder, backend, purgers=varnish.LOCALHOST):
    """Run varnishd with the repository's VCL in front of ``backend``; yield its address; stop it at the end."""
    include = folder / "vcl"
    include.mkdir(parents=True)
    (include / varnish.SITE_VCL).write_text(varnish.site_vcl(backends=[backend], purgers=purgers))
    port = free_port()
    log = folder / "varnishd.log"
    command = [
        varnishd,
        "-F",
        # No change of user: the test's folders belong to whoever runs the tests.
        "-j",
        "none",
        "-n",
        str(folder / "work"),
        "-a",
        f"127.0.0.1:{port}",
        "-T",
        "none",
        "-s",
        "malloc,32m",
        "-p",
        f"vcl_path={include}:{VCL.parent}",
        "-f",
        str(VCL),
    ]
    with log.open("wb") as output:
        # A session of its own, so the manager and its cache child are stopped together.
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"varnishd exited with {process.returncode}:\n{log.read_text(errors='replace')}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            if time.monotonic() > deadline:
                pytest.fail(f"varnishd did not listen within a minute:\n{log.read_text(errors='replace')}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def app_address(live_server):
    return f"127.0.0.1:{urlsplit(live_server.url).port}"


@pytest.fixture(scope="module")
def cdn(varnishd, live_server, tmp_path_factory):
    """The address of a Varnish in front of the live server, which takes purges from this machine."""
    with running_varnish(varnishd, tmp_path_factory.mktemp("varnish"), app_address(live_server)) as address:
        yield address


class Answer:
    def __init__(self, response):
        self.status = response.status
        self.headers = response.headers
        self.text = response.read().decode()

    def cookies(self):
        return "; ".join(self.headers.get_all("Set-Cookie") or [])

    @property
    def cache(self):
        return self.headers.get("X-Cache")


def fetch(base, path, method="GET", headers=None, body=None):
    """Ask base (http://host:port) for path and return the Answer."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        return Answer(connection.getresponse())
    finally:
        connection.close()


# Every test names its own pages, since one Varnish serves the whole module.


def test_a_readers_page_is_drawn_once_and_then_served_by_varnish(cdn, live_server):
    first = fetch(cdn, "/keyed/first/a1+p9/")
    time.sleep(1.1)
    second = fetch(cdn, "/keyed/first/a1+p9/")

    assert first.status == second.status == 200
    assert (first.cache, second.cache) == ("MISS", "HIT")
    assert second.text == first.text
    assert int(second.headers["Age"]) >= 1
    # The keys are for Varnish; readers do not get them, but the app sends them.
    assert second.headers.get("xkey") is None and second.headers.get("Surrogate-Key") is None
    direct = fetch(live_server.url, "/keyed/first/a1+p9/")
    assert (direct.headers["xkey"], direct.headers["Surrogate-Key"]) == ("a1 p9", "a1 p9")
    assert direct.text != first.text


def test_cookies_other_than_the_session_are_dropped_and_readers_share_one_copy(cdn):
    first = fetch(cdn, "/keyed/cookies/a3/")
    with_cookies = fetch(cdn, "/keyed/cookies/a3/", headers={"Cookie": "_ga=GA1.2.3; consent=yes"})

    assert with_cookies.cache == "HIT"
    assert with_cookies.text == first.text


def test_a_session_or_authorization_goes_to_the_app_every_time(cdn):
    fetch(cdn, "/keyed/signed-in/a4/")
    answers = [
        fetch(cdn, "/keyed/signed-in/a4/", headers={"Cookie": "consent=yes; sessionid=abc123"}),
        fetch(cdn, "/keyed/signed-in/a4/", headers={"Cookie": "sessionid=abc123"}),
        fetch(cdn, "/keyed/signed-in/a4/", headers={"Authorization": "Basic ZWRkaWU6c2VjcmV0"}),
    ]

    assert [answer.cache for answer in answers] == ["PASS"] * 3
    assert len({answer.text for answer in answers}) == 3


@pytest.mark.parametrize("prefix", ["/admin/keyed", "/preview/keyed"])
def test_the_desk_and_previews_are_never_cached_even_when_they_say_they_may_be(cdn, prefix):
    answers = [fetch(cdn, f"{prefix}/desk/a5/") for _ in range(2)]

    assert [answer.cache for answer in answers] == ["PASS", "PASS"]
    assert answers[0].text != answers[1].text


@pytest.mark.parametrize("kind", ["private", "no-store", "with-cookie", "unmarked"])
def test_responses_the_app_does_not_mark_shareable_are_not_kept(cdn, kind):
    answers = [fetch(cdn, f"/{kind}/kept/") for _ in range(2)]

    assert [answer.status for answer in answers] == [200, 200]
    assert answers[1].cache != "HIT"
    assert answers[0].text != answers[1].text


def test_a_conditional_get_is_answered_304_by_varnish(cdn):
    first = fetch(cdn, "/keyed/conditional/a6/")
    etag = first.headers["ETag"]
    conditional = fetch(cdn, "/keyed/conditional/a6/", headers={"If-None-Match": etag})
    other = fetch(cdn, "/keyed/conditional/a6/", headers={"If-None-Match": '"something-else"'})

    assert (conditional.status, conditional.cache, conditional.text) == (304, "HIT", "")
    assert (other.status, other.cache, other.text) == (200, "HIT", first.text)


def test_a_page_past_its_lifetime_is_never_served_stale_but_revalidated_with_the_app(cdn, live_server):
    first = fetch(cdn, "/short/expiring/e1/")
    time.sleep(1.5)
    later = fetch(cdn, "/short/expiring/e1/")
    again = fetch(cdn, "/short/expiring/e1/")

    # Not served stale while refetched: this request itself went to the app ...
    assert later.cache == "MISS"
    # ... which answered Varnish's If-None-Match with 304, so the copy it had is kept and served on.
    assert later.text == again.text == first.text
    assert again.cache == "HIT"
    drawn_since = int(fetch(live_server.url, "/short/expiring/e1/").text.split()[1]) - int(first.text.split()[1])
    assert drawn_since >= 2


def test_purging_a_key_refreshes_exactly_the_pages_that_show_it(cdn, caplog):
    pages = {"/keyed/purge/a1/": "a1", "/keyed/purge/a1+a2/": "a1 a2", "/keyed/purge/a2/": "a2"}
    before = {path: fetch(cdn, path).text for path in pages}
    assert {path: fetch(cdn, path).cache for path in pages} == dict.fromkeys(pages, "HIT")

    caplog.set_level("INFO", logger="newsroom.purge")
    purge.VarnishAdapter(servers=[cdn]).purge_keys(["a1"])

    after = {path: fetch(cdn, path) for path in pages}
    assert {path: answer.cache for path, answer in after.items()} == {
        "/keyed/purge/a1/": "MISS",
        "/keyed/purge/a1+a2/": "MISS",
        "/keyed/purge/a2/": "HIT",
    }
    assert after["/keyed/purge/a1/"].text != before["/keyed/purge/a1/"]
    assert after["/keyed/purge/a2/"].text == before["/keyed/purge/a2/"]
    # The operator's log says how much went.
    assert re.search(r"purged [1-9]\d* objects for 1 keys: a1", caplog.text)


def test_purging_an_address_refreshes_that_page_only(cdn):
    fetch(cdn, "/keyed/by-address/b1/")
    fetch(cdn, "/keyed/by-address-too/b1/")

    purge.VarnishAdapter(servers=[cdn]).purge_urls([f"{cdn}/keyed/by-address/b1/"])

    assert fetch(cdn, "/keyed/by-address/b1/").cache == "MISS"
    assert fetch(cdn, "/keyed/by-address-too/b1/").cache == "HIT"


def test_purge_keys_purges_every_configured_cache_in_front(cdn, settings):
    settings.NEWSROOM = {
        **settings.NEWSROOM,
        "PURGE_ADAPTERS": [
            {"BACKEND": "articles.platform.purge.VarnishAdapter", "OPTIONS": {"servers": [cdn], "timeout": 2}},
            {"BACKEND": "articles.platform.purge.RecordingAdapter"},
        ],
    }
    fetch(cdn, "/keyed/configured/c1/")

    purge.purge_keys(["c1", "home", "c1"])

    assert purge.cdn_configured()
    assert fetch(cdn, "/keyed/configured/c1/").cache == "MISS"
    assert purge.configured_adapters()[1].keys == ["c1", "home"]


def test_a_purge_from_an_address_not_allowed_is_refused(varnishd, live_server, tmp_path):
    # This Varnish takes purges from one documentation address only, so not from this machine.
    with running_varnish(varnishd, tmp_path, app_address(live_server), purgers=["192.0.2.1"]) as guarded:
        first = fetch(guarded, "/keyed/guarded/d1/")
        refused = fetch(guarded, "/", method="PURGE", headers={"xkey-purge": "d1"})
        refused_address = fetch(guarded, "/keyed/guarded/d1/", method="PURGE")
        with pytest.raises(purge.PurgeFailed, match=r"refused the purge: 403"):
            purge.VarnishAdapter(servers=[guarded]).purge_keys(["d1"])
        still = fetch(guarded, "/keyed/guarded/d1/")

    assert refused.status == refused_address.status == 403
    assert (still.cache, still.text) == ("HIT", first.text)


def test_with_varnish_down_purges_fail_at_once_and_the_app_still_answers(live_server):
    down = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    with pytest.raises(purge.PurgeFailed, match=r"Varnish 127\.0\.0\.1:\d+ could not be reached"):
        purge.VarnishAdapter(servers=[down], timeout=2).purge_keys(["a1"])

    assert time.monotonic() - started < 2
    assert fetch(live_server.url, "/keyed/down/a1/").status == 200


def test_a_varnish_that_does_not_answer_fails_within_the_timeout():
    # A socket that takes connections (the kernel completes them) but never answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        adapter = purge.VarnishAdapter(servers=[f"http://127.0.0.1:{silent.getsockname()[1]}"], timeout=0.5)
        started = time.monotonic()
        with pytest.raises(purge.PurgeFailed, match="timed out"):
            adapter.purge_keys(["a1"])

    assert 0.4 < time.monotonic() - started < 2


def test_one_unreachable_cache_does_not_stop_the_others_from_being_purged(settings):
    settings.NEWSROOM = {
        **settings.NEWSROOM,
        "PURGE_ADAPTERS": [
            {"BACKEND": "articles.platform.purge.RecordingAdapter", "OPTIONS": {"fail": True}},
            {"BACKEND": "articles.platform.purge.RecordingAdapter"},
        ],
    }

    with pytest.raises(purge.PurgeFailed, match="told to fail"):
        purge.purge_keys(["s4", "a123"])

    assert purge.configured_adapters()[1].keys == ["a123", "s4"]


def test_without_adapters_there_is_no_cache_in_front_and_purging_does_nothing(settings):
    settings.NEWSROOM = {key: value for key, value in settings.NEWSROOM.items() if key != "PURGE_ADAPTERS"}

    purge.purge_keys(["a1"])

    assert not purge.cdn_configured()


@pytest.mark.parametrize("key", ["", "a b", "a1\r\nX-Evil: 1", "a,b", "ä1", "k" * 129, 7])
def test_anything_but_a_short_token_is_refused_as_a_key_before_any_request(key):
    adapter = purge.RecordingAdapter()

    with pytest.raises(ValueError, match="Not a surrogate key"):
        adapter.purge_keys(["a1", key])
    assert adapter.keys == []


def test_the_readers_site_and_the_desk_work_through_varnish(cdn, seed, django_user_model):
    django_user_model.objects.create_superuser("eddie", password="correct horse battery")

    home = fetch(cdn, "/")
    assert home.status == 200 and html.escape(seed.headline) in home.text

    login = fetch(cdn, "/admin/login/")
    assert (login.status, login.cache) == (200, "PASS")
    csrf = re.search(r"csrftoken=([^;]+)", login.cookies()).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    signed_in = fetch(
        cdn,
        "/admin/login/",
        method="POST",
        headers={"Cookie": f"csrftoken={csrf}", "Content-Type": "application/x-www-form-urlencoded"},
        body=f"csrfmiddlewaretoken={token}&username=eddie&password=correct+horse+battery&next=/admin/",
    )
    assert signed_in.status == 302, signed_in.text
    session = re.search(r"sessionid=([^;]+)", signed_in.cookies()).group(1)

    desk = fetch(cdn, "/admin/", headers={"Cookie": f"csrftoken={csrf}; sessionid={session}"})
    assert (desk.status, desk.cache) == (200, "PASS")
    assert "Log out" in desk.text
    # A signed-in reader's page is the app's own, never the shared copy.
    assert fetch(cdn, "/", headers={"Cookie": f"sessionid={session}"}).cache == "PASS"


def test_the_committed_site_include_is_what_varnish_vcl_writes_by_default():
    written = io.StringIO()
    call_command("varnish_vcl", stdout=written)

    assert written.getvalue() == (VCL.parent / varnish.SITE_VCL).read_text()


def test_a_site_include_for_several_app_servers_and_purging_networks_compiles(varnishd, tmp_path, settings):
    settings.ADMIN_PATH = "desk.v2/"
    call_command(
        "varnish_vcl",
        "--backend=127.0.0.1:8000",
        "--backend=[::1]:8001",
        "--purge-from=10.0.0.0/8, 2001:db8::/32",
        f"--output={tmp_path}",
    )
    text = (tmp_path / varnish.SITE_VCL).read_text()
    compiled = subprocess.run(
        [varnishd, "-C", "-p", f"vcl_path={tmp_path}:{VCL.parent}", "-f", str(VCL)],
        capture_output=True,
        text=True,
    )

    assert compiled.returncode == 0, compiled.stderr[-2000:]
    assert '"10.0.0.0"/8;' in text and '"127.0.0.1";' in text
    assert r'"^/desk\.v2([/?]|$)"' in text


@pytest.mark.parametrize(
    "options",
    [
        {"desk_path": 'admin"; } sub vcl_recv { return (pipe); } #/'},
        {"session_cookie": 'sessionid" || true || "'},
        {"purgers": ['127.0.0.1"; "0.0.0.0"/0']},
        {"backends": ["app.example:80; .host"]},
    ],
)
def test_the_site_include_refuses_values_that_would_change_the_vcl(options):
    arguments = {"backends": ["127.0.0.1:8000"], "purgers": ["127.0.0.1"], **options}

    with pytest.raises(ValueError):
        varnish.site_vcl(**arguments)
