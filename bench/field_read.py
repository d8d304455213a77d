"""CPU per decrypted field: the encrypted attribute's read alone, on a benchmark database.

    python -m bench.field_read --size 10000      # after bench.http_foundation's prepare('sqlite', 10000)

Reads eight fields of 200 survivors in one request context (their data keys unwrapped
first, as a request does), 15 times, and prints the median and the minimum of the process
CPU per field read in microseconds. Run it in two checkouts, alternating, to see what a
change to the read path costs (docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

from bench import common

FIELDS = ("given_names", "family_names", "alias", "document_number", "birth_date", "phone", "address",
          "safe_contact")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--survivors", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    url = common.database_url("sqlite", f"caseflow_bench_{args.size}")
    os.environ.update({k: v for k, v in common.server_env(url).items() if k.startswith("CASEFLOW_")})
    from sqlalchemy import select

    from caseflow import create_app
    from caseflow.crypto.fields import unaudited_reads
    from caseflow.extensions import db
    from caseflow.survivors.models import Survivor

    app = create_app()
    with app.test_request_context(), unaudited_reads():
        survivors = list(db.session.scalars(select(Survivor).limit(args.survivors)))
        for survivor in survivors:
            assert survivor.given_names is not None
        per_field = []
        for _ in range(args.repeat):
            started = time.process_time()
            for survivor in survivors:
                for name in FIELDS:
                    getattr(survivor, name)
            per_field.append((time.process_time() - started) / (len(survivors) * len(FIELDS)) * 1e6)
    print(json.dumps({"benchmark": "field_read", "field_read_us_median": round(statistics.median(per_field), 2),
                      "field_read_us_min": round(min(per_field), 2)}))


if __name__ == "__main__":
    main()
