"""The second factor: TOTP (RFC 6238, by pyotp) and single-use recovery codes.

The TOTP secret is sealed with AES-256-GCM under the primary KEK of the keyring (its id in
the header, so the secret opens after a rotation), bound to her account id: never under the
application's secret key, which signs cookies and is not a key-management secret. Recovery
codes are kept as HMAC-SHA256 digests under a KEK, with the KEK's id beside them.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import uuid

import pyotp
import segno
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from sqlalchemy import select, update

from caseflow.auth.models import RecoveryCode
from caseflow.core.clock import utcnow
from caseflow.crypto.aead import DecryptionError
from caseflow.crypto.keyring import KeyringError
from caseflow.crypto.keys import keyring
from caseflow.extensions import db

ISSUER = "caseflow"
RECOVERY_CODE_COUNT = 10
_FORMAT = 1
_NONCE = 12
#: Codes of the step before and after are accepted too (clock drift of up to 30 s).
VALID_WINDOW = 1


def _aad(header: bytes, user_id: uuid.UUID) -> bytes:
    return header + b"caseflow:users.totp_secret:" + user_id.bytes


def seal_secret(secret: str, user_id: uuid.UUID) -> bytes:
    kek_id, kek = keyring().primary_kek
    kid = kek_id.encode("ascii")
    header = bytes([_FORMAT, len(kid)]) + kid
    nonce = os.urandom(_NONCE)
    return header + nonce + AESGCM(kek).encrypt(nonce, secret.encode("ascii"), _aad(header, user_id))


def open_secret(sealed: bytes, user_id: uuid.UUID) -> str:
    sealed = bytes(sealed)
    if len(sealed) < 2 or sealed[0] != _FORMAT:
        raise DecryptionError("unknown TOTP secret format")
    header_len = 2 + sealed[1]
    header = sealed[:header_len]
    kek = keyring().kek(header[2:].decode("ascii"))
    nonce = sealed[header_len:header_len + _NONCE]
    try:
        return AESGCM(kek).decrypt(nonce, sealed[header_len + _NONCE:], _aad(header, user_id)).decode("ascii")
    except InvalidTag:
        raise DecryptionError("TOTP secret failed authentication") from None


def readable_secret(user) -> str | None:
    """Her TOTP secret, or None when it cannot be opened as hers (copied from another
    account, tampered, sealed by a KEK this keyring lacks): her code is then refused like a
    wrong one, never answered 500; she signs in with a recovery code or an operator resets
    her factor. Logged by user id only."""
    try:
        return open_secret(user.totp_secret, user.id)
    except (DecryptionError, KeyringError):
        current_app.logger.critical("unreadable TOTP secret of user %s (tampered, copied from another "
                                    "account or another keyring)", user.id)
        return None


def sealed_kek_id(sealed: bytes) -> str:
    sealed = bytes(sealed)
    return sealed[2:2 + sealed[1]].decode("ascii")


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning(secret: str, username: str) -> tuple[str, str]:
    """The otpauth:// URI an authenticator app reads, and its QR code as SVG markup."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)
    qr = segno.make(uri, error="m")
    return uri, qr.svg_inline(scale=4, title="caseflow")


def matching_step(secret: str, code: str, moment=None) -> int | None:
    """The time step whose code this is (within the window), or None."""
    if not (isinstance(code, str) and len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    moment = moment or utcnow()
    step = totp.timecode(moment)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        candidate = totp.generate_otp(step + offset)
        if hmac.compare_digest(candidate, code):
            return step + offset
    return None


def claim_step(user_id: uuid.UUID, step: int) -> bool:
    """Record the step as used, in one UPDATE that fails for a step already used (a replay),
    also when two requests present the same code at once."""
    from caseflow.directory.models import User

    done = db.session.execute(
        update(User).where(User.id == user_id, (User.totp_last_step.is_(None)) | (User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False)
    ).rowcount
    return bool(done)


# -- recovery codes -----------------------------------------------------------------------
def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _digest(kek: bytes, user_id: uuid.UUID, code: str) -> str:
    message = b"caseflow:recovery-code:" + user_id.bytes + _normalise_code(code).encode()
    return hmac.new(kek, message, hashlib.sha256).hexdigest()


def new_recovery_codes(user_id: uuid.UUID) -> list[str]:
    """Replace her codes with ten new ones; returns them in clear, to be shown once."""
    db.session.execute(RecoveryCode.__table__.delete().where(RecoveryCode.user_id == user_id))
    kek_id, kek = keyring().primary_kek
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = secrets.token_hex(5)  # 40 bits each, shown as xxxxx-xxxxx
        code = f"{raw[:5]}-{raw[5:]}"
        codes.append(code)
        db.session.add(RecoveryCode(user_id=user_id, kek_id=kek_id, code_digest=_digest(kek, user_id, code)))
    db.session.flush()
    return codes


def looks_like_recovery_code(code: str) -> bool:
    return isinstance(code, str) and len(_normalise_code(code)) == 10


def use_recovery_code(user_id: uuid.UUID, code: str) -> bool:
    """Spend one of her unused codes; False when it is not one (or was used already)."""
    ring = keyring()
    rows = db.session.execute(
        select(RecoveryCode.id, RecoveryCode.kek_id, RecoveryCode.code_digest)
        .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    ).all()
    for row in rows:
        if hmac.compare_digest(row.code_digest, _digest(ring.kek(row.kek_id), user_id, code)):
            # Single use also against a parallel request: only one UPDATE finds it unused.
            return bool(db.session.execute(
                update(RecoveryCode).where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
                .values(used_at=utcnow()).execution_options(synchronize_session=False)
            ).rowcount)
    return False


def remaining_recovery_codes(user_id: uuid.UUID) -> int:
    from sqlalchemy import func

    return db.session.scalar(select(func.count()).select_from(RecoveryCode)
                             .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None)))


def forget(user) -> None:
    """Remove her second factor entirely (her own removal, or the operator's reset)."""
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    db.session.execute(RecoveryCode.__table__.delete().where(RecoveryCode.user_id == user.id))


# -- key rotation -----------------------------------------------------------------------
def secrets_per_kek() -> dict[str, int]:
    """How many TOTP secrets each KEK seals (a KEK is not retired while it seals any)."""
    from caseflow.directory.models import User

    counts: dict[str, int] = {}
    for sealed in db.session.scalars(select(User.totp_secret).where(User.totp_secret.is_not(None))):
        kek_id = sealed_kek_id(sealed)
        counts[kek_id] = counts.get(kek_id, 0) + 1
    return counts


def reseal_under_primary() -> int:
    """Seal every TOTP secret under the primary KEK (after a rotation); returns how many.
    Recovery codes cannot be re-keyed (only their digests are kept): they keep their KEK's
    id and work while that KEK is in the keyring."""
    from caseflow.directory.models import User

    primary = keyring().primary_kek_id
    moved = 0
    for user in db.session.scalars(select(User).where(User.totp_secret.is_not(None))):
        if sealed_kek_id(user.totp_secret) != primary:
            user.totp_secret = seal_secret(open_secret(user.totp_secret, user.id), user.id)
            moved += 1
    db.session.flush()
    return moved
