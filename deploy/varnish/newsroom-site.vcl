# Newsroom's site include for deploy/varnish/newsroom.vcl, written by `manage.py varnish_vcl`.

backend app1 {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}

# The addresses allowed to send PURGE; everyone else gets 403.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub newsroom_backend {
    set req.backend_hint = app1;
}

# Passed to the app uncached: the desk (settings.ADMIN_PATH), previews, and anyone with a session
# cookie (settings.SESSION_COOKIE_NAME).
sub newsroom_pass {
    if (req.url ~ "^/admin([/?]|$)" || req.url ~ "^/preview/") {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;)\s*sessionid=") {
        return (pass);
    }
}
