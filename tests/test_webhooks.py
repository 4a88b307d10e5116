"""Webhooks: what a subscriber receives when the desk publishes, and what the newsroom refuses to send to.

A real HTTP server on 127.0.0.1 receives the POSTs (the tests allow that address; a newsroom by default
does not). Queued deliveries are run here one at a time, as the worker would run them.
"""

import hashlib
import hmac
import io
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from articles.core import outbound
from articles.core.timefmt import iso_utc
from articles.models import Article, Correction, Delivery, Subscriber
from tests.factories import add_author, make_article, make_desk_user, make_staff
from tests.forms import change_url, form_data
from tests.test_distribution import ninjs_validator

pytestmark = pytest.mark.django_db


class Receiver:
    """A subscriber's server: records each POST and answers with the next planned status (200 when none)."""

    def __init__(self):
        self.requests = []
        self.planned = []
        self.delay = 0.0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                if receiver.delay:
                    time.sleep(receiver.delay)
                status = receiver.planned.pop(0) if receiver.planned else 200
                self.send_response(status)
                if status in (301, 302):
                    self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "2")
                self.end_headers()
                try:
                    self.wfile.write(b"ok")
                except BrokenPipeError:
                    pass  # the newsroom stopped waiting (the timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/newsroom"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.stop()


@pytest.fixture
def loopback_allowed(settings):
    settings.NEWSROOM = {
        **settings.NEWSROOM,
        "WEBHOOK_ALLOWED_HOSTS": ["127.0.0.1"],
        "WEBHOOK_TIMEOUT_SECONDS": 0.5,
        "WEBHOOK_ATTEMPTS": 3,
    }
    return settings


def subscribe(url, **overrides):
    fields = {"name": f"Partner at {url}", "url": url, "secret": "s3cret-shared-with-the-partner"}
    fields.update(overrides)
    return Subscriber.objects.create(**fields)


def queued():
    """Return the deliveries waiting in the database queue, oldest first, as (run_after, args)."""
    rows = DBTaskResult.objects.filter(status="READY").order_by("enqueued_at")
    return [(row.run_after, row.args_kwargs["args"]) for row in rows]


def run_next():
    """Run the oldest queued task now, whatever its run_after (the tests do not wait), as a worker would."""
    row = DBTaskResult.objects.filter(status="READY").order_by("enqueued_at").first()
    assert row is not None, "nothing is queued"
    row.delete()
    task = import_string(row.task_path)
    return task.func(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])


def run_all():
    results = []
    while DBTaskResult.objects.filter(status="READY").exists():
        results.append(run_next())
    return results


def verifies(secret, headers, body):
    """Check a delivery's signature the way the README tells subscribers to."""
    signed = headers["X-Newsroom-Timestamp"].encode() + b"." + body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Newsroom-Signature"])


