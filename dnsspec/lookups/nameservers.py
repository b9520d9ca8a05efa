"""Which servers a resolver asks: ``--nameserver`` values, or the system's resolvers."""

from __future__ import annotations

from functools import lru_cache

from dnsspec.errors import ResolveError

Server = tuple[str, int]  # (IP address, port)


def parse_nameserver(text: str) -> Server:
    """``"HOST"``, ``"HOST:PORT"``, ``"[V6]:PORT"`` or a bare IPv6 address → (address, port).

    HOST is an IP address or a host name, looked up once with the system resolver.
    """
    from ipaddress import ip_address

    raw = text.strip()
    host, port = raw, "53"
    if raw.startswith("["):
        host, sep, rest = raw[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise ResolveError(f"invalid nameserver {text!r}: expected [IPV6]:PORT")
        port = rest[1:] or "53"
    elif raw.count(":") == 1:
        host, port = raw.split(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ResolveError(f"invalid nameserver {text!r}: the port must be 1 to 65535")
    try:
        return str(ip_address(host)), int(port)
    except ValueError:
        pass
    return _host_address(text, host), int(port)


def _host_address(text: str, host: str) -> str:
    """A nameserver given by name (``localhost``, ``ns1.example.net``): its first address,
    from the system's resolver (getaddrinfo: /etc/hosts first)."""
    import socket

    if not host or any(c.isspace() or c in "/@" for c in host):
        raise ResolveError(
            f"invalid nameserver {text!r}: expected an IP address or a host name, with an "
            "optional :PORT ([IPV6]:PORT)"
        )
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_UDP)
    except (OSError, UnicodeError) as exc:
        raise ResolveError(
            f"invalid nameserver {text!r}: cannot resolve {host!r} ({exc})"
        ) from None
    return str(found[0][4][0])


def format_server(server: Server) -> str:
    """``127.0.0.1:53``, ``[::1]:53``: how messages name a server."""
    host, port = server
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def system_nameservers() -> list[Server]:
    """The nameservers of /etc/resolv.conf (ResolveError without any).

    The one place dnsspec reads the system's resolver configuration: a resolver
    built without nameservers asks these (the test suite forbids it, see
    tests/conftest.py).
    """
    return list(_read_resolv_conf())


@lru_cache(maxsize=1)
def _read_resolv_conf() -> tuple[Server, ...]:
    import dns.resolver

    try:
        resolver = dns.resolver.Resolver(configure=True)
    except dns.resolver.NoResolverConfiguration as exc:
        raise ResolveError(f"no system DNS resolver configured ({exc}); use --nameserver") from exc
    return tuple(
        (str(getattr(ns, "address", ns)), int(getattr(ns, "port", resolver.port)))
        for ns in resolver.nameservers
    )
