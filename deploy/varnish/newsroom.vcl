# Varnish in front of Newsroom's app servers (Varnish 7.1 with the xkey vmod of varnish-modules).
#
# Readers' pages are cached as long as the app's Cache-Control allows (s-maxage first, then max-age)
# and are thrown out by surrogate key the moment content changes: the app lists the keys of what a page
# shows in its xkey header and, after a write, sends "PURGE" with an "xkey-purge: k1 k2 ..." header.
# The desk, previews, signed-in sessions and everything but GET and HEAD go to the app uncached.
#
# What differs between installations lives in the include, newsroom-site.vcl: the app servers
# (sub newsroom_backend), who may purge (acl purgers), the desk's path and the session cookie's name
# (sub newsroom_pass). Write it with `manage.py varnish_vcl` (`make serve-cdn` does), which reads the
# last two from the settings, and put its folder first in varnishd's vcl_path:
#   varnishd -p vcl_path=/etc/varnish/newsroom:/path/to/deploy/varnish -f /path/to/deploy/varnish/newsroom.vcl
# deploy/varnish/newsroom-site.vcl is the include with the defaults (app on 127.0.0.1:8000, purges from
# this machine only, the desk at /admin/, the cookie "sessionid").
vcl 4.1;

import std;
import xkey;

include "newsroom-site.vcl";

sub vcl_recv {
    call newsroom_backend;
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            std.log("PURGE refused from " + client.ip);
            return (synth(403, "Purging is not allowed from this address"));
        }
        if (req.http.xkey-purge) {
            # A hard purge: a page that shows a changed story is fetched afresh by its next reader,
            # never served stale while it is refetched.
            set req.http.xkey-purged = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged"));
        }
        return (purge);
    }
    # An absolute-form request line ("GET http://host/path") is matched and cached by its path.
    if (req.url ~ "(?i)^https?://") {
        set req.url = regsub(req.url, "(?i)^https?://[^/]*", "");
        if (req.url !~ "^/") {
            set req.url = "/" + req.url;
        }
    }
    call vcl_req_host;
    # Odd methods are piped, and everything but GET and HEAD passed, as Varnish's builtin does.
    call vcl_req_method;
    # The desk, previews and signed-in sessions: the paths and the cookie name come from the site include.
    call newsroom_pass;
    call vcl_req_authorization;
    # Any other cookie (analytics, consent banners) changes nothing on a reader's page: dropping them
    # lets every reader share one copy.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_fetch {
    # The app sees no purge bookkeeping.
    unset bereq.http.xkey-purge;
}

sub vcl_backend_response {
    # Only what the app says may be kept is kept: a response without Cache-Control or Expires (an error
    # page, a redirect the app did not mark) would otherwise stay for Varnish's default TTL.
    if (!beresp.http.Cache-Control && !beresp.http.Expires) {
        set beresp.ttl = 0s;
    }
    # must-revalidate: never serve a page past its lifetime while a fresh one is fetched. The stale
    # copy is still kept a while so that Varnish can ask the app "If-None-Match" and take a 304.
    if (beresp.http.Cache-Control ~ "(?i)must-revalidate") {
        set beresp.grace = 0s;
    }
    set beresp.keep = 1h;
    # The builtin then refuses to keep responses with Set-Cookie, private, no-store, no-cache or a
    # lifetime of 0 (as hit-for-miss, so that the next request goes to the app at once).
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The keys are the app's business with Varnish; readers do not need them.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
}

sub vcl_synth {
    if (req.method == "PURGE") {
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        if (req.http.xkey-purged) {
            # How many cached objects carried one of the keys; the purge adapter logs it.
            set resp.http.xkey-purged = req.http.xkey-purged;
            set resp.body = "Purged " + req.http.xkey-purged + " objects" + {"
"};
        } else {
            set resp.body = resp.reason + {"
"};
        }
        return (deliver);
    }
}
