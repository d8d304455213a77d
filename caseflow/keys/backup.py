"""Ciphertext-only backups: the database as it is, never the keyring.

SQLite uses the online backup API (consistent while the service writes); PostgreSQL uses
``pg_dump``/``pg_restore`` (custom format). Restores replace the database in one step and
refuse a file that is not a caseflow database. The keyring is backed up separately, by
the key ceremony, to a different place (docs/operations.md).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import select

from caseflow.crypto.models import DataKey
from caseflow.extensions import db
from caseflow.keys.rotation import KeyOperationError


def _private_file(path: Path) -> None:
    """Create (or truncate) the target readable by its owner only, before any byte is written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    os.chmod(path, 0o600)


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    if not found:
        raise KeyOperationError(f"{name} not found; install the PostgreSQL client tools")
    return found


def _pg_target() -> tuple[str, dict]:
    """A libpq URL without the password (kept out of the process list) and its environment."""
    url = db.engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def kek_ids_needed() -> list[str]:
    return sorted(set(db.session.scalars(select(DataKey.kek_id))))


def create(path: str | Path) -> list[str]:
    """Write a backup; returns the KEK ids needed to read it (for the operator's records)."""
    path = Path(path)
    needed = kek_ids_needed()
    db.session.commit()
    _private_file(path)
    if db.engine.dialect.name == "sqlite":
        source = sqlite3.connect(db.engine.url.database)
        target = sqlite3.connect(path)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        url, env = _pg_target()
        subprocess.run(
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
             "--file", str(path), "--dbname", url],
            check=True, env=env, capture_output=True,
        )
    return needed


def restore(path: str | Path) -> None:
    """Replace the database with the backup's content (stop the service first)."""
    path = Path(path)
    if not path.is_file():
        raise KeyOperationError(f"no backup at {path}")
    db.session.remove()
    db.engine.dispose()
    if db.engine.dialect.name == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" not in tables:
                raise KeyOperationError(f"{path} is not a caseflow SQLite backup")
            target = sqlite3.connect(db.engine.url.database)
            try:
                source.backup(target)
                target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                target.close()
        except sqlite3.DatabaseError as exc:
            raise KeyOperationError(f"{path} is not a caseflow SQLite backup ({exc})") from None
        finally:
            source.close()
    else:
        url, env = _pg_target()
        listing = subprocess.run([_pg_tool("pg_restore"), "--list", str(path)], env=env, capture_output=True, text=True)
        if listing.returncode != 0 or "alembic_version" not in listing.stdout:
            raise KeyOperationError(f"{path} is not a caseflow PostgreSQL backup")
        result = subprocess.run(
            [_pg_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction", "--exit-on-error",
             "--no-owner", "--no-privileges", "--dbname", url, str(path)],
            env=env, capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise KeyOperationError(f"pg_restore failed, database unchanged: {result.stderr.strip()[:500]}")
    db.engine.dispose()
