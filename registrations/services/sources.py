"""Sources: recording a scan of a short link.

One row per scan (an insert, never a read-modify-write of a counter), so any number of
simultaneous scans are all counted. No IP address is stored: only the time and a coarse
device class read from the User-Agent.
"""

import re

from registrations.models import Source, SourceScan

Device = SourceScan.Device

_BOT = re.compile(r"bot|crawl|spider|slurp|preview|facebookexternalhit|headless|curl|wget|python-|okhttp|java/|go-http", re.I)
_TABLET = re.compile(r"ipad|tablet|kindle|silk|playbook|(android(?!.*mobile))", re.I)
_PHONE = re.compile(r"mobile|iphone|ipod|android|windows phone|harmonyos|micromessenger", re.I)
_DESKTOP = re.compile(r"windows nt|macintosh|mac os x|x11|linux|cros", re.I)


def device_class(user_agent: str) -> str:
    """A coarse device class (phone, tablet, computer, robot, other) from a User-Agent string."""
    for pattern, device in ((_BOT, Device.BOT), (_TABLET, Device.TABLET), (_PHONE, Device.PHONE), (_DESKTOP, Device.DESKTOP)):
        if pattern.search(user_agent or ""):
            return device
    return Device.OTHER


def source_scan_record(*, source: Source, user_agent: str) -> SourceScan:
    """Record one scan of a source's short link: time, device class, WeChat or not; never an IP."""
    user_agent = (user_agent or "")[:1000]
    return SourceScan.objects.create(
        source=source,
        device=device_class(user_agent),
        in_wechat="micromessenger" in user_agent.lower(),
    )
