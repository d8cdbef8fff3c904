#!/bin/sh
# Run a management command with the app's environment, for cron: deploy/manage.sh purge_personal_data
set -eu
cd /srv/delegation
set -a
. /etc/delegation/env
set +a
exec /srv/delegation/.venv/bin/python manage.py "$@"
