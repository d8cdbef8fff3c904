"""The client's address: REMOTE_ADDR, or what a trusted proxy says in X-Forwarded-For.

Behind nginx, REMOTE_ADDR is the proxy. X-Forwarded-For is only believed when REMOTE_ADDR is one
of ``settings.TRUSTED_PROXIES`` (DJANGO_TRUSTED_PROXIES), and then only from the right: each
trusted proxy appends the address it saw, so the last address that is not a trusted proxy is the
client. Anything further left was written by the client and could be anything.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

MAX_ADDRESS_LENGTH = 64


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def is_trusted_proxy(address: str) -> bool:
    """True when ``address`` is in DJANGO_TRUSTED_PROXIES (addresses or networks)."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    """The address rate limits and login lockouts are counted against."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not is_trusted_proxy(remote):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if not is_trusted_proxy(address):
            return address[:MAX_ADDRESS_LENGTH]
    return forwarded[0][:MAX_ADDRESS_LENGTH] if forwarded else remote
