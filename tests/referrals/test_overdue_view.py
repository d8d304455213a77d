"""The supervisor's overdue view at scale: keyset pages, a bounded total, a fixed number of
statements per page, and list entries identical to ReferralSchema's."""

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from caseflow.core.clock import frozen_time
from caseflow.extensions import db
from caseflow.referrals import breaches
from caseflow.referrals.models import Referral
from caseflow.referrals.schemas import ReferralSchema, referral_items
from testkit.api import bearer
from testkit.factories import make_case
from tests.helpers import assert_error, captured_sql
from tests.referrals.factories import Network, consent, move, rape_incident, read, refer

T = datetime(2026, 5, 4, 15, 0, tzinfo=timezone.utc)
H = timedelta(hours=1)
MANDATORY = {"legal_basis": "Ley 31156, art. 2", "survivor_informed": False}


def _send(client, net, case, organization, service, at, **body):
    with frozen_time(at):
        response = refer(client, net.worker, case, organization, service, **body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _backlog(client, net):
    """Eight referrals in the view at T + 30 h (two pairs sent at the same instant, so they
    tie on their deadline), and three that are not: completed, no clock, due later."""
    in_view = []
    for n in range(6):
        case = make_case(net.worker)
        consent(client, net.worker, case, sector="justice", given_at=T - H)
        sent = T + (n // 2) * H  # pairs: the same deadline, ordered by id
        in_view.append(_send(client, net, case, net.court, "protective_measures", sent, priority="high"))
        if n % 2:
            in_view.append(_send(client, net, case, net.court, "legal_proceedings", sent, priority="high"))
    case = make_case(net.worker)
    consent(client, net.worker, case, sector="justice", given_at=T - H)
    consent(client, net.worker, case, sector="social", given_at=T - H)
    done = _send(client, net, case, net.court, "protective_measures", T, priority="high")
    for status in ("accepted", "in_progress", "completed"):
        with frozen_time(T + H):
            assert move(client, net.clerk, done["id"], status).status_code == 200
    _send(client, net, case, net.shelter, "shelter", T, priority="low")  # no clock at all
    _send(client, net, case, net.court, "legal_proceedings", T + 29 * H, priority="medium")  # due T + 101 h
    return in_view


def _expected_order(net):
    rows = db.session.scalars(breaches.overdue_or_due_soon(net.centre.org.id, T + 30 * H)).all()
    return [str(r.id) for r in rows]


def test_keyset_pages_hold_every_referral_of_the_view_exactly_once(client):
    net = Network()
    in_view = _backlog(client, net)
    expected = _expected_order(net)
    assert sorted(expected) == sorted(r["id"] for r in in_view) and len(expected) == 9
    with frozen_time(T + 30 * H):
        seen, cursor, pages = [], None, 0
        while True:
            path = "/supervision/overdue?per_page=2" + (f"&cursor={cursor}" if cursor else "")
            body = read(client, net.centre.supervisor, path).get_json()
            assert body["total"] == 9 and body["total_exact"] is True and body["per_page"] == 2
            seen += [item["id"] for item in body["items"]]
            pages += 1
            cursor = body["next_cursor"]
            if cursor is None:
                break
        by_number = []
        for page in range(1, 6):
            by_number += [i["id"] for i in read(
                client, net.centre.supervisor, f"/supervision/overdue?per_page=2&page={page}").get_json()["items"]]
    assert seen == expected and by_number == expected
    assert pages == 5  # 2 + 2 + 2 + 2 + 1: the short last page says there is no next one


def test_a_cursor_continues_after_its_referral_even_when_the_list_changed(client):
    net = Network()
    _backlog(client, net)
    expected = _expected_order(net)
    with frozen_time(T + 30 * H):
        first = read(client, net.centre.supervisor, "/supervision/overdue?per_page=3").get_json()
        # The court completes the first referral of the page: it leaves the view.
        for status in ("accepted", "in_progress", "completed"):
            assert move(client, net.clerk, first["items"][0]["id"], status).status_code == 200
        second = read(client, net.centre.supervisor,
                      f"/supervision/overdue?per_page=3&cursor={first['next_cursor']}").get_json()
    assert [i["id"] for i in second["items"]] == expected[3:6]
    assert second["total"] == 8


def test_the_total_is_bounded(client, monkeypatch):
    net = Network()
    _backlog(client, net)
    monkeypatch.setattr(breaches, "COUNT_LIMIT", 5)
    with frozen_time(T + 30 * H):
        body = read(client, net.centre.supervisor, "/supervision/overdue?per_page=20").get_json()
    assert body["total"] == 5 and body["total_exact"] is False and len(body["items"]) == 9


def test_bad_cursors_are_refused(client):
    net = Network()
    _backlog(client, net)
    with frozen_time(T + 30 * H):
        cursor = read(client, net.centre.supervisor, "/supervision/overdue?per_page=2").get_json()["next_cursor"]
        for bad in ("nonsense", "bm9wZXxub3Bl", cursor[:-4]):
            assert_error(read(client, net.centre.supervisor, f"/supervision/overdue?cursor={bad}"), 422, "cursor")
        assert_error(read(client, net.centre.supervisor, f"/supervision/overdue?cursor={cursor}&page=2"), 422, "cursor")


def _statements():
    return captured_sql()

def test_a_page_takes_the_same_statements_whatever_its_size(client):
    net = Network()
    _backlog(client, net)
    counts = {}
    with frozen_time(T + 30 * H):
        for per_page in (1, 3, 20):
            read(client, net.centre.supervisor, f"/supervision/overdue?per_page={per_page}")  # warm
            with _statements() as seen:
                body = read(client, net.centre.supervisor, f"/supervision/overdue?per_page={per_page}").get_json()
            assert len(body["items"]) == min(per_page, 9)
            counts[per_page] = len(seen)
    assert counts[1] == counts[3] == counts[20], counts


def test_a_supervisors_page_is_two_statements_whoever_she_oversees(client, app, monkeypatch):
    """Who is calling (with her organization's code, for the national-oversight rule) and
    the page: deciding whose referrals she reviews costs no query of its own."""
    from testkit.factories import OrganizationFactory, UserFactory

    net = Network()
    _backlog(client, net)
    national = UserFactory(role="supervisor", discipline=None,
                           organization=OrganizationFactory(sector="cem", code="MIMP-NACIONAL"))
    monkeypatch.setitem(app.config, "CASEFLOW_NATIONAL_ORGANIZATIONS", ("MIMP-NACIONAL",))
    with frozen_time(T + 30 * H):
        for supervisor in (net.centre.supervisor, national):
            headers = bearer(supervisor)
            client.get("/api/v1/supervision/overdue", headers=headers)  # warm
            with _statements() as seen:
                body = client.get("/api/v1/supervision/overdue", headers=headers).get_json()
            assert len(body["items"]) == 9
            assert len(seen) == 2, seen


def test_list_entries_are_exactly_what_the_referral_schema_gives(client):
    """Every state a referral and its clocks can be in, on the fast path and through the
    schema: the same JSON."""
    net = Network()
    _backlog(client, net)
    case = make_case(net.worker)
    consent(client, net.worker, case, sector="health", given_at=T - 2 * H)
    consent(client, net.worker, case, sector="justice", given_at=T - 2 * H)
    with frozen_time(T - H):
        rape_incident(client, net.worker, case, T - 10 * H)
    pep = _send(client, net, case, net.hospital, "hiv_pep", T)  # two clocks, one from the incident
    rejected = _send(client, net, case, net.court, "protective_measures", T)
    cancelled = _send(client, net, case, net.court, "legal_proceedings", T, priority="medium")
    failed = _send(client, net, case, net.hospital, "medical_care", T, priority="medium")
    reported = _send(client, net, make_case(net.worker), net.police, "complaint", T, mandatory_report=MANDATORY)
    with frozen_time(T + 2 * H):
        assert move(client, net.nurse, pep["id"], "accepted").status_code == 200
        assert move(client, net.clerk, rejected["id"], "rejected", "No jurisdiction").status_code == 200
        assert move(client, net.worker, cancelled["id"], "cancelled", "She moved").status_code == 200
        for status in ("accepted", "in_progress"):
            assert move(client, net.nurse, failed["id"], status).status_code == 200
        assert move(client, net.nurse, failed["id"], "failed", "She did not come").status_code == 200
    assert reported["mandatory_report"] == MANDATORY
    states = set()
    for now in (T + 3 * H, T + 30 * H, T + 200 * H):
        with frozen_time(now):
            db.session.expire_all()
            listed = breaches.listing_statement().subquery()
            rows = db.session.execute(breaches.with_clocks(listed, listed.c.id)).all()
            fast = referral_items(rows, now)
            entities = db.session.scalars(select(Referral).order_by(Referral.id)).all()
            assert fast == ReferralSchema(many=True).dump(entities)
            states |= {clock["state"] for item in fast for clock in item["clocks"]}
    assert states == {"running", "due_soon", "overdue", "met", "missed", "stopped"}
