"""Field encryption proofs: round trip, freshness, integrity, binding, wrong keys."""

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from caseflow.crypto import aead
from caseflow.crypto.keyring import Keyring, KeyringError
from caseflow.crypto.keys import set_keyring
from caseflow.extensions import db
from caseflow.survivors.models import Survivor
from testkit.factories import UserFactory, make_survivor

KEY = bytes(range(32))
KEY_ID = uuid.UUID(int=7)
CONTEXT = aead.field_context("survivors", "phone_ct", uuid.UUID(int=1))


@given(st.binary(max_size=2000))
def test_round_trip_any_bytes(plaintext):
    assert aead.open_field(KEY, aead.seal_field(KEY, KEY_ID, plaintext, CONTEXT), CONTEXT) == plaintext


def test_two_encryptions_of_the_same_value_differ():
    assert aead.seal_field(KEY, KEY_ID, b"same", CONTEXT) != aead.seal_field(KEY, KEY_ID, b"same", CONTEXT)


def test_any_flipped_bit_fails():
    sealed = aead.seal_field(KEY, KEY_ID, b"+51 999 000 111", CONTEXT)
    for position in range(len(sealed) * 8):
        tampered = bytearray(sealed)
        tampered[position // 8] ^= 1 << (position % 8)
        with pytest.raises(aead.DecryptionError):
            aead.open_field(KEY, bytes(tampered), CONTEXT)


def test_ciphertext_is_bound_to_table_column_and_row():
    sealed = aead.seal_field(KEY, KEY_ID, b"secret", CONTEXT)
    for other in (
        aead.field_context("survivors", "phone_ct", uuid.UUID(int=2)),
        aead.field_context("survivors", "address_ct", uuid.UUID(int=1)),
        aead.field_context("cases", "phone_ct", uuid.UUID(int=1)),
    ):
        with pytest.raises(aead.DecryptionError):
            aead.open_field(KEY, sealed, other)


def test_wrapped_key_fails_under_another_kek_or_id():
    wrapped = aead.wrap_key("k1", KEY, b"d" * 32, KEY_ID)
    assert aead.unwrap_key(KEY, wrapped, KEY_ID) == b"d" * 32
    with pytest.raises(aead.DecryptionError):
        aead.unwrap_key(bytes(32), wrapped, KEY_ID)
    with pytest.raises(aead.DecryptionError):
        aead.unwrap_key(KEY, wrapped, uuid.UUID(int=8))


def test_stored_survivor_round_trips_and_holds_only_ciphertext(app):
    worker = UserFactory()
    survivor = make_survivor(worker, phone="+51 911 222 333", given_names="Zoila Sintética")
    db.session.expire_all()
    stored = db.session.get(Survivor, survivor.id)
    assert stored.phone == "+51 911 222 333"
    assert b"911 222 333" not in stored.phone_ct and b"Zoila" not in stored.given_names_ct


def test_swapped_ciphertexts_between_rows_fail_loudly(app):
    worker = UserFactory()
    first, second = make_survivor(worker), make_survivor(worker)
    first.phone_ct, second.phone_ct = second.phone_ct, first.phone_ct
    db.session.commit()
    db.session.expire_all()
    with pytest.raises(aead.DecryptionError):
        db.session.get(Survivor, first.id).phone


def test_ciphertext_moved_to_another_column_fails(app):
    survivor = make_survivor(UserFactory())
    survivor.address_ct = survivor.phone_ct
    db.session.commit()
    db.session.expire_all()
    with pytest.raises(aead.DecryptionError):
        db.session.get(Survivor, survivor.id).address


def test_a_wrong_keyring_cannot_read(app):
    survivor = make_survivor(UserFactory())
    set_keyring(Keyring.generate())
    db.session.expire_all()
    with pytest.raises(aead.DecryptionError):
        db.session.get(Survivor, survivor.id).phone


def test_tampered_stored_ciphertext_fails_over_http(client, app):
    from testkit.api import bearer

    worker = UserFactory()
    survivor = make_survivor(worker)
    tampered = bytearray(survivor.phone_ct)
    tampered[-1] ^= 0x01
    survivor.phone_ct = bytes(tampered)
    db.session.commit()
    response = client.get(f"/api/v1/survivors/{survivor.id}", headers=bearer(worker))
    # Degraded to the record (tests/keys/test_unreadable_records.py): marked, the value null.
    assert response.status_code == 200 and response.get_json()["unreadable"] is True
    assert response.get_json()["phone"] is None
    # The row is untouched: nothing "repaired" it silently.
    db.session.expire_all()
    assert db.session.scalar(select(Survivor.phone_ct).where(Survivor.id == survivor.id)) == bytes(tampered)


def test_keyring_file_is_private_and_round_trips(tmp_path):
    path = tmp_path / "keyring.json"
    ring = Keyring.generate()
    ring.write(path)
    assert path.stat().st_mode & 0o777 == 0o600
    loaded = Keyring.load(None, str(path))
    assert loaded.primary_kek == ring.primary_kek and loaded.audit_key == ring.audit_key


@pytest.mark.parametrize("text", ["", "{}", '{"format": "caseflow-keyring/1"}', "not json"])
def test_malformed_keyrings_are_refused(text):
    with pytest.raises(KeyringError):
        Keyring.from_json(text)


def test_a_value_read_once_is_not_kept_past_a_change_of_its_ciphertext(app):
    # A field read twice in a request is decrypted once; what is kept must never outlive the
    # ciphertext it came from: a new value, or another row's ciphertext put in its place.
    worker = UserFactory()
    first, second = make_survivor(worker, phone="+51 900 000 001"), make_survivor(worker)
    assert first.phone == "+51 900 000 001" and first.phone == "+51 900 000 001"
    first.phone = "+51 900 000 002"
    assert first.phone == "+51 900 000 002"
    first.address_ct = first.phone_ct  # the same bytes in another column: bound to phone_ct
    with pytest.raises(aead.DecryptionError):
        first.address
    first.phone_ct = second.phone_ct  # her field, another row's ciphertext
    with pytest.raises(aead.DecryptionError):
        first.phone
    db.session.rollback()
