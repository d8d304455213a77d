"""HTTP load generator, run as its own process so it does not share the servers' CPU time
slices with them: N threads with keep-alive connections for a fixed duration.

Prints one JSON object: requests, errors, requests/s, p50/p95/p99 in milliseconds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import threading
import time
import uuid
from urllib.parse import quote, urlsplit


def _percentile(values, q):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _minutes_ago(minutes: int) -> str:
    from datetime import datetime, timedelta, timezone

    return (datetime.now(timezone.utc) - timedelta(minutes=minutes)).isoformat()


def _last_days(days: int) -> str:
    from datetime import date, timedelta

    today = date.today()
    return f"from={today - timedelta(days=days - 1)}&to={today}"


#: Mixed traffic of the real roles: which role each client thread plays, in turn.
#: Mentors log visits once visits exist: add their operations to ``_role_requests``.
MIXED_ROLES = ("caseworker", "caseworker", "supervisor", "caseworker")


class Scenario:
    def __init__(self, name, token, ids, size, seed, role=None):
        self.name, self.token, self.ids, self.size, self.role = name, token, ids, size, role
        self.rng = random.Random(seed)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def _role_requests(self):
        """One operation of the thread's role in the mixed scenario."""
        rng = self.rng
        if self.role == "supervisor":
            return rng.choice([
                [("GET", "/api/v1/cases?awaiting_approval=true&per_page=20", None)],
                [("GET", "/api/v1/audit?per_page=50&page=%d" % rng.randint(1, 20), None)],
                [("GET", f"/api/v1/cases/{rng.choice(self.ids)}", None)],
                [("GET", f"/api/v1/cases/{rng.choice(self.ids)}/access-log", None)],
            ])
        if self.role == "caseworker":
            case_id = rng.choice(self.ids)
            return rng.choice([
                Scenario("create_survivor_case", self.token, self.ids, self.size, rng.random()).requests(),
                [("POST", f"/api/v1/cases/{case_id}/sessions", {
                    "discipline": "admission", "started_at": _minutes_ago(rng.randint(5, 50)), "duration_minutes": 30,
                    "summary": "Sesión sintética de carga.", "next_steps": "Seguimiento."})],
                [("GET", f"/api/v1/cases/{case_id}", None), ("GET", f"/api/v1/cases/{case_id}/sessions", None)],
                [("GET", "/api/v1/cases?assigned_to=me&per_page=20", None)],
            ])
        raise ValueError(f"no traffic defined for role {self.role!r}")

    def requests(self):
        """One logical operation: a list of (method, path, body) done in sequence."""
        from bench.generate import document_number

        rng = self.rng
        if self.name == "mixed":
            return self._role_requests()
        if self.name == "bare_read":
            return [("GET", f"/bare/cases/{rng.choice(self.ids)}", None)]
        if self.name == "get_case":
            return [("GET", f"/api/v1/cases/{rng.choice(self.ids)}", None)]
        if self.name == "list_cases":
            return [("GET", "/api/v1/cases?status=open&per_page=20&page=%d" % rng.randint(1, 50), None)]
        if self.name == "search_document":
            dni = document_number(rng.randrange(self.size))
            shown = rng.choice([dni, f"{dni[:2]}.{dni[2:5]}.{dni[5:]}", f"{dni[:2]} {dni[2:5]} {dni[5:]}"])
            return [("GET", f"/api/v1/survivors?document_type=DNI&document_number={shown.replace(' ', '%20')}", None)]
        if self.name == "search_family":  # family names alone, as the generator draws them
            from bench.generate import FAMILY

            return [("GET", f"/api/v1/survivors?name={rng.choice(FAMILY)}%20{rng.choice(FAMILY)}", None)]
        if self.name == "search_given_family":  # the narrower search she tries next: a given name too
            from bench.generate import FAMILY, GIVEN

            name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)} {rng.choice(FAMILY)}"
            return [("GET", f"/api/v1/survivors?name={quote(name)}&per_page=100", None)]
        if self.name == "supervision_overdue":  # the supervisor's first page (the token says whose)
            return [("GET", "/api/v1/supervision/overdue", None)]
        if self.name == "supervision_overdue_50":
            return [("GET", "/api/v1/supervision/overdue?per_page=50", None)]
        if self.name == "referral_report_year":
            return [("GET", f"/api/v1/reports/referral-timelines?{_last_days(365)}", None)]
        if self.name == "referral_report":  # the default period: the last 30 days
            return [("GET", "/api/v1/reports/referral-timelines", None)]
        if self.name == "create_survivor_case":
            return [("POST", "/api/v1/survivors", {
                "given_names": "Bench Sintética", "family_names": f"Carga {rng.randrange(10**6)}",
                "alias": "Bench", "document_type": "DNI",
                # Not from the seeded generator: a seed repeats across rounds and runs on the
                # same database, and a document registered again is now answered 409.
                "document_number": str(10**7 + uuid.uuid4().int % (9 * 10**7)),
                "phone": "+51 900 000 000", "address": "Av. Sintética 1", "district": "150101"}),
                    ("POST", "/api/v1/cases", "{survivor}")]
        raise ValueError(self.name)


