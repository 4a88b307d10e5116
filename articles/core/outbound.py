"""Where the newsroom may send a request of its own (a webhook): http(s), to hosts that are public.

A subscriber's address is the newsroom's outbound request to wherever an editor pointed it, so it must
not reach the newsroom's own network: the database, the cache, a cloud's metadata service at
169.254.169.254. An address is refused when its host is, or resolves to, any address that is private,
loopback, link-local, multicast, reserved or unspecified, including such an IPv4 address inside an
IPv6 one (::ffff:10.0.0.1, 6to4, NAT64). The check runs on save and again when sending, where the
connection goes to the very address checked, so a name that resolves elsewhere a moment later (DNS
rebinding) changes nothing.

An operator may allow some hosts anyway (a development receiver on 127.0.0.1, a partner inside the
same network): by name, by address or by network.
"""

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext

SCHEMES = {"http": 80, "https": 443}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedTarget(ValueError):
    """An address the newsroom will not send to; the message says why, in words for the desk."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as written, lowercased, without brackets around an IPv6 address
    port: int
    path: str  # with the query, if any


def parsed_target(url: str) -> Target:
    """Return the parts of an http(s) address to send to; raise RefusedTarget for anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise RefusedTarget(gettext("“%(url)s” is not a web address.") % {"url": url}) from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise RefusedTarget(
            gettext("Only http and https addresses can receive webhooks, not “%(scheme)s:”.")
            % {"scheme": scheme or url}
        )
    if not parts.hostname:
        raise RefusedTarget(gettext("“%(url)s” names no host.") % {"url": url})
    if parts.username is not None or parts.password is not None:
        raise RefusedTarget(gettext("A webhook address may not carry a user name or password."))
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme=scheme, host=parts.hostname.lower(), port=port or SCHEMES[scheme], path=path)


def embedded(address: Address) -> list[Address]:
    """Return address and any IPv4 address carried inside it (mapped, 6to4, Teredo, NAT64)."""
    found = [address]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            found.append(address.ipv4_mapped)
        if address.sixtofour is not None:
            found.append(address.sixtofour)
        if address.teredo is not None:
            found.extend(address.teredo)
        if address in _NAT64:
            found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def kind_of(address: Address) -> str | None:
    """Return what makes an address one the newsroom does not send to ("a loopback address"…), or None."""
    # The IPv4 address inside first: what it is says more than the IPv6 block that carries it.
    for inner in reversed(embedded(address)):
        if inner.is_loopback:
            return gettext("a loopback address")
        if inner.is_link_local:
            return gettext("a link-local address")
        if inner.is_multicast:
            return gettext("a multicast address")
        if inner.is_unspecified:
            return gettext("an unspecified address")
        if inner.is_private or inner.is_reserved or not inner.is_global:
            return gettext("a private address")
    return None


def resolve(host: str, port: int) -> list[Address]:
    """Return every address host resolves to (itself, for an IP address); raise RefusedTarget if none."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise RefusedTarget(gettext("No address was found for the host “%(host)s”.") % {"host": host}) from None
    addresses = []
    for _family, _type, _proto, _name, sockaddr in found:
        # An IPv6 address may come with a zone ("fe80::1%eth0"): the part before it is the address.
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def _as_address(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def allowed_by(host: str, address: Address, allowed: Iterable[str]) -> bool:
    """Tell whether the operator's list of allowed hosts (names, addresses, networks) lets this one through."""
    for entry in allowed:
        entry = entry.strip().lower()
        if not entry:
            continue
        if entry == host:
            return True
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            continue
        if any(inner in network for inner in embedded(address) if inner.version == network.version):
            return True
    return False


def checked_addresses(url: str, *, allow_private: bool = False, allowed: Iterable[str] = ()) -> tuple:
    """Return (target, addresses) for an address the newsroom may send to; raise RefusedTarget otherwise.

    Every address the host resolves to must be public (or allowed by the operator): a name with one
    public and one private address could otherwise be steered to the private one.
    """
    target = parsed_target(url)
    addresses = resolve(target.host, target.port)
    allowed = list(allowed)
    if not allow_private:
        for address in addresses:
            kind = kind_of(address)
            if kind is not None and not allowed_by(target.host, address, allowed):
                shown = str(address)
                if shown == target.host or _as_address(target.host) == address:
                    message = gettext("%(host)s is %(kind)s; webhooks go only to public hosts.")
                else:
                    message = gettext("%(host)s resolves to %(address)s, %(kind)s; webhooks go only to public hosts.")
                raise RefusedTarget(message % {"host": target.host, "address": shown, "kind": kind})
    return target, addresses
