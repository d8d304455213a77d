"""``caseflow serve``: gunicorn in front of the app factory."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


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
    }).run()