def publish_on_the_desk(client, article):
    client.force_login(make_desk_user("eddie", "Editor"))
    response = client.post(change_url(article), form_data(client.get(change_url(article)), _publish="Publish"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


# --- what a subscriber receives ---------------------------------------------------------------------


def test_publishing_on_the_desk_posts_the_story_as_signed_ninjs(client, receiver, loopback_allowed):
    subscriber = subscribe(receiver.url)
    article = make_article(headline="Harbour reopens after the storm", status=Article.Status.DRAFT, published_at=None)
    add_author(article)

    publish_on_the_desk(client, article)
    assert len(queued()) == 1
    assert receiver.requests == []  # publishing did not wait for the subscriber
    assert run_next() == Delivery.Outcome.DELIVERED

    [request] = receiver.requests
    body = request["body"]
    assert request["path"] == "/hooks/newsroom"
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert request["headers"]["X-Newsroom-Event"] == "publish"
    assert verifies(subscriber.secret, request["headers"], body)
    assert not verifies("another secret", request["headers"], body)
    assert not verifies(subscriber.secret, request["headers"], body.replace(b"Harbour", b"Harbor"))
    document = json.loads(body)
    assert document["event"] == "publish"
    item = document["item"]
    assert item["uri"] == article.guid
    assert item["headlines"] == [{"role": "main", "value": "Harbour reopens after the storm"}]
    assert item["pubStatus"] == "usable"
    assert item["renditions"][0]["href"].startswith("http://127.0.0.1:8000/")
    assert item["people"][0]["rel"] == "author:author"  # the byline saved with the story is in the item

    [delivery] = Delivery.objects.all()
    assert (delivery.subscriber, delivery.event, delivery.article_guid) == (subscriber, "publish", article.guid)
    assert (delivery.attempt, delivery.status_code, delivery.outcome) == (1, 200, Delivery.Outcome.DELIVERED)
    assert delivery.payload_sha256 == hashlib.sha256(body).hexdigest()
    assert str(delivery.delivery_id) == request["headers"]["X-Newsroom-Delivery"]
    assert delivery.duration_ms is not None
    ninjs_validator().validate(item)  # last: it skips where the official schemas are absent


def test_each_event_of_a_storys_life_reaches_the_subscribers_listening_to_it(client, receiver, loopback_allowed):
    everything = subscribe(receiver.url)
    only_kills = subscribe(receiver.url + "?kills", events=["kill"])
    subscribe(receiver.url + "?paused", active=False)
    editor = make_staff()
    client.force_login(editor)
    article = make_article(status=Article.Status.DRAFT, published_at=None)

    # A draft saved is nobody's business.
    response = client.post(change_url(article), form_data(client.get(change_url(article)), dek="A draft"))
    assert response.status_code == 302
    assert queued() == []

    # Published from the list (a bulk action), edited, corrected, withdrawn, deleted.
    changelist = reverse("admin:articles_article_changelist")
    client.post(changelist, {"action": "publish", "_selected_action": [article.pk]})
    client.post(change_url(article), form_data(client.get(change_url(article)), dek="Sharper standfirst"))
    add_correction = reverse("admin:articles_correction_add")
    data = form_data(
        client.get(add_correction), "correction_form", article=article.pk, text="<p>The harbour is in Tyre.</p>"
    )
    assert client.post(add_correction, data).status_code == 302
    client.post(changelist, {"action": "withdraw", "_selected_action": [article.pk]})
    client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    assert not Article.objects.filter(pk=article.pk).exists()

    run_all()
    sent = [(r["headers"]["X-Newsroom-Event"], "kills" in r["path"]) for r in receiver.requests]
    assert sent == [
        ("publish", False),
        ("update", False),
        ("correct", False),
        ("withdraw", False),
        ("kill", False),
        ("kill", True),
    ]
    documents = [json.loads(r["body"]) for r in receiver.requests]
    assert documents[2]["item"]["descriptions"][-1]["value"] == "<p>The harbour is in Tyre.</p>"
    assert documents[3]["item"]["pubStatus"] == "withheld"
    assert documents[4]["item"]["uri"] == article.guid and documents[4]["item"]["pubStatus"] == "canceled"
    assert {d.subscriber for d in Delivery.objects.all()} == {everything, only_kills}


def test_a_correction_saved_with_the_story_is_one_correct_event(client, receiver, loopback_allowed):
    subscribe(receiver.url)
    article = make_article()
    client.force_login(make_staff())
    data = form_data(
        client.get(change_url(article)),
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-text": "An earlier version misspelt the mayor's name.",
            "corrections-0-published_at_0": "2025-01-01",
            "corrections-0-published_at_1": "10:00:00",
        },
    )
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context["errors"]
    assert Correction.objects.filter(article=article).count() == 1
    assert [args[1] for _, args in queued()] == ["correct"]


def test_loading_a_fixture_of_published_stories_sends_nothing(receiver, loopback_allowed, tmp_path):
    subscribe(receiver.url)
    article = make_article()
    fixture = tmp_path / "story.json"
    out = io.StringIO()
    call_command("dumpdata", "articles.section", "articles.article", natural_foreign=True, natural_primary=True,
                 stdout=out)  # fmt: skip
    fixture.write_text(out.getvalue(), encoding="utf-8")
    Article.objects.all().delete()
    call_command("loaddata", str(fixture), verbosity=0)
    assert Article.objects.get(guid=article.guid).status == Article.Status.PUBLISHED
    assert queued() == []


def test_a_scheduled_story_is_announced_when_it_is_saved_with_its_time(client, receiver, loopback_allowed):
    subscribe(receiver.url)
    later = timezone.now() + timedelta(days=1)
    article = make_article(status=Article.Status.DRAFT, published_at=later)
    client.force_login(make_staff())
    client.post(reverse("admin:articles_article_changelist"), {"action": "publish", "_selected_action": [article.pk]})
    run_all()
    item = json.loads(receiver.requests[0]["body"])["item"]
    article.refresh_from_db()
    assert article.published_at > timezone.now()
    assert item["firstCreated"] == iso_utc(article.published_at) and item["pubStatus"] == "usable"


# --- retries ------------------------------------------------------------------------------------------


def test_a_failing_subscriber_is_retried_with_growing_waits_then_marked_failing(client, receiver, loopback_allowed):
    subscriber = subscribe(receiver.url)
    receiver.planned = [500, 503, 500]
    article = make_article(status=Article.Status.DRAFT, published_at=None)
    publish_on_the_desk(client, article)  # the subscriber's trouble is not the desk's

    waits = []
    for attempt in (1, 2):
        started = timezone.now()
        assert run_next() == Delivery.Outcome.RETRYING
        [(run_after, args)] = queued()
        assert args[-1] == attempt + 1
        waits.append((run_after - started).total_seconds())
    assert 9 <= waits[0] <= 12 and 59 <= waits[1] <= 62  # 10 s, then a minute
    assert run_next() == Delivery.Outcome.GAVE_UP  # the third of 3 attempts
    assert queued() == []

    attempts = list(Delivery.objects.order_by("attempt").values_list("attempt", "status_code", "outcome"))
    assert attempts == [(1, 500, "retrying"), (2, 503, "retrying"), (3, 500, "gave_up")]
    assert len({r["headers"]["X-Newsroom-Delivery"] for r in receiver.requests}) == 1
    assert len({r["body"] for r in receiver.requests}) == 1  # the same bytes every time
    subscriber.refresh_from_db()
    assert subscriber.failing and subscriber.failing_since is not None

    # The desk says so, and the next delivery that gets through clears it.
    client.force_login(make_staff("admin"))
    assert "Failing since" in client.get(reverse("admin:articles_subscriber_changelist")).content.decode()
    client.post(reverse("admin:articles_article_changelist"), {"action": "withdraw", "_selected_action": [article.pk]})
    assert run_next() == Delivery.Outcome.DELIVERED
    subscriber.refresh_from_db()
    assert not subscriber.failing and subscriber.failing_since is None


def test_a_subscriber_that_does_not_answer_in_time_is_retried(client, receiver, loopback_allowed):
    subscribe(receiver.url)
    receiver.delay = 1.5  # the newsroom waits 0.5 s here
    publish_on_the_desk(client, make_article(status=Article.Status.DRAFT, published_at=None))
    started = time.monotonic()
    assert run_next() == Delivery.Outcome.RETRYING
    assert time.monotonic() - started < 1.4
    [delivery] = Delivery.objects.all()
    assert delivery.status_code is None and "no answer within 0.5 s" in delivery.error
    assert len(queued()) == 1


@pytest.mark.parametrize("status", [404, 410, 302])
def test_an_answer_that_will_not_change_is_not_retried(client, receiver, loopback_allowed, status):
    subscriber = subscribe(receiver.url)
    receiver.planned = [status]
    publish_on_the_desk(client, make_article(status=Article.Status.DRAFT, published_at=None))
    assert run_next() == Delivery.Outcome.GAVE_UP
    assert queued() == [] and len(receiver.requests) == 1  # a redirect is not followed either
    assert Delivery.objects.get().status_code == status
    subscriber.refresh_from_db()
    assert subscriber.failing


def test_too_many_requests_is_retried(client, receiver, loopback_allowed):
    subscribe(receiver.url)
    receiver.planned = [429]
    publish_on_the_desk(client, make_article(status=Article.Status.DRAFT, published_at=None))
    assert run_next() == Delivery.Outcome.RETRYING
    assert run_next() == Delivery.Outcome.DELIVERED


def test_publishing_goes_on_while_the_subscriber_is_down(client, loopback_allowed):
    subscribe("http://127.0.0.1:9/nobody-listens")  # the discard port: the connection is refused
    article = make_article(status=Article.Status.DRAFT, published_at=None)
    publish_on_the_desk(client, article)
    assert run_next() == Delivery.Outcome.RETRYING
    assert Delivery.objects.get().error


# --- what the newsroom refuses to send to ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1:8000/hook", "127.0.0.1 is a loopback address"),
        ("http://localhost/hook", "localhost resolves to 127.0.0.1, a loopback address"),
        ("http://10.1.2.3/hook", "10.1.2.3 is a private address"),
        ("http://192.168.0.10/hook", "192.168.0.10 is a private address"),
        ("http://169.254.169.254/latest/meta-data", "169.254.169.254 is a link-local address"),
        ("http://[::1]/hook", "::1 is a loopback address"),
        ("http://[::ffff:10.0.0.1]/hook", "::ffff:10.0.0.1 is a private address"),
        ("http://[::ffff:127.0.0.1]/hook", "::ffff:127.0.0.1 is a loopback address"),
        ("http://[2002:7f00:1::]/hook", "is a loopback address"),
        ("http://[64:ff9b::a9fe:a9fe]/hook", "is a link-local address"),
        ("http://0.0.0.0/hook", "0.0.0.0 is an unspecified address"),
        ("http://224.0.0.1/hook", "224.0.0.1 is a multicast address"),
        ("ftp://example.com/hook", "Only http and https addresses"),
        ("file:///etc/passwd", "Only http and https addresses"),
        ("https://user:pw@93.184.215.14/hook", "user name or password"),
    ],
)
def test_private_addresses_and_other_schemes_are_refused(url, why):
    with pytest.raises(outbound.RefusedTarget, match=why.replace("[", r"\[").replace(".", r"\.")):
        outbound.checked_addresses(url)


