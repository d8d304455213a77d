"""A keyring that belongs to its database.

A process started with another keyring (a newly generated one, say, with the same KEK id)
would serve and write: new data keys under a KEK the real keyring cannot unwrap, audit
entries chained under another key. Every process therefore compares its keyring with the
check values the database holds before it serves or runs a command, and refuses to start on
a mismatch (one line, exit 1).

Check values are written the first time a process starts with a keyring whose key has none
yet (a new database at ``caseflow init``, an existing database at its first start after the
upgrade, a new KEK after a rotation); before writing one, the key is tried on what the
database already holds (the audit chain's last entry, a data key wrapped by that KEK), so a
wrong keyring cannot write its own checks on a database that has data.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError

from caseflow.config import ConfigError
from caseflow.core.clock import utcnow
from caseflow.crypto import aead
from caseflow.crypto.keyring import Keyring, KeyringError
from caseflow.extensions import db

log = logging.getLogger("caseflow.keys")


class KeyringMismatch(ConfigError):
    """The keyring does not belong to this database."""


def check_value(name: str, key: bytes) -> str:
    return hmac.new(key, b"caseflow-key-check:" + name.encode("ascii"), hashlib.sha256).hexdigest()


def _keys(ring: Keyring) -> dict[str, bytes]:
    keys = {"audit": ring.audit_key}
    keys.update({f"kek:{kid}": key for kid, key in ring.keks.items()})
    keys.update({f"index:{version}": key for version, key in ring.index_keys.items()})
    return keys


def _describe(name: str) -> str:
    kind, _, ident = name.partition(":")
    return {"audit": "audit key", "kek": f"KEK {ident}", "index": f"blind-index key {ident}"}[kind]


def _stored() -> dict[str, str] | None:
    """The database's check values; None when there is no table yet (before ``init``)."""
    from caseflow.keys.models import KeyCheck

    try:
        return dict(db.session.execute(select(KeyCheck.name, KeyCheck.value)).all())
    except DBAPIError:
        db.session.rollback()
        return None


def _contradicted_by_data(name: str, key: bytes) -> bool:
    """Whether the database already holds something this key should open and does not."""
    from caseflow.audit.models import CHAINED_COLUMNS, AuditEntry, canonical
    from caseflow.crypto.models import DataKey

    if name == "audit":
        head = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
        if head is None:
            return False
        body = json.dumps(canonical({c: getattr(head, c) for c in CHAINED_COLUMNS}), sort_keys=True,
                          separators=(",", ":"), default=str)
        expected = hmac.new(key, (head.prev_hash + body).encode(), hashlib.sha256).hexdigest()
        return not hmac.compare_digest(expected, head.hash)
    if name.startswith("kek:"):
        kek_id = name.partition(":")[2]
        record = db.session.scalars(select(DataKey).where(DataKey.kek_id == kek_id).limit(1)).first()
        if record is None:
            return False
        try:
            aead.unwrap_key(key, record.wrapped, record.id)
        except aead.DecryptionError:
            return True
    return False


def ensure_keyring_belongs(ring: Keyring) -> int:
    """Raise :class:`KeyringMismatch` unless every key of ``ring`` matches the database's
    check values; write the missing ones. Returns how many were written."""
    from caseflow.keys.models import KeyCheck

    stored = _stored()
    if stored is None:
        return 0
    written = 0
    for name, key in _keys(ring).items():
        value = check_value(name, key)
        if name in stored:
            if not hmac.compare_digest(stored[name], value):
                raise KeyringMismatch(
                    f"the keyring does not belong to this database: its {_describe(name)} is not the one "
                    "the database was set up with")
            continue
        if _contradicted_by_data(name, key):
            raise KeyringMismatch(
                f"the keyring does not belong to this database: its {_describe(name)} does not open the "
                "data the database holds")
        db.session.add(KeyCheck(name=name, value=value, created_at=utcnow()))
        written += 1
    if written:
        try:
            db.session.commit()
        except IntegrityError:  # another process wrote them first: compare with its values
            db.session.rollback()
            return ensure_keyring_belongs(ring)
    else:
        db.session.rollback()
    return written


def check_at_start(app) -> None:
    """Called by ``create_app``: every server worker and every command."""
    from caseflow.crypto.keys import reload_keyring

    with app.app_context():
        try:
            ring = reload_keyring()
        except (KeyringError, OSError):
            return  # no keyring yet (before ``init`` in development); production refuses earlier
        try:
            ensure_keyring_belongs(ring)
        except KeyringMismatch:
            raise
        except DBAPIError as error:
            # The database is unreachable: the request path reports that (503); the check
            # runs at the next start.
            log.warning("keyring check skipped: database %s", type(error).__name__)
        finally:
            # Nothing of the check stays open: no connection carried into forked workers,
            # none left behind by a process that refuses to start.
            db.session.remove()
            db.engine.dispose()
