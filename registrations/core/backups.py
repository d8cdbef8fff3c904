"""Consistent database backups: pg_dump for PostgreSQL, SQLite's online backup API otherwise.

A backup holds personal data: files are written owner-only (0600) into an owner-only directory,
first under a temporary name, so that a half-written file never looks like a backup.
"""

import os
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from django.db import connections
from django.utils import timezone

BACKUP_SUFFIXES = {"postgresql": ".dump", "sqlite": ".sqlite3"}


class BackupError(Exception):
    pass


def _pg_dump(settings_dict: dict, target: Path) -> None:
    command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            command.append(f"{option}={settings_dict[key]}")
    command.append(f"--dbname={settings_dict['NAME']}")
    env = {**os.environ, **({"PGPASSWORD": settings_dict["PASSWORD"]} if settings_dict.get("PASSWORD") else {})}
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")


def _sqlite_backup(settings_dict: dict, target: Path) -> None:
    source = sqlite3.connect(str(settings_dict["NAME"]))
    destination = sqlite3.connect(str(target))
    try:
        with destination:
            source.backup(destination)
    finally:
        destination.close()
        source.close()


def database_backup(*, directory: Path, alias: str = "default", now: datetime | None = None) -> Path:
    """Write a consistent backup of the database into ``directory`` and return its path."""
    connection = connections[alias]
    if connection.vendor not in BACKUP_SUFFIXES:
        raise BackupError(f"No backup method for the {connection.vendor} database.")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = (now or timezone.now()).strftime("%Y%m%dT%H%M%SZ")
    name = Path(str(connection.settings_dict["NAME"])).stem
    target = directory / f"{name}-{stamp}{BACKUP_SUFFIXES[connection.vendor]}"
    partial = target.with_name(target.name + ".partial")
    partial.touch(mode=0o600)
    try:
        (_pg_dump if connection.vendor == "postgresql" else _sqlite_backup)(connection.settings_dict, partial)
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def backups_prune(*, directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups in ``directory``; return the deleted paths."""
    # Names end in a UTC timestamp, so by name is by age.
    backups = sorted((path for path in directory.glob("*") if path.suffix in BACKUP_SUFFIXES.values()), reverse=True)
    for path in backups[keep:]:
        path.unlink()
    return backups[keep:]
