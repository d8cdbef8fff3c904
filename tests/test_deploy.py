"""The deployment files and docs stay true to the code."""

import os
import re
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent


def test_every_cron_line_runs_an_existing_management_command():
    lines = [line for line in (ROOT / "deploy" / "crontab").read_text().splitlines() if line.strip() and not line.startswith("#")]
    commands = [re.search(r"manage\.sh (\S+)", line).group(1) for line in lines]

    assert commands and set(commands) <= set(get_commands())


def test_the_cron_wrapper_is_executable():
    assert os.access(ROOT / "deploy" / "manage.sh", os.X_OK)


def test_every_environment_variable_is_documented_in_the_configuration_reference():
    sources = [ROOT / "incheon_delegation" / "settings.py", ROOT / "gunicorn.conf.py"]
    names = {name for path in sources for name in re.findall(r"""environ\.get\(\s*["']([A-Z_]+)["']""", path.read_text())}
    names |= set(re.findall(r"""env_(?:bool|list)\(\s*["']([A-Z_]+)["']""", sources[0].read_text()))
    reference = (ROOT / "docs" / "configuration.md").read_text()

    assert names and sorted(name for name in names if f"`{name}`" not in reference) == []


def test_the_systemd_unit_and_nginx_sample_point_at_the_app():
    unit = (ROOT / "deploy" / "delegation.service").read_text()
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()

    assert "gunicorn incheon_delegation.wsgi:application" in unit and "EnvironmentFile=/etc/delegation/env" in unit
    assert "X-Forwarded-Proto" in nginx and "X-Forwarded-For" in nginx and "client_max_body_size" in nginx
