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


RENDERERS = {"foundation": foundation_http}


def main() -> None:
    text = DOC.read_text()
    for name, render in RENDERERS.items():
        pattern = re.compile(rf"(<!-- results:{name} -->\n).*?(<!-- /results:{name} -->)", re.S)
        text = pattern.sub(lambda m: m.group(1) + render() + "\n" + m.group(2), text)
    DOC.write_text(text)
    print(f"updated {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
