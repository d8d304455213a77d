"""caseflow: case management for services to survivors of gender-based violence."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from caseflow.config import build_config, check_production_ready


def create_app(config: dict | None = None) -> Flask:
    """config → extensions → blueprints → request hooks → errors → CLI."""
    app = Flask(__name__, instance_path=str(Path.cwd() / "instance"), static_folder=None)
    app.json.sort_keys = False
    app.config.update(build_config(instance_path=Path(app.instance_path)))
    if config:
        app.config.update(config)
    check_production_ready(app.config)
    if app.config["CASEFLOW_ENV"] != "production":
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    import caseflow.models  # noqa: F401  (every table known to Alembic and the ORM)
    from caseflow import web

    web.register_extensions(app)
    web.register_blueprints(app)
    web.register_features(app)
    web.register_request_hooks(app)
    web.register_error_handlers(app)

    from caseflow.cli import register_commands

    register_commands(app)

    from caseflow.keys.key_check import check_at_start

    check_at_start(app)  # a keyring that is not this database's is refused here, by every process
    return app