def test_a_public_address_is_accepted_and_the_operator_may_allow_a_private_one():
    target, addresses = outbound.checked_addresses("https://93.184.215.14/hooks?x=1")
    assert (target.scheme, target.port, target.path, [str(a) for a in addresses]) == (
        "https",
        443,
        "/hooks?x=1",
        ["93.184.215.14"],
    )
    outbound.checked_addresses("http://10.1.2.3/hook", allowed=["10.1.0.0/16"])
    outbound.checked_addresses("http://localhost/hook", allowed=["localhost"])
    outbound.checked_addresses("http://192.168.0.10/hook", allow_private=True)
    with pytest.raises(outbound.RefusedTarget):
        outbound.checked_addresses("http://10.2.0.1/hook", allowed=["10.1.0.0/16"])


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://localhost:8000/hook", "localhost resolves to 127.0.0.1, a loopback address"),
        ("http://10.0.0.5/hook", "10.0.0.5 is a private address"),
        ("ftp://example.com/hook", "Only http and https addresses can receive webhooks, not “ftp:”."),
    ],
)
def test_the_desk_refuses_a_subscriber_on_a_private_host_saying_why(client, url, message):
    client.force_login(make_staff())
    response = client.post(
        reverse("admin:articles_subscriber_add"),
        {"name": "Partner", "url": url, "events": ["publish", "kill"], "active": "on", "secret": "abc"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Subscriber.objects.exists()


def test_the_desk_adds_a_subscriber_with_a_generated_secret(client, loopback_allowed, receiver):
    client.force_login(make_staff())
    add = reverse("admin:articles_subscriber_add")
    data = form_data(client.get(add), form_id="subscriber_form", name="Partner", url=receiver.url)
    assert len(data["secret"]) >= 40
    response = client.post(add, {**data, "events": ["publish", "withdraw"]})
    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert (subscriber.events, subscriber.secret) == (["publish", "withdraw"], data["secret"])
    page = client.get(reverse("admin:articles_subscriber_change", args=[subscriber.pk])).content.decode()
    assert data["secret"] in page  # readable on the desk, to give to the subscriber

    # The test ping goes out at once, whatever events the subscriber listens to.
    response = client.post(
        reverse("admin:articles_subscriber_changelist"),
        {"action": "send_test_ping", "_selected_action": [subscriber.pk]},
    )
    assert response.status_code == 302
    assert run_next() == Delivery.Outcome.DELIVERED
    assert json.loads(receiver.requests[0]["body"])["event"] == "ping"
    deliveries = client.get(reverse("admin:articles_delivery_changelist")).content.decode()
    assert "Test ping" in deliveries and "Delivered" in deliveries


def test_reporters_see_no_subscribers_and_deliveries_are_read_only(client, loopback_allowed, receiver):
    subscriber = subscribe(receiver.url)
    client.force_login(make_desk_user("eddie", "Editor"))
    assert client.get(reverse("admin:articles_subscriber_changelist")).status_code == 403
    client.force_login(make_staff())
    assert client.get(reverse("admin:articles_delivery_add")).status_code == 403
    Delivery.objects.create(subscriber=subscriber, delivery_id="0" * 32, event="kill", attempt=1, outcome="delivered")
    page = client.get(reverse("admin:articles_delivery_change", args=[Delivery.objects.get().pk])).content.decode()
    assert 'name="_save"' not in page


def test_a_subscriber_whose_address_turned_private_gets_nothing(client, receiver, settings):
    # Saved while the operator allowed loopback addresses, or written straight into the database.
    subscriber = subscribe(f"http://localhost:{receiver.port}/hooks")
    publish_on_the_desk(client, make_article(status=Article.Status.DRAFT, published_at=None))
    assert run_next() == Delivery.Outcome.GAVE_UP
    assert receiver.requests == []
    assert "resolves to 127.0.0.1, a loopback address" in Delivery.objects.get().error
    subscriber.refresh_from_db()
    assert subscriber.failing


def test_the_connection_goes_to_the_address_that_was_checked(client, receiver, loopback_allowed, monkeypatch):
    """A name is resolved once and the request sent to that address, with the name as its Host."""
    subscribe(f"http://hooks.partner.test:{receiver.port}/in")
    lookups = []

    def resolve(host, port):
        lookups.append(host)
        return [outbound.ipaddress.ip_address("127.0.0.1")]

    monkeypatch.setattr(outbound, "resolve", resolve)
    publish_on_the_desk(client, make_article(status=Article.Status.DRAFT, published_at=None))
    assert run_next() == Delivery.Outcome.DELIVERED
    assert lookups == ["hooks.partner.test"]
    assert receiver.requests[0]["headers"]["Host"] == f"hooks.partner.test:{receiver.port}"


def test_saving_a_published_story_unchanged_tells_nobody(client, receiver, loopback_allowed):
    subscribe(receiver.url)
    article = make_article()
    client.force_login(make_staff())
    assert client.post(change_url(article), form_data(client.get(change_url(article)))).status_code == 302
    assert queued() == []