def route_of(method: str, path: str) -> str:
    """``GET /api/v1/cases/{id}``: ids and query strings folded, for per-route figures."""
    import re

    path = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "{id}", path.split("?")[0])
    return f"{method} {path}"


def worker(base, scenario, deadline, latencies, errors, lock, per_route=None):
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        ok = True
        survivor_id = None
        for method, path, body in scenario.requests():
            if body == "{survivor}":
                body = {"survivor_id": survivor_id, "intake_channel": "walk_in", "priority": "medium"}
            sent = time.perf_counter()
            try:
                conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=scenario.headers)
                response = conn.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                ok = False
                break
            if per_route is not None:
                with lock:
                    per_route.setdefault(route_of(method, path), []).append(
                        ((time.perf_counter() - sent) * 1000, response.status))
            if response.status >= 400:
                ok = False
                break
            if method == "POST" and path.endswith("/survivors"):
                survivor_id = json.loads(payload)["id"]
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            if ok:
                latencies.append(elapsed)
            else:
                errors.append(elapsed)
    conn.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--token", default="")
    parser.add_argument("--ids-file", required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tokens-file", help="JSON {role: token} for the mixed scenario")
    args = parser.parse_args()
    ids = json.load(open(args.ids_file))
    latencies, errors, lock, per_route = [], [], threading.Lock(), {}
    deadline = time.perf_counter() + args.duration
    tokens = json.load(open(args.tokens_file)) if args.tokens_file else {}

    def scenario_for(n):
        role = MIXED_ROLES[n % len(MIXED_ROLES)] if args.scenario == "mixed" else None
        return Scenario(args.scenario, tokens.get(role, args.token), ids, args.size, args.seed + n, role)

    threads = [threading.Thread(target=worker, args=(args.base, scenario_for(n), deadline, latencies, errors, lock,
                                                      per_route if args.scenario == "mixed" else None))
               for n in range(args.concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    print(json.dumps({
        "scenario": args.scenario, "requests": len(latencies), "errors": len(errors),
        "rps": round(len(latencies) / wall, 1),
        "p50_ms": round(_percentile(latencies, 0.50) or 0, 2),
        "p95_ms": round(_percentile(latencies, 0.95) or 0, 2),
        "p99_ms": round(_percentile(latencies, 0.99) or 0, 2),
        "mean_ms": round(statistics.fmean(latencies), 2) if latencies else None,
        **({"routes": _route_summary(per_route, wall)} if per_route else {}),
    }))


def _route_summary(per_route: dict, wall: float) -> dict:
    summary = {}
    for route, samples in sorted(per_route.items()):
        times = [ms for ms, _ in samples]
        summary[route] = {
            "requests": len(samples), "rps": round(len(samples) / wall, 1),
            "errors": sum(1 for _, status in samples if status >= 400),
            "p50_ms": round(_percentile(times, 0.50), 2), "p95_ms": round(_percentile(times, 0.95), 2),
            "p99_ms": round(_percentile(times, 0.99), 2)}
    return summary


if __name__ == "__main__":
    main()
