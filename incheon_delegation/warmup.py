"""What every worker would otherwise do on its first requests, done once in gunicorn's master before it forks.

With ``preload_app`` the master imports the app; the URL resolver, the translation catalogues, the public
templates and Django's e-mail validator (two large regular expressions compiled on first use) are still
built lazily, by each worker, on its first requests: about 50 ms for the first page and 35 ms for the first
submission, paid four times right after a restart, when a burst of people arrives. Built in the master, the
workers inherit them. No database or cache connection is opened (none may be shared across a fork).

Then ``freeze_for_fork``: what the master holds is moved out of the garbage collector's reach, as Python's
``gc.freeze`` documentation advises before a fork. Otherwise every worker's first full collection walks the
master's 330,000-345,000 objects and writes to each of their headers: 125-156 ms of CPU (a pause a submission can
take while it holds the seat lock) and ~56 MiB of the master's memory copied into each worker. Frozen: 0.0-0.2 ms
and 0.1-0.4 MiB (``bench/fork_gc.py`` prints both).
"""

import gc

from django.conf import settings
from django.core.validators import validate_email
from django.db import connections
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

# The pages a QR scan and a submission lead to, and the error pages a crowd can meet.
TEMPLATES = (
    "registrations/delegation_detail.html",
    "registrations/register.html",
    "registrations/registration_closed.html",
    "registrations/registration_detail.html",
    "400.html",
    "404.html",
    "429.html",
    "500.html",
)


def warm_up() -> None:
    get_resolver().reverse_dict  # noqa: B018  (imports every URLconf and view module, builds the reverse lookup)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Register")  # loads the language's catalogues
    for name in TEMPLATES:
        get_template(name)
    validate_email("warm-up@example.com")
    connections.close_all()


def freeze_for_fork() -> None:
    """Every object the master holds now is left alone by the collector, in the master and in the workers it forks."""
    gc.collect()  # what is garbage already goes now, rather than being kept frozen for good
    gc.freeze()
