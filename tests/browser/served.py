"""A real caseflow for the browser tests: migrated, demo data loaded, served by a WSGI
server in a thread on a port of its own."""

from __future__ import annotations

import threading
from pathlib import Path

from werkzeug.serving import make_server


def build_app(tmp: Path, database_url: str | None = None):
    from flask_migrate import upgrade

    from caseflow import create_app
    from caseflow.crypto.keyring import Keyring
    from caseflow.demo import load_demo
    from caseflow.extensions import db

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{tmp / 'console.db'}",
        "CASEFLOW_KEYRING": Keyring.generate().to_json(),
        "CASEFLOW_KEYRING_FILE": str(tmp / "unused-keyring.json"),
        "SECRET_KEY": "browser-test-secret-key-long-enough-0000",
    })
    with app.app_context():
        upgrade()
        from caseflow.cli import _system

        _system("demo")
        load_demo()
        db.session.commit()
        db.session.remove()
    return app


class Served:
    def __init__(self, app, port: int):
        # Port 0: the system picks a free one (several test runs may share the machine).
        self.server = make_server("127.0.0.1", port, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(5)
