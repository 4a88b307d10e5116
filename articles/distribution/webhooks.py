"""Webhooks: a subscriber's address receives a signed POST of the story as ninjs 3.1 when it changes.

The desk says what happened (articles.core.events.story_event, sent by articles/desk/publishing.py);
this module queues one delivery task per active subscriber listening to that event, in the change's
own transaction (articles.platform.tasks.enqueue_with_change), so a save that rolls back sends nothing
and publishing never waits for a subscriber.

A delivery is tried once per task. A timeout, a refused connection, a 5xx or a 429 queues the next
attempt after a growing wait (NEWSROOM["WEBHOOK_BACKOFF_SECONDS"]); after NEWSROOM["WEBHOOK_ATTEMPTS"]
attempts, or at once on any other answer that is not 2xx, the delivery gives up and the subscriber is
marked failing until a later delivery gets through. Every attempt is a Delivery row the desk lists.

The body is {"event": …, "occurred_at": …, "item": <ninjs>} in UTF-8, the same bytes on every attempt.
It is signed: X-Newsroom-Signature is "sha256=" and the hex HMAC-SHA256, keyed with the subscriber's
secret, of the X-Newsroom-Timestamp header's value, a full stop, and the body.
"""

import hashlib
import hmac
import http.client
import json
import socket
import ssl
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.utils import timezone

from articles.core import events, outbound
from articles.core.timefmt import iso_utc
from articles.interchange.ninjs import NINJS_SCHEMA, NINJS_VERSION, to_ninjs
from articles.models import Article, Delivery, Subscriber, outbound_allowance
from articles.platform.tasks import enqueue_with_change, task, task_backends

RESPONSE_READ_LIMIT = 4096  # bytes of a subscriber's answer read before the connection is closed
USER_AGENT = "Newsroom-Webhooks/1"
Outcome = Delivery.Outcome


def connect():
    """Queue deliveries whenever the desk announces an event."""
    events.story_event.connect(queue_deliveries, dispatch_uid="webhooks-queue-deliveries")


def option(name, default):
    return settings.NEWSROOM.get(name, default)


def queue_deliveries(sender, *, event, guid, article=None, subscribers=None, **kwargs):
    """Queue one delivery of event per active subscriber listening to it (or per subscriber given, for a ping).

    Return the ids the deliveries go by.
    """
    if subscribers is None:
        subscribers = [s for s in Subscriber.objects.filter(active=True) if s.listens_to(event)]
    if not subscribers:
        return []
    body = body_of(event, guid=guid, article=article)
    ids = []
    for subscriber in subscribers:
        delivery_id = str(uuid.uuid4())
        enqueue_with_change(deliver, subscriber.pk, event, guid, body, delivery_id, 1)
        ids.append(delivery_id)
    return ids


def body_of(event, *, guid, article=None):
    """Return the text POSTed for an event: the event, when it happened, and the story as ninjs.

    A killed story is gone by the time anyone reads it: its item says only which story it was and that
    it is cancelled.
    """
    document = {"event": event, "occurred_at": iso_utc(timezone.now())}
    if event == events.KILL:
        document["item"] = {
            "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA},
            "uri": guid,
            "type": "text",
            "pubStatus": "canceled",
        }
        if article is not None:
            document["item"]["headlines"] = [{"role": "main", "value": article.headline}]
    elif article is not None:
        story = Article.objects.with_story_parts().get(pk=article.pk)
        site = option("SITE_URL", "http://127.0.0.1:8000")
        document["item"] = to_ninjs(story, absolute=lambda path: urljoin(site, path))
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def signature(secret, timestamp, body):
    """Return the X-Newsroom-Signature of body (bytes) sent at timestamp (the header's text)."""
    signed = timestamp.encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no answer (timeout, refused connection)
    error: str
    duration_ms: int
    retry_after: int | None = None  # seconds, from a 429's or 503's Retry-After

    @property
    def delivered(self):
        return self.status is not None and 200 <= self.status < 300

    @property
    def worth_retrying(self):
        return self.status is None or self.status >= 500 or self.status == 429


