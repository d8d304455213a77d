"""The ``caseflow`` command group (also reachable as ``flask --app caseflow ...``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from caseflow.core.commands import act_as_system as _system
from caseflow.core.commands import fail as _fail
from caseflow.extensions import db


def _create_app(*_args, **_kwargs):
    from caseflow import create_app
    from caseflow.config import ConfigError

    try:
        return create_app()
    except ConfigError as exc:
        _fail(str(exc))


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False,
             add_version_option=False, load_dotenv=False)
def main():
    """caseflow: case management for services to survivors of gender-based violence."""




# -- init ---------------------------------------------------------------------------
@click.command("init")
@with_appcontext
def init_command():
    """Migrate to head; in development, create the keyring file if missing."""
    from flask_migrate import upgrade

    from caseflow.crypto.keyring import Keyring

    config = current_app.config
    if config["CASEFLOW_ENV"] == "development" and not config.get("CASEFLOW_KEYRING"):
        path = Path(config["CASEFLOW_KEYRING_FILE"])
        if not path.exists():
            Keyring.generate().write(path)
            click.echo(f"created development keyring {path} (mode 0600)")
    Path(current_app.instance_path).mkdir(parents=True, exist_ok=True)
    upgrade()
    click.echo("database at head")
    from caseflow.crypto.keys import reload_keyring
    from caseflow.keys.key_check import KeyringMismatch, ensure_keyring_belongs

    try:
        if ensure_keyring_belongs(reload_keyring()):
            click.echo("keyring check values written")
    except KeyringMismatch as exc:
        _fail(str(exc))


# -- directory ------------------------------------------------------------------------
@click.group("orgs")
def orgs_group():
    """Organizations."""


@orgs_group.command("create")
@click.option("--code", required=True)
@click.option("--name", required=True)
@click.option("--sector", required=True)
@click.option("--district", default=None, help="UBIGEO of the district (6 digits)")
@click.option("--service-type", "service_types", multiple=True)
@with_appcontext
def orgs_create(code, name, sector, district, service_types):
    """Add an organization."""
    from caseflow.directory import services
    from caseflow.directory.schemas import OrganizationSchema

    data = _load(OrganizationSchema(), {"code": code, "name": name, "sector": sector,
                                        "district": district, "service_types": list(service_types)})
    _system("orgs create")
    organization = _or_fail(lambda: services.create_organization(**data))
    db.session.commit()
    click.echo(f"{organization.code} {organization.id}")


@click.group("users")
def users_group():
    """Staff accounts."""


@users_group.command("create")
@click.option("--username", required=True)
@click.option("--role", required=True)
@click.option("--org", "org_code", required=True, help="organization code")
@click.option("--discipline", default=None)
@click.option("--full-name", default=None)
@click.option("--password-stdin", is_flag=True, required=True, help="read the password from stdin")
@with_appcontext
def users_create(username, role, org_code, discipline, full_name, password_stdin):
    """Add a user; the password is read from standard input, never from the command line."""
    from caseflow.directory import services
    from caseflow.directory.schemas import OperatorUserSchema

    password = sys.stdin.readline().rstrip("\r\n")
    organization = services.organization_by_code(org_code)
    if organization is None:
        _fail(f"unknown organization {org_code}")
    data = _load(OperatorUserSchema(), {"username": username, "role": role, "discipline": discipline,
                                "organization_id": str(organization.id), "password": password,
                                "full_name": full_name})
    _system("users create")
    user = _or_fail(lambda: services.create_user(**data))
    db.session.commit()
    click.echo(f"{user.username} {user.id}")


def _load(schema, data):
    import marshmallow as ma

    try:
        return schema.load({k: v for k, v in data.items() if v is not None})
    except ma.ValidationError as exc:
        fields = "; ".join(f"{name}: {' '.join(map(str, msgs))}" for name, msgs in exc.messages.items())
        _fail(fields)


def _or_fail(action):
    from caseflow.core.errors import ApiError

    try:
        return action()
    except ApiError as exc:
        db.session.rollback()
        detail = exc.data.get("errors")
        _fail(f"{exc.data['message']}" + (f" {detail}" if detail else ""))




@users_group.command("reset-mfa")
@click.option("--username", required=True)
@with_appcontext
def users_reset_mfa(username):
    """Remove a lost second factor (audited); her sessions end and she enrols again."""
    from sqlalchemy import func, select

    from caseflow.auth.accounts import operator_reset_factor
    from caseflow.directory.models import User

    user = db.session.scalars(select(User).where(func.lower(User.username) == username.strip().lower())).first()
    if user is None:
        _fail(f"unknown user {username}")
    if user.totp_secret is None:
        _fail(f"{user.username} has no second factor")
    _system("users reset-mfa")
    operator_reset_factor(user)
    db.session.commit()
    click.echo(f"second factor removed for {user.username}")


@users_group.command("confirm")
@click.option("--username", required=True)
@with_appcontext
def users_confirm(username):
    """Confirm a content role as the server operator (a centre with no other supervisor)."""
    from sqlalchemy import func, select

    from caseflow.audit.services import record
    from caseflow.directory.models import User

    user = db.session.scalars(select(User).where(func.lower(User.username) == username.strip().lower())).first()
    if user is None:
        _fail(f"unknown user {username}")
    if user.role_confirmed:
        _fail(f"{user.username} has no role waiting for confirmation")
    _system("users confirm")
    user.role_confirmed = True
    record("role_confirmed", "users", user.id, detail={"role": user.role, "by_operator": True})
    db.session.commit()
    click.echo(f"role {user.role} confirmed for {user.username}")


# -- demo -------------------------------------------------------------------------------
@click.command("demo")
@with_appcontext
def demo_command():
    """Idempotent demo data: organizations, one user per role, synthetic cases."""
    from caseflow.demo import load_demo

    if current_app.config["CASEFLOW_ENV"] == "production":
        _fail("demo data is never loaded in production")
    _system("demo")
    created, logins = load_demo()
    db.session.commit()
    click.echo("demo data loaded" if created else "demo data already present")
    click.echo("demo logins (password for all: see below):")
    for username, role in logins:
        click.echo(f"  {username:<22} {role}")
    from caseflow.demo import DEMO_PASSWORD

    click.echo(f"  password: {DEMO_PASSWORD}")


# -- serve --------------------------------------------------------------------------------
@click.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.option("--workers", default=2, type=int)
@click.option("--threads", default=8, type=int, help="Threads per worker (gthread)")
def serve_command(host, port, workers, threads):
    """Production server (gunicorn). The scheduler runs as its own process."""
    from caseflow.config import ConfigError
    from caseflow.server import serve

    try:
        serve(host, port, workers, threads)
    except ConfigError as exc:
        _fail(str(exc))


# -- audit --------------------------------------------------------------------------------
@click.group("audit")
def audit_group():
    """The audit trail."""


@audit_group.command("verify")
@click.option("--anchors", "anchors_path", default=None, type=click.Path(dir_okay=False),
              help="anchor file written by the scheduler (CASEFLOW_AUDIT_ANCHOR_FILE)")
@with_appcontext
def audit_verify(anchors_path):
    """Exit 0 when the hash chain is intact (and holds every anchor); else exit 1 naming
    how many entries are broken and the first."""
    from caseflow.audit.services import AnchorFileError, read_anchors, verify_chain

    try:
        anchors = read_anchors(anchors_path) if anchors_path else None
    except AnchorFileError as exc:
        _fail(str(exc))
    report = verify_chain(anchors=anchors)
    anchored = f", {report.anchors_checked} anchors held" if anchors is not None else ""
    if report.ok:
        click.echo(f"audit chain intact: {report.count} entries, head {report.head}{anchored}")
        return
    if report.broken:
        entries = "entry" if report.broken == 1 else "entries"
        click.echo(f"audit chain BROKEN: {report.broken} broken {entries} of {report.count}; first at entry "
                   f"{report.first_bad_id}: {report.reason}", err=True)
    for failure in report.anchor_failures:
        click.echo(f"audit chain disagrees with its anchors: {failure}", err=True)
    sys.exit(1)


# -- crypto ---------------------------------------------------------------------------------
@click.group("crypto")
def crypto_group():
    """Keys: keyring creation and key operations."""


@crypto_group.command("new-keyring")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False))
def crypto_new_keyring(out):
    """Write a new keyring file (mode 0600). Refuses to overwrite one."""
    from caseflow.crypto.keyring import Keyring

    if Path(out).exists():
        _fail(f"{out} exists; refusing to overwrite a keyring")
    Keyring.generate().write(out)
    click.echo(f"wrote {out} (mode 0600); keep it apart from the database and its backups")


# -- scheduler --------------------------------------------------------------------------
@click.group("scheduler")
def scheduler_group():
    """Reminders and escalations: one long-running process, or one pass."""


@scheduler_group.command("run")
@click.option("--interval", type=int, default=None, help="seconds between passes (default: setting)")
@with_appcontext
def scheduler_run(interval):
    """The long-running scheduler process (run exactly one; web workers never schedule)."""
    import logging

    from caseflow.scheduling.runner import run_forever

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    run_forever(current_app._get_current_object(),
                interval or current_app.config["CASEFLOW_SCHEDULER_INTERVAL_SECONDS"])


@scheduler_group.command("tick")
@click.option("--now", "now_text", default=None, help="ISO 8601 time with offset (default: the clock)")
@with_appcontext
def scheduler_tick(now_text):
    """One scheduling pass; prints a JSON object of counts on its last line."""
    import contextlib
    import json

    from caseflow.core.clock import frozen_time
    from caseflow.core.commands import parse_now
    from caseflow.scheduling.runner import run_pass

    now = parse_now(now_text)
    with frozen_time(now) if now else contextlib.nullcontext():
        counts = run_pass(now)
    click.echo(json.dumps(counts, sort_keys=True))



from caseflow.keys.cli import add_crypto_commands, backup_group  # noqa: E402
from caseflow.rights.cli import retention_group  # noqa: E402

add_crypto_commands(crypto_group)


COMMANDS = (init_command, orgs_group, users_group, demo_command, serve_command, audit_group, crypto_group,
            backup_group, retention_group, scheduler_group)


def register_commands(app) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)


for _command in COMMANDS:
    main.add_command(_command)


if __name__ == "__main__":
    main()
