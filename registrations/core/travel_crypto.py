"""Encryption of travel documents at rest: MultiFernet over the keys in settings.TRAVEL_DOCUMENT_KEYS.

The first key encrypts, every key decrypts, so keys can be rotated (rotate_travel_document_keys).
"""

import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["InvalidToken", "decrypt_json", "encrypt_json", "keys_error", "reencrypt"]


def keys_error() -> str | None:
    """Why the configured keys cannot be used, or None when they can."""
    keys = settings.TRAVEL_DOCUMENT_KEYS
    if not keys:
        return "no key is set."
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            return f"key {number} is not a Fernet key (32 url-safe base64-encoded bytes)."
    return None


def _fernet() -> MultiFernet:
    error = keys_error()
    if error:
        raise ImproperlyConfigured(f"TRAVEL_DOCUMENT_KEYS: {error}")
    return MultiFernet([Fernet(key) for key in settings.TRAVEL_DOCUMENT_KEYS])


def encrypt_json(value: dict) -> str:
    """The value as JSON, encrypted with the first key."""
    return _fernet().encrypt(json.dumps(value, sort_keys=True).encode()).decode()


def decrypt_json(token: str) -> dict:
    """The value stored by encrypt_json (any configured key)."""
    return json.loads(_fernet().decrypt(token.encode()))


def reencrypt(token: str) -> str:
    """The same value encrypted with the first key."""
    return _fernet().rotate(token.encode()).decode()
