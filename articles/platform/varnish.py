"""The site include of deploy/varnish/newsroom.vcl: what differs from one Varnish installation to another.

deploy/varnish/newsroom.vcl holds the caching rules and includes ``newsroom-site.vcl``, which names the
app servers, the addresses allowed to purge, the desk's path and the session cookie. ``manage.py
varnish_vcl`` writes it from the settings and its arguments; every value is checked here, so nothing
typed into an environment variable can change the VCL around it.
"""

import ipaddress
import re

SITE_VCL = "newsroom-site.vcl"
LOCALHOST = ("127.0.0.1", "::1")
# URL path characters a desk path may hold (settings.ADMIN_PATH), and a cookie name's (a token).
PATH_PATTERN = re.compile(r"[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)*")
COOKIE_PATTERN = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")
HOST_PATTERN = re.compile(r"[A-Za-z0-9.-]+")


def backend_address(address):
    """Split "host:port" (or "[v6]:port") into a host and a port, or raise ValueError."""
    host, _, port = address.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"An app server is host:port, not {address!r}")
    if not HOST_PATTERN.fullmatch(host):
        ipaddress.ip_address(host)
    return host, int(port)


def acl_entry(network):
    """Return a network ("10.0.0.0/8", "192.0.2.7", "::1") as a VCL ACL entry, or raise ValueError."""
    parsed = ipaddress.ip_network(network.strip(), strict=False)
    if parsed.prefixlen == parsed.max_prefixlen:
        return f'"{parsed.network_address}";'
    return f'"{parsed.network_address}"/{parsed.prefixlen};'


def pcre_literal(text):
    """Return text as a PCRE pattern that matches it literally (VCL's regular expressions are PCRE)."""
    return re.sub(r"([^A-Za-z0-9/_~-])", r"\\\1", text)


def site_vcl(*, backends, purgers, desk_path="admin/", session_cookie="sessionid"):
    """Return the text of newsroom-site.vcl.

    ``backends`` are "host:port" app servers (requests are spread over several in turn), ``purgers`` the
    networks allowed to purge (localhost is not added here: name it), ``desk_path`` settings.ADMIN_PATH
    and ``session_cookie`` settings.SESSION_COOKIE_NAME.
    """
    desk_path = desk_path.strip("/")
    if not PATH_PATTERN.fullmatch(desk_path):
        raise ValueError(f"The desk's path may hold letters, digits, / . _ ~ - only, not {desk_path!r}")
    if not COOKIE_PATTERN.fullmatch(session_cookie):
        raise ValueError(f"Not a cookie name: {session_cookie!r}")
    servers = [backend_address(address) for address in backends]
    if not servers:
        raise ValueError("Name at least one app server")
    entries = [acl_entry(network) for network in purgers]
    lines = [
        "# Newsroom's site include for deploy/varnish/newsroom.vcl, written by `manage.py varnish_vcl`.",
        "",
    ]
    for number, (host, port) in enumerate(servers, 1):
        lines += [
            f"backend app{number} {{",
            f'    .host = "{host}";',
            f'    .port = "{port}";',
            "    .connect_timeout = 2s;",
            "    .first_byte_timeout = 60s;",
            "}",
            "",
        ]
    lines += [
        "# The addresses allowed to send PURGE; everyone else gets 403.",
        "acl purgers {",
        *(f"    {entry}" for entry in entries),
        "}",
        "",
    ]
    if len(servers) > 1:
        lines += [
            "import directors;",
            "",
            "sub vcl_init {",
            "    new app = directors.round_robin();",
            *(f"    app.add_backend(app{number});" for number in range(1, len(servers) + 1)),
            "}",
            "",
            "sub newsroom_backend {",
            "    set req.backend_hint = app.backend();",
            "}",
            "",
        ]
    else:
        lines += ["sub newsroom_backend {", "    set req.backend_hint = app1;", "}", ""]
    lines += [
        "# Passed to the app uncached: the desk (settings.ADMIN_PATH), previews, and anyone with a session",
        "# cookie (settings.SESSION_COOKIE_NAME).",
        "sub newsroom_pass {",
        f'    if (req.url ~ "^/{pcre_literal(desk_path)}([/?]|$)" || req.url ~ "^/preview/") {{',
        "        return (pass);",
        "    }",
        f'    if (req.http.Cookie ~ "(^|;)\\s*{pcre_literal(session_cookie)}=") {{',
        "        return (pass);",
        "    }",
        "}",
    ]
    return "\n".join(lines) + "\n"
