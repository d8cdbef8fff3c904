"""gunicorn's logger with private tokens masked in the access log (see gunicorn.conf.py)."""

from gunicorn.glogging import Logger

from registrations.core.log_filters import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("U", "r", "q", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms
