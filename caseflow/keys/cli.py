"""Commands for key operations, backups and retention (added to the ``caseflow`` group)."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import with_appcontext

from caseflow.core.commands import act_as_system as _system
from caseflow.core.commands import fail as _fail
from caseflow.extensions import db


def _refusals():
    from caseflow.crypto.keyring import KeyringError
    from caseflow.keys.rotation import KeyOperationError

    return (KeyOperationError, KeyringError)


def add_crypto_commands(group: click.Group) -> None:
    group.add_command(rotate_kek)
    group.add_command(verify)
    group.add_command(retire_kek)
    group.add_command(destroy_kek)
    group.add_command(reencrypt)
    group.add_command(rebuild_index)


def _share_option(command):
    from caseflow.keys.throttle import DEFAULT_SHARE

    return click.option(
        "--share", default=DEFAULT_SHARE, show_default=True, type=click.FloatRange(0, 1, min_open=True),
        help="share of the time the operation works; it rests the remainder after each batch or survivor, "
             "so live requests keep the database (1 = flat out, for a quiet window)")(command)


@click.command("rotate-kek")
@click.option("--resume", is_flag=True, help="finish an interrupted rotation without adding a KEK version")
@click.option("--batch", default=500, show_default=True, help="data keys per transaction")
@_share_option
@click.option("--pause", default=0.0, type=click.FloatRange(min=0), help="extra seconds to rest after each batch")
@click.option("--grace", default=None, type=float, help="seconds to wait for workers to reload the keyring")
@with_appcontext
def rotate_kek(resume, batch, share, pause, grace):
    """Add a KEK version, make it primary and rewrap every data key under it (live)."""
    from caseflow.keys import rotation
    from caseflow.keys.throttle import Throttle

    _system("crypto rotate-kek")
    try:
        report = rotation.rotate(new_version=not resume, batch=batch, throttle=Throttle(share, pause), grace=grace)
    except _refusals() as exc:
        _fail(str(exc))
    rate = report.rewrapped / report.seconds if report.seconds else 0.0
    click.echo(f"primary KEK {report.primary}: {report.rewrapped} data keys rewrapped "
               f"in {report.seconds:.1f}s ({rate:.0f}/s)")
    click.echo(json.dumps({"primary_kek": report.primary, "rewrapped": report.rewrapped,
                           "data_keys_by_kek": rotation.data_keys_per_kek()}))


@click.command("verify")
@with_appcontext
def verify():
    """Decrypt everything; count data keys per KEK and fields per key freshness."""
    from caseflow.keys.verify import verify as run

    report = run()
    summary = report.as_dict()
    for kek_id, count in summary["data_keys_by_kek"].items():
        state = "primary" if kek_id == summary["primary_kek"] else "retired" if kek_id in summary["retired_keks"] else "active"
        hint = " (can be retired)" if not count and state == "active" else ""
        click.echo(f"KEK {kek_id} [{state}]: {count} data keys{hint}")
    click.echo(f"fields: {summary['fields']} ({summary['fields_fresh']} under the current data key, "
               f"{summary['fields_stale']} under a superseded one; {summary['fields_old_binding']} not yet bound "
               "to their owner" + (": run `caseflow crypto reencrypt`)" if summary["fields_old_binding"] else ")"))
    for failure in summary["unreadable"]:
        click.echo(f"unreadable: {failure['table']}.{failure['column']} of row {failure['id']}")
    click.echo(json.dumps(summary))
    if not report.ok:
        click.echo("error: some data keys or fields could not be decrypted", err=True)
        sys.exit(1)


@click.command("retire-kek")
@click.argument("kek_id")
@with_appcontext
def retire_kek(kek_id):
    """Retire a KEK version; refused while it is primary or wraps any data key."""
    from caseflow.keys import rotation

    _system("crypto retire-kek")
    try:
        rotation.retire(kek_id)
    except _refusals() as exc:
        _fail(str(exc))
    db.session.commit()
    click.echo(f"KEK {kek_id} retired; destroy it with `caseflow crypto destroy-kek {kek_id}` "
               "once the oldest backup that needs it has expired")


@click.command("destroy-kek")
@click.argument("kek_id")
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
@with_appcontext
def destroy_kek(kek_id, yes):
    """Delete a retired KEK from the keyring: backups that need it become unreadable."""
    from caseflow.keys import rotation

    if not yes:
        click.confirm(f"Destroy KEK {kek_id}? Backups wrapped by it can never be read again", abort=True)
    _system("crypto destroy-kek")
    try:
        rotation.destroy(kek_id)
    except _refusals() as exc:
        _fail(str(exc))
    db.session.commit()
    click.echo(f"KEK {kek_id} destroyed")


@click.command("reencrypt")
@click.option("--survivor", "survivor_id", type=click.UUID, default=None)
@click.option("--batch", default=200, show_default=True)
@click.option("--restart", is_flag=True, help="start a new run even if one is unfinished")
@click.option("--grace", default=2.0, show_default=True, help="seconds before superseded keys are destroyed")
@_share_option
@with_appcontext
def reencrypt(survivor_id, batch, restart, grace, share):
    """New data keys and fresh ciphertexts, one transaction per survivor; resumes."""
    from caseflow.crypto.aead import DecryptionError
    from caseflow.keys import reencrypt as service
    from caseflow.keys.throttle import Throttle

    _system("crypto reencrypt")
    try:
        if survivor_id is not None:
            report = service.reencrypt_one(survivor_id, grace=grace)
        else:
            report = service.reencrypt_all(batch=batch, restart=restart, grace=grace, throttle=Throttle(share))
    except DecryptionError as exc:  # a tampered or moved row: named, nothing of hers changed
        db.session.rollback()
        _fail(str(exc))
    seconds = max(report.seconds, 1e-9)
    click.echo(f"{report.survivors} survivors, {report.fields} fields re-encrypted in {report.seconds:.1f}s "
               f"({report.fields / seconds:.0f} fields/s, {report.survivors / seconds:.0f} survivors/s); "
               f"{report.purged_keys} old data keys destroyed")


@click.command("rebuild-index")
@click.argument("name")
@click.option("--batch", default=200, show_default=True)
@with_appcontext
def rebuild_index(name, batch):
    """Fill a new blind-index version (new key) beside the old one, then switch."""
    from caseflow.keys.index_rebuild import rebuild

    _system("crypto rebuild-index")
    try:
        report = rebuild(name, batch=batch)
    except _refusals() as exc:
        _fail(str(exc))
    click.echo(f"index {report.name}: version {report.version} active ({report.survivors} survivors indexed)")


# -- backups ----------------------------------------------------------------------------
@click.group("backup")
def backup_group():
    """Ciphertext-only backups (the keyring is never in them)."""


@backup_group.command("create")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def backup_create(path):
    """Write a backup of the database to PATH (mode 0600)."""
    from caseflow.keys import backup

    try:
        needed = backup.create(path)
    except _refusals() as exc:
        _fail(str(exc))
    except Exception as exc:  # pg_dump failure: say so in one line
        _fail(f"backup failed: {exc}")
    click.echo(f"backup written to {path}; it needs KEK version(s) {', '.join(needed) or '(none)'} "
               "to be read. Store it apart from the keyring.")


@backup_group.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
@with_appcontext
def backup_restore(path, yes):
    """Replace the database with a backup (stop the service first)."""
    from caseflow.keys import backup

    if not yes:
        click.confirm("Replace the whole database with this backup?", abort=True)
    try:
        backup.restore(path)
    except _refusals() as exc:
        _fail(str(exc))
    click.echo(f"restored from {path}; run `caseflow init` (migrations) and `caseflow crypto verify`")


