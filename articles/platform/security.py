"""Response headers Django has no setting for, the client's address, request rate limits and login lockout."""

import ipaddress
import time

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from csp.utils import build_policy
from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum

RATE_WINDOW_SECONDS = 60


class PolicyHeadersMiddleware:
    """Send the site's Content-Security-Policy and Permissions-Policy on every response.

    Both policies are the same for every page: no view relaxes them and no page uses a nonce. So the
    CSP header is built from settings.CONTENT_SECURITY_POLICY once, with django-csp's own builder,
    rather than by django-csp's middleware on every response (31 µs each, a fifth of the time the
    rest of the middleware takes). A view that needs a different policy sets the header itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.content_security_policy = build_policy()
        self.permissions_policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.content_security_policy)
        response.setdefault("Permissions-Policy", self.permissions_policy)
        return response


def client_address(request):
    """Return the client's IP address: the socket's, or the one the trusted proxies received the request from.

    Each proxy appends the address it was reached from to X-Forwarded-For, so with TRUSTED_PROXY_HOPS
    proxies in front the client is that many entries from the right; entries further left are
    whatever the client chose to send. Also django-axes' AXES_CLIENT_IP_CALLABLE.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_HOPS
    if hops <= 0:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < hops:
        # Fewer entries than proxies: the request did not come through all of them, so none can be believed.
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-hops]))
    except ValueError:
        return remote


def seconds_until_allowed(request, kind, *, now=None):
    """Count a request of this kind from the client; return 0 if it is within the limit, else the seconds to wait.

    The limit is settings.NEWSROOM["RATE_LIMITS"][kind] requests a minute from one address (0: none),
    counted through Django's cache, so with Redis every worker and server shares the count.
    """
    limit = settings.NEWSROOM.get("RATE_LIMITS", {}).get(kind, 0)
    if limit <= 0:
        return 0
    now = time.time() if now is None else now
    window = int(now // RATE_WINDOW_SECONDS)
    key = f"newsroom:rate:{kind}:{client_address(request)}:{window}"
    cache.add(key, 0, RATE_WINDOW_SECONDS + 1)
    try:
        count = cache.incr(key)
    except ValueError:
        # The count is gone (evicted, or the cache is unreachable): readers are let through, not refused.
        return 0
    if count <= limit:
        return 0
    return max(1, int((window + 1) * RATE_WINDOW_SECONDS - now))


def too_many_requests(response, wait):
    """Return response as a 429 that tells the client when to come back and that no cache may keep."""
    response.status_code = 429
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "no-store"
    return response


class LoginLockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler, with a limit of its own for one address across every username.

    Axes compares one number, the largest count among AXES_LOCKOUT_PARAMETERS, with one limit,
    AXES_FAILURE_LIMIT. Here the count for the address alone is scaled so that it reaches that limit
    exactly when it reaches LOGIN_FAILURE_LIMIT_PER_ADDRESS: spraying passwords across many usernames
    is stopped without one reader's typing slips locking out everyone at the same address.
    """

    def get_failures(self, request, credentials=None):
        limit = get_failure_limit(request, credentials)
        per_address = settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
        counts = [0]
        parameters = get_lockout_parameters(request, credentials)
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == "ip_address":
                failures = failures * limit // per_address if per_address > 0 else 0
            counts.append(failures)
        return max(counts)
