"""``caseflow serve``: gunicorn in front of the app factory."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication

#: What gunicorn refuses before the application sees a request. Its own answers to these
#: are small HTML pages, not the contract's JSON (documented in docs/reliability.md), so
#: the limits sit at gunicorn's maxima: the application's JSON errors (413 above
#: MAX_CONTENT_LENGTH, 422 for bad values) then answer every request a client can build
#: from the spec. A request line over 8190 bytes (a path or query string of that size) or a
#: header over 8190 bytes still gets gunicorn's HTML 400.
REQUEST_LIMITS = {
    "limit_request_line": 8190,  # gunicorn's maximum; the default 4094 answered long queries with HTML 414
    "limit_request_fields": 100,
    "limit_request_field_size": 8190,
}


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


def serve(host: str, port: int, workers: int) -> None:
    from caseflow import create_app

    create_app()  # fail fast, with a one-line reason, before forking workers
    _Gunicorn({
        "bind": f"{host}:{port}",
        "workers": workers,
        "accesslog": "-",
        # Paths only, never query strings: a search by name or document must not be logged.
        "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss',
        "preload_app": False,
        **REQUEST_LIMITS,
    }).run()
