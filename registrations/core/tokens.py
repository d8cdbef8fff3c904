"""Opaque tokens in URLs: their shape, a URL converter, and a constant-time comparison."""

import re
import secrets

TOKEN_PATTERN = r"[A-Za-z0-9_-]{16,128}"
_TOKEN_RE = re.compile(TOKEN_PATTERN)

# Paths whose next segment is a secret: /r/<private token>/, /i/<invitation token>/, /c/<check-in code>/,
# /h/<host list token>/, /s/<seat handover token>/. The one list for log masking (Django, gunicorn), the nginx sample's map and admin's "view on site".
PRIVATE_PATH_PREFIXES = ("r", "i", "c", "h", "s")
PRIVATE_PATH = re.compile(r"(/(?:%s)/)[^/\s?#\"']+" % "|".join(PRIVATE_PATH_PREFIXES))


def is_private_path(path: str) -> bool:
    """True for a site path that carries a secret (a private link, an invitation, a check-in code)."""
    return bool(PRIVATE_PATH.match(path or ""))


def token_is_well_formed(value: str) -> bool:
    """URL-safe base64 of at least 96 bits; anything else is refused before the database is asked."""
    return bool(_TOKEN_RE.fullmatch(value or ""))


def token_matches(expected: str, given: str) -> bool:
    """Compare two tokens in constant time."""
    return secrets.compare_digest(expected.encode(), given.encode())


class TokenConverter:
    """``<token:token>`` in URL patterns: anything not shaped like a token is a 404 at once."""

    regex = TOKEN_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