@task
def deliver(subscriber_id, event, guid, body, delivery_id, attempt=1):
    """Make one attempt at a delivery, record it, and queue the next one if it failed for a passing reason."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or not subscriber.active:
        return "skipped"
    data = body.encode("utf-8")
    try:
        target, addresses = outbound.checked_addresses(subscriber.url, **outbound_allowance())
    except outbound.RefusedTarget as refusal:
        answer = Answer(status=None, error=str(refusal), duration_ms=0)
        final = True
    else:
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Newsroom-Event": event,
            "X-Newsroom-Delivery": delivery_id,
            "X-Newsroom-Timestamp": timestamp,
            "X-Newsroom-Signature": signature(subscriber.secret, timestamp, data),
        }
        answer = post(target, addresses[0], data, headers, timeout=option("WEBHOOK_TIMEOUT_SECONDS", 5))
        # A test ping is tried once: the operator is watching for its answer now.
        final = not answer.worth_retrying or attempt >= option("WEBHOOK_ATTEMPTS", 6) or event == events.PING
    if answer.delivered:
        outcome = Outcome.DELIVERED
    else:
        outcome = Outcome.GAVE_UP if final else Outcome.RETRYING
    Delivery.objects.create(
        subscriber=subscriber,
        delivery_id=delivery_id,
        event=event,
        article_guid=guid,
        payload_sha256=hashlib.sha256(data).hexdigest(),
        attempt=attempt,
        outcome=outcome,
        status_code=answer.status,
        error=answer.error,
        duration_ms=answer.duration_ms,
    )
    if outcome == Outcome.DELIVERED:
        Subscriber.objects.filter(pk=subscriber.pk, failing=True).update(failing=False, failing_since=None)
    elif outcome == Outcome.GAVE_UP:
        Subscriber.objects.filter(pk=subscriber.pk, failing=False).update(failing=True, failing_since=timezone.now())
    else:
        retry(answer, subscriber_id, event, guid, body, delivery_id, attempt)
    return outcome


def backoff_seconds(attempt, retry_after=None):
    """Return how long to wait after failed attempt number `attempt` (1 for the first)."""
    waits = option("WEBHOOK_BACKOFF_SECONDS", [10, 60, 300, 1800, 7200]) or [0]
    wait = waits[min(attempt, len(waits)) - 1]
    if retry_after is not None:
        # The subscriber's own wish, within the longest wait of the schedule.
        wait = max(wait, min(retry_after, waits[-1]))
    return wait


def retry(answer, subscriber_id, event, guid, body, delivery_id, attempt):
    """Queue the next attempt after the backoff; a queue that cannot wait runs it at once."""
    queued = deliver
    if task_backends[deliver.backend].supports_defer:
        wait = backoff_seconds(attempt, answer.retry_after)
        queued = deliver.using(run_after=timezone.now() + timedelta(seconds=wait))
    queued.enqueue(subscriber_id, event, guid, body, delivery_id, attempt + 1)


class PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to the address that was checked, whatever the host name resolves to by now."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.pinned_address = str(address)

    def connect(self):
        self.sock = socket.create_connection((self.pinned_address, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to the checked address, verifying the certificate of the host name (SNI too)."""

    def __init__(self, host, port, *, address, timeout):
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.pinned_address = str(address)

    def connect(self):
        raw = socket.create_connection((self.pinned_address, self.port), self.timeout)
        try:
            self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)
        except BaseException:
            raw.close()
            raise


def post(target, address, data, headers, *, timeout):
    """POST data to target at address; return the Answer. Redirects are answers, never followed."""
    kind = PinnedHTTPSConnection if target.scheme == "https" else PinnedHTTPConnection
    connection = kind(target.host, target.port, address=address, timeout=timeout)
    started = time.monotonic()
    try:
        connection.request("POST", target.path, body=data, headers=headers)
        response = connection.getresponse()
        response.read(RESPONSE_READ_LIMIT)
        status = response.status
        retry_after = response.getheader("Retry-After", "")
    except TimeoutError:
        return Answer(None, f"no answer within {timeout} s", elapsed_ms(started))
    except (OSError, http.client.HTTPException) as error:
        return Answer(None, f"{type(error).__name__}: {error}"[:500], elapsed_ms(started))
    finally:
        connection.close()
    error = "" if 200 <= status < 300 else f"answered {status}"
    if 300 <= status < 400:
        error += " (redirects are not followed)"
    wait = int(retry_after) if retry_after.strip().isdigit() else None
    return Answer(status, error, elapsed_ms(started), retry_after=wait)


def elapsed_ms(started):
    return round((time.monotonic() - started) * 1000)
