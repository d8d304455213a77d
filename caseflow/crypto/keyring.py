"""The keyring: key-encryption keys (versioned), blind-index keys and the audit key.

It lives outside the database and the repository (a 0600 file, or the ``CASEFLOW_KEYRING``
variable). Only KEKs wrap data keys; blind-index and audit keys are separate secrets so
that knowing one never helps with another.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

KEYRING_FORMAT = "caseflow-keyring/1"
KEY_BYTES = 32


class KeyringError(RuntimeError):
    pass


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (ValueError, TypeError) as exc:
        raise KeyringError(f"keyring: {what} is not base64") from exc
    if len(raw) != KEY_BYTES:
        raise KeyringError(f"keyring: {what} must be {KEY_BYTES} bytes")
    return raw


@dataclass
class Keyring:
    keks: dict[str, bytes]
    primary_kek_id: str
    index_keys: dict[int, bytes]
    audit_key: bytes
    retired_keks: set[str] = field(default_factory=set)

    # -- construction -------------------------------------------------------------------
    @classmethod
    def generate(cls) -> "Keyring":
        return cls(
            keks={"k1": secrets.token_bytes(KEY_BYTES)},
            primary_kek_id="k1",
            index_keys={1: secrets.token_bytes(KEY_BYTES)},
            audit_key=secrets.token_bytes(KEY_BYTES),
        )

    @classmethod
    def from_json(cls, text: str) -> "Keyring":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise KeyringError("keyring: not valid JSON") from exc
        if not isinstance(data, dict) or data.get("format") != KEYRING_FORMAT:
            raise KeyringError(f"keyring: expected format {KEYRING_FORMAT}")
        try:
            keks = {kid: _unb64(entry["key"], f"KEK {kid}") for kid, entry in data["keks"].items()}
            retired = {kid for kid, entry in data["keks"].items() if entry.get("retired")}
            primary = data["primary_kek"]
            index_keys = {
                int(version): _unb64(key, f"index key {version}")
                for version, key in data["index_keys"].items()
            }
            audit_key = _unb64(data["audit_key"], "audit key")
        except (KeyError, TypeError, AttributeError) as exc:
            raise KeyringError("keyring: missing or malformed entry") from exc
        if primary not in keks or primary in retired:
            raise KeyringError("keyring: the primary KEK must exist and not be retired")
        return cls(keks, primary, index_keys, audit_key, retired)

    @classmethod
    def load(cls, inline: str | None, path: str | None) -> "Keyring":
        if inline:
            return cls.from_json(inline)
        if not path or not Path(path).is_file():
            raise KeyringError(f"keyring: no keyring file at {path}")
        return cls.from_json(Path(path).read_text(encoding="utf-8"))

    def to_json(self) -> str:
        now = datetime.now(timezone.utc).isoformat()
        return json.dumps(
            {
                "format": KEYRING_FORMAT,
                "created_at": now,
                "primary_kek": self.primary_kek_id,
                "keks": {
                    kid: {"key": _b64(key), "retired": kid in self.retired_keks}
                    for kid, key in self.keks.items()
                },
                "index_keys": {str(v): _b64(k) for v, k in self.index_keys.items()},
                "audit_key": _b64(self.audit_key),
            },
            indent=2,
        )

    def write(self, path: str | Path) -> None:
        """Write with mode 0600 from the first byte (no window where others can read it)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(self.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)

    # -- use ----------------------------------------------------------------------------
    def kek(self, kek_id: str) -> bytes:
        try:
            return self.keks[kek_id]
        except KeyError:
            raise KeyringError(f"keyring: KEK {kek_id!r} is not in this keyring") from None

    @property
    def primary_kek(self) -> tuple[str, bytes]:
        return self.primary_kek_id, self.keks[self.primary_kek_id]

    def index_key(self, version: int) -> bytes:
        try:
            return self.index_keys[version]
        except KeyError:
            raise KeyringError(f"keyring: no blind-index key version {version}") from None
