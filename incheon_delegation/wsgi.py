"""WSGI entry point (gunicorn incheon_delegation.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "incheon_delegation.settings")
application = get_wsgi_application()
