"""`caseflow retention`: the retention policy, applied by an operator."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from caseflow.core.commands import act_as_system, parse_now
from caseflow.extensions import db


# -- retention --------------------------------------------------------------------------
@click.group("retention")
def retention_group():
    """The retention policy."""


@retention_group.command("run")
@click.option("--dry-run", is_flag=True, help="list what would be erased; change nothing")
@click.option("--now", "now", default=None, help="ISO 8601 instant to evaluate at (default: now)")
@with_appcontext
def retention_run(dry_run, now):
    """Erase identifying data past the retention period (or list it with --dry-run)."""
    from caseflow.rights.retention import apply_retention

    moment = parse_now(now)
    act_as_system("retention run")
    items = apply_retention(moment, dry_run=dry_run)
    for item in items:
        verb = "would erase" if dry_run else "erased"
        click.echo(f"{verb} survivor {item['survivor_id']} ({item['cases']} closed case(s), "
                   f"last closed {item['last_closed_at']}, rule {item['rule']})")
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    click.echo(json.dumps({"dry_run": dry_run, "erased" if not dry_run else "would_erase": len(items)}))


