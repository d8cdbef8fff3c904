"""The client's address: REMOTE_ADDR, or what a trusted proxy says in X-Forwarded-For.

Behind nginx, REMOTE_ADDR is the proxy. X-Forwarded-For is only believed when REMOTE_ADDR is one
of ``settings.TRUSTED_PROXIES`` (DJANGO_TRUSTED_PROXIES), and then only from the right: each
trusted proxy appends the address it saw, so the last address that is not a trusted proxy is the
client. Anything further left was written by the client and could be anything.

IPv6 clients are counted by their /64 network: one phone or household holds a whole /64 and can
pick a new address in it for every request, so each address alone would get its own budget.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

MAX_ADDRESS_LENGTH = 64
IPV6_GROUP_PREFIX = 64


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


def address_group(address: str) -> str:
    """IPv4 as it is; IPv6 as the first address of its /64 (an IPv4-mapped IPv6 address as the IPv4 one)."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, IPV6_GROUP_PREFIX), strict=False).network_address)
    return str(ip)


def _client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if not is_trusted_proxy(remote):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if not is_trusted_proxy(address):
            return address[:MAX_ADDRESS_LENGTH]
    return forwarded[0][:MAX_ADDRESS_LENGTH] if forwarded else remote


def client_address(request: HttpRequest) -> str:
    """The address rate limits and login lockouts (AXES_CLIENT_IP_CALLABLE) are counted against: IPv6 by /64."""
    return address_group(_client_ip(request))
