"""KEK rotation on a live system, and retiring old KEK versions.

A rotation adds a KEK version to the keyring file and makes it primary (new data keys are
wrapped by it at once), then rewraps existing data keys in small batches, each its own
transaction. A rewrap changes the wrapping only, never the data key, so readers holding
either wrapping decrypt the same fields and nothing has to stop. Each row is rewritten
with a compare-and-set on its KEK id, so two runs (or a run and an erasure) never undo each
other; re-running after a crash finishes the job.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import bindparam, func, select, update

from caseflow.audit.services import record
from caseflow.core.batching import keyset_page
from caseflow.core.clock import utcnow
from caseflow.crypto import aead
from caseflow.crypto.keyring import KEY_BYTES, Keyring
from caseflow.crypto.keys import KEYRING_RECHECK_SECONDS, keyring, reload_keyring, set_keyring
from caseflow.crypto.models import DataKey
from caseflow.extensions import db
from caseflow.keys.throttle import FLAT_OUT, Throttle


class KeyOperationError(RuntimeError):
    """An operation was refused; the message tells the operator why. Nothing was changed."""


def keyring_path() -> Path:
    if current_app.config.get("CASEFLOW_KEYRING"):
        raise KeyOperationError(
            "the keyring comes from CASEFLOW_KEYRING; key operations need a keyring file "
            "(CASEFLOW_KEYRING_FILE) they can update"
        )
    return Path(current_app.config["CASEFLOW_KEYRING_FILE"])


def _load_file() -> tuple[Path, Keyring]:
    path = keyring_path()
    return path, Keyring.load(None, str(path))


def _save(path: Path, ring: Keyring) -> None:
    ring.write(path)
    set_keyring(ring)


def next_kek_id(ring: Keyring) -> str:
    numbers = [int(m.group(1)) for kid in ring.keks if (m := re.fullmatch(r"k(\d+)", kid))]
    return f"k{max(numbers, default=0) + 1}"


def add_kek_version() -> str:
    """Add a KEK version to the keyring file and make it primary; returns its id."""
    path, ring = _load_file()
    kek_id = next_kek_id(ring)
    ring.keks[kek_id] = secrets.token_bytes(KEY_BYTES)
    ring.primary_kek_id = kek_id
    _save(path, ring)
    return kek_id


def ensure_index_key(version: int) -> None:
    """Give the keyring file a blind-index key of this version (kept if already there)."""
    path, ring = _load_file()
    if version not in ring.index_keys:
        ring.index_keys[version] = secrets.token_bytes(KEY_BYTES)
        _save(path, ring)


@dataclass
class RotationReport:
    primary: str
    rewrapped: int
    seconds: float


_REWRAP = (
    update(DataKey.__table__)
    .where(DataKey.__table__.c.id == bindparam("key_id"), DataKey.__table__.c.kek_id == bindparam("old_kek_id"))
    .values(kek_id=bindparam("new_kek_id"), wrapped=bindparam("new_wrapped"), rewrapped_at=bindparam("at"))
)


def rewrap_batch(ring: Keyring, batch: int) -> int:
    """Rewrap up to ``batch`` data keys not yet under the primary KEK; one transaction."""
    return _rewrap_after(ring, batch, None)[0]


def _rewrap_after(ring: Keyring, batch: int, after) -> tuple[int, object]:
    """``rewrap_batch`` from the key id ``after`` on: the last id of the previous batch of
    the same pass (keys are taken in id order), so that a batch does not read again past
    the keys earlier batches rewrapped. Returns how many it rewrapped and the last id."""
    primary_id, primary = ring.primary_kek
    statement = select(DataKey.id, DataKey.kek_id, DataKey.wrapped).where(DataKey.kek_id != primary_id)
    rows = db.session.execute(keyset_page(statement, [DataKey.id], after, batch)).all()
    if rows:
        at = utcnow()
        # Compare-and-set: a row another run rewrapped, or an erasure deleted, is left alone.
        # All the batch's rows in one executemany: the statement is the same for each.
        db.session.connection().execute(_REWRAP, [
            {"key_id": key_id, "old_kek_id": kek_id, "new_kek_id": primary_id, "at": at,
             "new_wrapped": aead.wrap_key(primary_id, primary, aead.unwrap_key(ring.kek(kek_id), wrapped, key_id), key_id)}
            for key_id, kek_id, wrapped in rows
        ])
    db.session.commit()
    return len(rows), (rows[-1][0] if rows else None)


def _rewrap_pass(ring: Keyring, batch: int, throttle: Throttle, progress, total: int) -> int:
    """One pass over the data keys in id order; returns how many it rewrapped."""
    rewrapped, after = 0, None
    while True:
        with throttle.step():
            count, after = _rewrap_after(ring, batch, after)
        if not count:
            return rewrapped
        rewrapped += count
        if progress:
            progress(total + rewrapped)


def rotate(*, new_version: bool = True, batch: int = 500, grace: float | None = None,
           throttle: Throttle = FLAT_OUT, progress=None) -> RotationReport:
    """Add a primary KEK (unless resuming) and rewrap every data key under it; ``throttle``
    rests between batches so that live requests keep the database (the command's default
    works a third of the time)."""
    started = time.monotonic()
    if new_version:
        add_kek_version()
    else:
        reload_keyring()
    ring = keyring()
    # Workers in other processes notice the new file within KEYRING_RECHECK_SECONDS; until
    # then they may still wrap new keys with the old primary, so passes repeat after a grace
    # (from the first id again: such a key may sort before where the pass had got to) until
    # a pass after the grace finds nothing left.
    grace = KEYRING_RECHECK_SECONDS * 2 if grace is None else grace
    total, waited = 0, False
    while True:
        count = _rewrap_pass(ring, batch, throttle, progress, total)
        total += count
        if waited and not count:
            break
        time.sleep(grace)
        waited = True
    from caseflow.auth.mfa import reseal_under_primary

    resealed = reseal_under_primary()  # staff's TOTP secrets are sealed under a KEK too
    record("rotate_kek", "keyring", ring.primary_kek_id, detail={"rewrapped": total, "totp_resealed": resealed})
    db.session.commit()
    return RotationReport(ring.primary_kek_id, total, time.monotonic() - started)


def data_keys_per_kek() -> dict[str, int]:
    return dict(db.session.execute(select(DataKey.kek_id, func.count()).group_by(DataKey.kek_id)).all())


def retire(kek_id: str) -> None:
    """Mark a KEK version retired; refused while it is primary or wraps any data key."""
    path, ring = _load_file()
    if kek_id not in ring.keks:
        raise KeyOperationError(f"KEK {kek_id!r} is not in the keyring")
    if kek_id == ring.primary_kek_id:
        raise KeyOperationError(f"KEK {kek_id!r} is the primary; rotate to a new KEK first")
    in_use = data_keys_per_kek().get(kek_id, 0)
    if in_use:
        raise KeyOperationError(
            f"KEK {kek_id!r} still wraps {in_use} data key(s); run `caseflow crypto rotate-kek "
            "--resume` and check `caseflow crypto verify` first"
        )
    from caseflow.auth.mfa import secrets_per_kek

    sealed = secrets_per_kek().get(kek_id, 0)
    if sealed:
        raise KeyOperationError(
            f"KEK {kek_id!r} still seals {sealed} TOTP secret(s); run `caseflow crypto rotate-kek --resume` first")
    ring.retired_keks.add(kek_id)
    _save(path, ring)
    record("retire_kek", "keyring", kek_id)


def destroy(kek_id: str) -> None:
    """Remove a retired KEK's material for good: backups wrapped by it become unreadable."""
    path, ring = _load_file()
    if kek_id not in ring.keks:
        raise KeyOperationError(f"KEK {kek_id!r} is not in the keyring")
    if kek_id not in ring.retired_keks:
        raise KeyOperationError(f"KEK {kek_id!r} is not retired; retire it first")
    in_use = data_keys_per_kek().get(kek_id, 0)
    if in_use:
        raise KeyOperationError(f"KEK {kek_id!r} still wraps {in_use} data key(s)")
    del ring.keks[kek_id]
    ring.retired_keks.discard(kek_id)
    _save(path, ring)
    record("destroy_kek", "keyring", kek_id)
