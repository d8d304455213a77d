"""``caseflow serve``: gunicorn in front of the app factory."""

from __future__ import annotations

import json

from gunicorn import util as gunicorn_util
from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker

#: What gunicorn refuses before the application sees a request (answered in JSON by
#: :class:`JsonErrorWorker`). The limits sit at gunicorn's maxima: the application's JSON
#: errors (413 above MAX_CONTENT_LENGTH, 422 for bad values) then answer every request a
#: client can build from the spec.
REQUEST_LIMITS = {
    "limit_request_line": 8190,  # gunicorn's maximum; the default 4094 answered long queries with HTML 414
    "limit_request_fields": 100,
    "limit_request_field_size": 8190,
}


def _write_json_error(sock, status_int, reason, _detail):
    """gunicorn's own error answer, in the contract's JSON shape and without its detail
    (which quotes the offending request line or header back)."""
    body = json.dumps({"status": status_int, "message": reason}).encode("ascii")
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n\r\n")
    gunicorn_util.write_nonblock(sock, head.encode("latin1") + body)


class JsonErrorWorker(ThreadWorker):
    """gunicorn's threaded worker (see docs/operations.md for why threads) whose answers to requests it cannot parse (a control
    character in a header, an over-long line) are JSON instead of an HTML page."""

    def init_process(self):
        # In the worker process only: gunicorn's workers call util.write_error by module.
        gunicorn_util.write_error = _write_json_error
        super().init_process()


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from caseflow import create_app

        return create_app()


#: Threaded workers (docs/operations.md): a browser keeps idle keep-alive connections open,
#: which held every sync worker until its timeout; a gthread worker parks them and serves
#: other requests on its other threads.
#: gthread, answering its own refusals in JSON.
WORKER_CLASS = "caseflow.server.JsonErrorWorker"
THREADS = 8


def serve(host: str, port: int, workers: int, threads: int = THREADS) -> None:
    from caseflow import create_app

    create_app()  # fail fast, with a one-line reason, before forking workers
    _Gunicorn({
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": WORKER_CLASS,
        "threads": threads,
        "keepalive": 5,
        "accesslog": "-",
        # Paths only, never query strings: a search by name or document must not be logged.
        "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss',
        "preload_app": False,
        **REQUEST_LIMITS,
    }).run()
