"""No personal data in logs: private tokens and e-mail addresses are masked in every record."""

import logging
import re

from registrations.core.tokens import PRIVATE_PATH

TOKEN_IN_PATH = PRIVATE_PATH  # /r/, /i/, /c/, /h/ and /s/ paths (registrations.core.tokens.PRIVATE_PATH_PREFIXES)
EMAIL = re.compile(r"[^\s@/<>\"'=:;,()\[\]]+@[^\s@/<>\"'=:;,()\[\]]+\.[A-Za-z]{2,}")


def redact(text: str) -> str:
    """Replace private tokens in URLs and anything shaped like an e-mail address."""
    return EMAIL.sub("<email>", TOKEN_IN_PATH.sub(r"\1<token>", text))


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record is logged as it is
            return True
        record.msg, record.args = redact(message), ()
        return True
