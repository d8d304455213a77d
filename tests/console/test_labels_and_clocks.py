"""Codes shown by their labels in her language, and the case list's "next clock" column read
in one query per page (never one per case)."""

from __future__ import annotations

import re

from sqlalchemy import event

from caseflow.extensions import db
from tests.console.test_pages import demo, sign_in  # noqa: F401  (demo: the fixture)

#: Codes that must never reach the page as such (each has a label).
RAW = ("engagement", "assessment", "action_plan", "walk_in", "in_progress", "requested", "leve", "moderado", "severo")


def test_the_case_list_and_the_case_page_show_labels_not_codes_in_spanish_and_english(client, demo):  # noqa: F811
    sign_in(client, "supervisora")
    listing = client.get("/cases").get_data(as_text=True)
    cells = re.findall(r"<td>([^<]*)</td>", listing)
    assert cells and not set(cells) & set(RAW)
    assert "Próximo plazo" in listing
    assert 'value="engagement">Acogida</option>' in listing
    assert 'value="in_custody">Privada de libertad</option>' in listing
    case_id = re.search(r"/cases/([0-9a-f-]{36})", listing).group(1)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'value="partner">Pareja</option>' in page
    assert 'value="fisica"' in page and ">Física</label>" in page
    client.get("/language?lang=en&next=/cases")
    english = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'value="partner">Partner</option>' in english and ">Physical</label>" in english


def test_the_next_clock_column_shows_the_nearest_running_deadline(app, client, demo):  # noqa: F811
    sign_in(client, "supervisora")
    items = client.get("/api/v1/referrals?per_page=100").get_json()["items"]
    running = [r for r in items if r.get("next_due_at")]
    assert running, "the demo has referrals with a running clock"
    nearest = min(running, key=lambda r: r["next_due_at"])
    listing = client.get("/cases?per_page=100").get_data(as_text=True)
    row = re.search(rf'<tr>\s*<td><a href="/cases/{nearest["case_id"]}">.*?</tr>', listing, re.S).group(0)
    assert re.search(r'class="badge clock-(missed|due_soon|running)"', row)
    from datetime import datetime

    from babel.dates import format_date

    from caseflow.core.clock import local_zone

    with app.app_context():
        local = datetime.fromisoformat(nearest["next_due_at"]).astimezone(local_zone())
    # The centre's wall time, as Spanish writes it ("2 dic 2026 21:17", "2 dic 2026 0:10": the
    # hour without a leading zero), not the API's UTC.
    assert f"{format_date(local.date(), 'medium', locale='es')} {local.hour}:{local:%M}" in row
    assert nearest["next_due_at"] not in row


def test_the_case_list_reads_the_same_number_of_statements_for_5_or_20_cases(app, client, demo):  # noqa: F811
    sign_in(client, "supervisora")
    counts = {}
    for per_page in (1, 3):
        statements = []

        def count(conn, cursor, statement, *args):
            statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            listing = client.get(f"/cases?per_page={per_page}")
            assert listing.status_code == 200
            rows = re.findall(r'<tr>\s*<td><a href="/cases/', listing.get_data(as_text=True))
            assert len(rows) == per_page
        finally:
            event.remove(engine, "before_cursor_execute", count)
        counts[per_page] = len(statements)
    assert counts[1] == counts[3], counts
