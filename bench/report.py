"""Regenerate the tables of docs/performance.md from bench/results/*.json.

Each benchmark owns a block between ``<!-- results:NAME -->`` and ``<!-- /results:NAME -->``;
text outside the blocks is left as written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"


def _results(benchmark: str) -> list[dict]:
    found = []
    for path in sorted((ROOT / "bench" / "results").glob("*.json")):
        data = json.loads(path.read_text())
        if data.get("benchmark") == benchmark:
            data["_file"] = path.name
            found.append(data)
    return sorted(found, key=lambda d: (d.get("database", ""), d.get("size", 0)))


def foundation_http() -> str:
    rows = ["| database | cases | scenario | req/s | p50 ms | p95 ms | p95 / bare p95 | errors |",
            "|---|---:|---|---:|---:|---:|---:|---:|"]
    for data in _results("foundation_http"):
        summary, ratios = data["summary"], data["ratios"]
        for name in ("bare_read", "get_case", "list_cases", "search_document", "create_survivor_case"):
            s = summary[name]
            ratio = "1.00" if name == "bare_read" else f"{ratios[f'{name}_p95_vs_bare']:.2f}"
            rows.append(f"| {data['database']} | {data['size']:,} | {name} | {s['rps']} | {s['p50_ms']} | "
                        f"{s['p95_ms']} | {ratio} | {s['errors']} |")
        rows.append(f"| {data['database']} | {data['size']:,} | search p95 / get case p95 | | | | "
                    f"{ratios['search_p95_vs_get_case']:.2f} | |")
    if len(rows) == 2:
        rows.append("| (no results yet) | | | | | | | |")
    runs = {(d["runs"], d["duration_s"], d["concurrency"]) for d in _results("foundation_http")}
    note = "".join(f"\nMedians of {r} runs of {s} s each, {c} concurrent clients, 2 gunicorn workers."
                   for r, s, c in sorted(runs))
    return "\n".join(rows) + "\n" + note


def soak() -> str:
    rows = ["| database | cases | route | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
            "|---|---:|---|---:|---:|---:|---:|---:|---:|"]
    memory = ["| database | cases | process | RSS first MiB | RSS last MiB | growth MiB |", "|---|---:|---|---:|---:|---:|"]
    for data in _results("soak"):
        for route, r in data["routes"].items():
            rows.append(f"| {data['database']} | {data['size']:,} | `{route}` | {r['requests']} | {r['rps']} | "
                        f"{r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['errors']} |")
        rows.append(f"| {data['database']} | {data['size']:,} | **all** ({data['duration_s']:.0f} s, "
                    f"{data['concurrency']} clients) | {data['requests']} | {data['requests_per_s']} | | | | "
                    f"{data['errors']} ({data['error_rate']:.2%}) |")
        for process, m in sorted(data["memory"].items()):
            memory.append(f"| {data['database']} | {data['size']:,} | {process.split('-')[0]} | {m['first_kib'] / 1024:.1f} | "
                          f"{m['last_kib'] / 1024:.1f} | {m['growth_kib'] / 1024:+.1f} |")
    if len(rows) == 2:
        return "(no results yet)"
    return "\n".join(rows) + "\n\nMemory (VmRSS, after the warm-up):\n\n" + "\n".join(memory)


def rotation() -> str:
    rows = ["| database | survivors | data keys rewrapped/s | survivors re-encrypted/s | fields re-encrypted/s |",
            "|---|---:|---:|---:|---:|"]
    for data in _results("rotation"):
        rows.append(f"| {data['database']} | {data['size']:,} | {data['rotation_data_keys_per_s']} | "
                    f"{data['reencrypt_survivors_per_s']} | {data['reencrypt_fields_per_s']} |")
    return "\n".join(rows) if len(rows) > 2 else "(no results yet)"


def fuzz() -> str:
    rows = ["| database | role | seconds | test cases | failures | exit |", "|---|---|---:|---:|---:|---:|"]
    for data in _results("fuzz"):
        for r in data["roles"]:
            cases = r.get("test_cases", {})
            rows.append(f"| {data['database']} | {r['role']} | {r['seconds']} | {cases.get('generated', '?')} | "
                        f"{cases.get('unique_failures', '?')} | {r['exit_code']} |")
    return "\n".join(rows) if len(rows) > 2 else "(no results yet)"


def _throttle(data: dict) -> str:
    """How the key operations were held back: their --share (runs from before it existed
    went flat out) and any fixed --pause after each batch."""
    share, pause = data.get("share", 1.0), data.get("pause_s", 0)
    held = "flat out" if share >= 1 else f"share {share:g}"
    return held + (f", pause {pause:g} s" if pause else "")


def rotation_under_load() -> str:
    rows = ["| database | survivors | throttle | get case p95 quiet (ms) | p95 during rotation (ms) | ratio | "
            "rotation data keys/s | p95 during re-encryption (ms) | ratio | re-encryption fields/s | "
            "re-encryption survivors/s | re-encryption run (s) | measured (UTC) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for data in _results("rotation_under_load"):
        during, reenc, ratios = data.get("during_rotation") or {}, data.get("during_reencrypt") or {}, data["ratios"]
        rows.append(f"| {data['database']} | {data['size']:,} | {_throttle(data)} | {data['quiet']['p95_ms']} | "
                    f"{during.get('p95_ms', '-')} | "
                    f"{ratios.get('get_case_p95_during_rotation_vs_quiet', '-')} | {data.get('rotation_data_keys_per_s', '-')} | "
                    f"{reenc.get('p95_ms', '-')} | {ratios.get('get_case_p95_during_reencrypt_vs_quiet', '-')} | "
                    f"{data.get('reencrypt_fields_per_s', '-')} | {data.get('reencrypt_survivors_per_s', '-')} | "
                    f"{data.get('reencrypt_seconds', '-')} | {data.get('at', '-').replace('T', ' ').rstrip('Z')} |")
    return "\n".join(rows) + "\n"


def scheduler_pass() -> str:
    rows = ["| database | active plans | visits due | plans behind the horizon | pass (s) | runs (s) "
            "| traced pass (s) | peak traced memory (MiB) |",
            "|---|---:|---:|---:|---:|---|---:|---:|"]
    by_size: dict = {}
    for data in _results("scheduler_pass"):
        key = (data["database"], data["plans"], data["due"], data.get("behind", 0))
        by_size.setdefault(key, {})["traced" if data["traced"] else "plain"] = data
    for (database, plans, due, behind), entry in sorted(by_size.items()):
        plain, traced = entry.get("plain", {}), entry.get("traced", {})
        runs = ", ".join(str(s) for s in plain.get("runs_seconds", [])) or "-"
        rows.append(f"| {database} | {plans:,} | {due:,} | {behind:,} | {plain.get('pass_seconds', '-')} | {runs} | "
                    f"{traced.get('pass_seconds', '-')} | {traced.get('peak_traced_mib', '-')} |")
    return "\n".join(rows) + "\n"


REFERRAL_SCENARIOS = (
    ("bare_read", "bare read (baseline)"),
    ("overdue_centre", "overdue view, centre (first page, 20)"),
    ("overdue_national", "overdue view, national (first page, 20)"),
    ("overdue_50_centre", "overdue view, centre (`per_page=50`)"),
    ("overdue_50_national", "overdue view, national (`per_page=50`)"),
    ("report_month_centre", "report, centre, last 30 days (default)"),
    ("report_month_national", "report, national, last 30 days (default)"),
    ("report_year_centre", "report, centre, 365 days"),
    ("report_year_national", "report, national, 365 days"),
)


def referral_reports() -> str:
    rows = ["| database | cases | scenario | req/s | p50 ms | p95 ms | p95 / bare p95 | errors |",
            "|---|---:|---|---:|---:|---:|---:|---:|"]
    notes = []
    for data in _results("referral_reports_http"):
        summary, ratios = data["summary"], data["ratios"]
        for name, label in REFERRAL_SCENARIOS:
            if name not in summary:
                continue
            s = summary[name]
            ratio = "1.00" if name == "bare_read" else f"{ratios[f'{name}_p95_vs_bare']:.2f}"
            rows.append(f"| {data['database']} | {data['size']:,} | {label} | {s['rps']} | {s['p50_ms']} | "
                        f"{s['p95_ms']} | {ratio} | {s['errors']} |")
        counts, shape, view = data["data"]["counts"], data["data"]["shape"], data["data"]["view"]
        total = counts["referrals"]
        notes.append(
            f"{data['database']}: {total:,} referrals, {counts['referral_events']:,} events, "
            f"{counts['referral_clocks']:,} clocks; {shape['open'] / total:.1%} open, "
            f"{shape['open_older_than_30_days']:,} of them sent over 30 days ago; when measured, "
            f"{view['national']['overdue']:,} overdue and {view['national']['due_within_24h']:,} due within 24 h "
            f"({(view['national']['overdue'] + view['national']['due_within_24h']) / total:.1%} of all: the national "
            f"view), the measured centre {view['centre']['overdue']:,} and {view['centre']['due_within_24h']:,}. "
            f"Medians of {data['runs']} runs of {data['duration_s']} s, {data['concurrency']} clients, "
            f"{data['workers']} gunicorn workers.")
    if len(rows) == 2:
        return "(no results yet)\n"
    return "\n".join(rows) + "\n\n" + "\n\n".join(notes) + "\n"


def cpu_per_request() -> str:
    rows = ["| database | cases | code | bare read ms | get case ms | get case / bare | search ms | search / bare |",
            "|---|---:|---|---:|---:|---:|---:|---:|"]
    for data in sorted(_results("cpu_per_request"), key=lambda d: (d["database"], d["size"], d["_file"])):
        rows.append(f"| {data['database']} | {data['size']:,} | {data['commit']} | {data['bare_read_cpu_ms']} | "
                    f"{data['get_case_cpu_ms']} | {data['get_case_vs_bare']:.2f} | "
                    f"{data['search_document_cpu_ms']} | {data['search_document_vs_bare']:.2f} |")
    if len(rows) == 2:
        rows.append("| (no results yet) | | | | | | | |")
    runs = {(d["rounds"], d["block"]) for d in _results("cpu_per_request")}
    note = "".join(f"\nProcess CPU per request, medians of {r} rounds of {b} requests per route."
                   for r, b in sorted(runs))
    return "\n".join(rows) + "\n" + note


RENDERERS = {"foundation": foundation_http, "cpu_per_request": cpu_per_request, "soak": soak, "rotation": rotation,
             "rotation_under_load": rotation_under_load, "scheduler": scheduler_pass,
             "referrals": referral_reports}

#: Blocks of docs/reliability.md.
RELIABILITY_RENDERERS = {"fuzz": fuzz, "soak": soak}


def _render(doc: Path, renderers: dict) -> None:
    if not doc.exists():
        return
    text = doc.read_text()
    for name, render in renderers.items():
        pattern = re.compile(rf"(<!-- results:{name} -->\n).*?(<!-- /results:{name} -->)", re.S)
        text = pattern.sub(lambda m: m.group(1) + render() + "\n" + m.group(2), text)
    doc.write_text(text)
    print(f"updated {doc.relative_to(ROOT)}")


def main() -> None:
    _render(DOC, RENDERERS)
    _render(ROOT / "docs" / "reliability.md", RELIABILITY_RENDERERS)


if __name__ == "__main__":
    main()
