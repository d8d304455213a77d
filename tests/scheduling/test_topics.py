"""Every notification topic reads with its own words in every kind of process.

Each process starts fresh (a subprocess), because registration that depends on which modules
happen to be imported hides in a test run that has imported everything: the referral topics
were once registered only where the scheduler's scans were imported, so a web worker showed
a referral's reminder as the generic "Aviso sobre el caso …".
"""

import json
import subprocess
import sys

import pytest

TOPICS = ("visit_due", "visit_overdue", "visit_missed", "safety_concern", "no_contact",
          "referral_due_soon", "referral_breached")

#: How each process builds its app: gunicorn loads wsgi.py; `caseflow scheduler run|tick`
#: goes through the command group's app factory.
PROCESSES = {
    "web": "import wsgi; app = wsgi.app",
    "scheduler": "from caseflow.cli import _create_app; app = _create_app()",
}

PROBE = """
import json, sys
from datetime import datetime, timezone
{build}
from flask_babel import force_locale
from caseflow.scheduling.messages import FALLBACK, render
at = datetime(2026, 3, 1, 14, 0, tzinfo=timezone.utc)
with app.test_request_context(), force_locale("es"):
    fallback = str(FALLBACK) % {{"case": "CEM-2026-0001", "at": "2026-03-01 09:00"}}
    texts = {{topic: render(topic, "CEM-2026-0001", at) for topic in json.loads(sys.argv[1])}}
print(json.dumps({{"fallback": fallback, "texts": texts}}))
"""


@pytest.mark.parametrize("process", sorted(PROCESSES))
def test_each_topic_has_its_own_words_in_each_process(process, tmp_path):
    env = {"CASEFLOW_ENV": "testing", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", PROBE.format(build=PROCESSES[process]), json.dumps(TOPICS)],
                            capture_output=True, text=True, env=env, cwd=_repo(), timeout=120)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["fallback"].startswith("Aviso sobre el caso")
    for topic, text in answer["texts"].items():
        assert text != answer["fallback"], f"{process}: {topic} reads as the generic notice"
        assert "CEM-2026-0001" in text and "2026-03-01 09:00" in text


def _repo():
    from pathlib import Path

    return str(Path(__file__).resolve().parents[2])
