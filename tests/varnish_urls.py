"""Pages for the Varnish tests, in front of the site's own URLs.

Each page says how many times the app has drawn a page so far, so a test sees whether Varnish answered
or the app did. ``keyed`` pages carry surrogate keys in ``xkey`` and ``Surrogate-Key`` and the
Cache-Control the page cache sends when a CDN is configured; the others answer the ways Varnish must
not keep. Every page is streamed: the app's own page cache (on in the live server) keeps no streamed
response, so each request that reaches the app draws its page afresh.
"""

import hashlib
import itertools

from django.http import StreamingHttpResponse
from django.urls import include, path

drawn = itertools.count(1)
CDN_CACHE_CONTROL = "public, max-age=0, s-maxage=60, must-revalidate"


def page(request):
    return StreamingHttpResponse([f"drawn {next(drawn)}\n"], content_type="text/plain; charset=utf-8")


def keyed(request, label, keys, cache_control=CDN_CACHE_CONTROL):
    """A reader's page showing the things named by ``keys`` ("a1+a2")."""
    response = page(request)
    response["Cache-Control"] = cache_control
    # The same page always has the same ETag, as the page cache's pages of one content version do.
    response["ETag"] = '"' + hashlib.sha256(request.path.encode()).hexdigest()[:16] + '"'
    response["xkey"] = response["Surrogate-Key"] = keys.replace("+", " ")
    return response


def answered(cache_control=None, cookie=False):
    def view(request, label):
        response = page(request)
        if cache_control:
            response["Cache-Control"] = cache_control
        if cookie:
            response.set_cookie("seen", "1")
        return response

    return view


urlpatterns = [
    path("keyed/<slug:label>/<str:keys>/", keyed),
    # Pages under the desk's path and previews that claim to be shareable: Varnish passes them all the same.
    # A page Varnish may keep for one second only.
    path(
        "short/<slug:label>/<str:keys>/",
        keyed,
        {"cache_control": "public, max-age=0, s-maxage=1, must-revalidate"},
    ),
    path("admin/keyed/<slug:label>/<str:keys>/", keyed),
    path("preview/keyed/<slug:label>/<str:keys>/", keyed),
    path("private/<slug:label>/", answered("private, max-age=60")),
    path("no-store/<slug:label>/", answered("no-store")),
    path("with-cookie/<slug:label>/", answered(CDN_CACHE_CONTROL, cookie=True)),
    path("unmarked/<slug:label>/", answered()),
    path("", include("newsroom.urls")),
]
