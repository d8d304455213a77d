"""Wiring of the web application: extensions, blueprints, the unit of work, errors."""

from __future__ import annotations

from flask import Flask, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext
from flask_babel import refresh as refresh_locale
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from caseflow.core import unit_of_work
from caseflow.core.auth_required import is_public
from caseflow.core.errors import Forbidden, Unauthorized, error_payload
from caseflow.core.request_input import refuse_unsafe_input
from caseflow.core.unit_of_work import SAFE_METHODS
from caseflow.extensions import api, babel, db, login_manager, migrate

#: Failures of the database itself, not of the request: answered 503, retried by the client.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, DisconnectionError)


class CookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, without building a signing serializer for a request
    that sends no session cookie (every bearer-token request): the default builds one on
    every request before it looks for the cookie."""

    def open_session(self, app, request):
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def register_extensions(app: Flask) -> None:
    app.session_interface = CookieSessionInterface()
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, directory=str(_migrations_dir()))
    from caseflow.i18n import select_locale

    babel.init_app(app, locale_selector=select_locale, default_locale=app.config["CASEFLOW_LOCALE"],
                   default_timezone="UTC")
    login_manager.init_app(app)
    login_manager.session_protection = None
    login_manager.request_loader(_load_user_from_request)
    api.init_app(app, spec_kwargs={
        "components": {"securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "cookie": {"type": "apiKey", "in": "cookie", "name": app.config["SESSION_COOKIE_NAME"]},
        }},
        "security": [{"bearer": []}, {"cookie": []}],
    })
    with app.app_context():
        _configure_engine(db.engine)


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"


def _configure_engine(engine) -> None:
    # Writes take SQLite's write lock from the start (the audit chain reads its last link and
    # appends in one transaction, which a deferred transaction could not upgrade safely);
    # read requests read beside them; the audit entries are appended before each commit
    # (caseflow.core.unit_of_work).
    from caseflow.audit.services import append_pending

    unit_of_work.install(engine, append_audit=append_pending)
    if engine.dialect.name != "sqlite":
        return

    database_path = engine.url.database

    @event.listens_for(engine, "connect")
    def _sqlite_connect(dbapi_connection, _record):
        _owner_only(database_path)
        # Let SQLAlchemy, not the driver, open transactions, so writes can BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted content (an erased survivor's wrapped data key) is overwritten with zeros
        # instead of lingering in free pages of the file.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()


def _owner_only(database_path: str | None) -> None:
    """The database file holds password hashes and wrapped keys: readable by its owner only.
    SQLite creates the WAL and shared-memory files with the database file's mode, so the
    file is narrowed before WAL mode is set; files already there are narrowed too."""
    import os

    if not database_path or database_path == ":memory:" or database_path.startswith("file:"):
        return
    for path in (database_path, database_path + "-wal", database_path + "-shm"):
        try:
            os.chmod(path, 0o600)
        except FileNotFoundError:
            continue


def register_blueprints(app: Flask) -> None:
    from caseflow.approvals.routes import blp as approvals_blp
    from caseflow.audit.routes import blp as audit_blp
    from caseflow.auth.routes import blp as auth_blp
    from caseflow.cases.routes import blp as cases_blp
    from caseflow.cases.routes import codes_blp
    from caseflow.closures.routes import blp as closures_blp
    from caseflow.conferences.routes import blp as conferences_blp
    from caseflow.consents.routes import blp as consents_blp
    from caseflow.custody.routes import blp as custody_blp
    from caseflow.directory.routes import blp as directory_blp
    from caseflow.incidents.routes import blp as incidents_blp
    from caseflow.plans.routes import blp as plans_blp
    from caseflow.referrals.review import blp as review_blp
    from caseflow.referrals.routes import blp as referrals_blp
    from caseflow.rights.routes import blp as rights_blp
    from caseflow.risk.routes import blp as risk_blp
    from caseflow.scheduling.routes import blp as notifications_blp
    from caseflow.sessions.routes import blp as sessions_blp
    from caseflow.statistics.routes import blp as statistics_blp
    from caseflow.survivors.routes import blp as survivors_blp
    from caseflow.timeline.routes import blp as timeline_blp
    from caseflow.training.routes import blp as training_blp
    from caseflow.visits.routes import blp as visits_blp

    casework = (incidents_blp, consents_blp, risk_blp, sessions_blp, plans_blp, conferences_blp, approvals_blp,
                closures_blp)
    referrals = (timeline_blp, referrals_blp, review_blp)
    # The console (plain Flask, not in the OpenAPI document), on top of the API's routes.
    from caseflow.console import statistics as _console_statistics  # noqa: F401 - its pages join the console's
    from caseflow.console.field import bp as field_bp
    from caseflow.console.inbox import bp as inbox_bp
    from caseflow.console.views import bp as console_bp

    app.register_blueprint(console_bp)
    app.register_blueprint(field_bp)  # a visitor's phone view, /visits
    app.register_blueprint(inbox_bp)  # a liaison's referral inbox, /referrals; notifications
    for endpoint, view in app.view_functions.items():
        if endpoint.startswith(("console.", "field.", "inbox.")):
            # A page answers a stranger by sending her to /login (the console's own check),
            # not with the API's 401; and it speaks the console's language (her switch, else
            # Spanish), not the browser's Accept-Language.
            view.caseflow_public = True
            view.caseflow_page = True
    for blueprint in (auth_blp, directory_blp, survivors_blp, rights_blp, cases_blp, codes_blp, audit_blp, *casework, *referrals,
                      visits_blp, custody_blp, notifications_blp, training_blp, statistics_blp):
        api.register_blueprint(blueprint)


def _load_user_from_request(req):
    from caseflow.auth.services import token_for

    unit = unit_of_work.current()
    header = req.headers.get("Authorization", "")
    if header:
        scheme, _, raw = header.partition(" ")
        credential = token_for(raw.strip(), "bearer") if scheme.lower() == "bearer" else None
        unit.auth_method = "bearer"
    else:
        credential = token_for(session.get("auth"), "session")
        unit.auth_method = "cookie"
    unit.auth_credential = credential
    return credential.user if credential else None


CSRF_MESSAGE = lazy_gettext("Missing or invalid CSRF token: send the X-CSRF-Token header from login.")


def register_features(app: Flask) -> None:
    """Each feature's setup: signal receivers, scans, notification topics, timeline sources,
    step rules and case filters. Called by ``create_app``, so the web app and the scheduler
    (which runs inside an app made by ``create_app``) register the same things; nothing is
    registered as a side effect of importing a module."""
    import caseflow.approvals
    import caseflow.conferences
    import caseflow.consents
    import caseflow.custody
    import caseflow.referrals
    import caseflow.risk
    import caseflow.statistics
    import caseflow.timeline
    import caseflow.visits

    # The timeline keeps registration order at equal times: visits, casework, referrals, custody.
    features = (caseflow.consents, caseflow.visits, caseflow.timeline, caseflow.conferences, caseflow.referrals,
                caseflow.custody, caseflow.risk, caseflow.approvals, caseflow.statistics)
    for feature in features:
        feature.init_app(app)


def register_request_hooks(app: Flask) -> None:
    @app.before_request
    def authenticate_and_check_csrf():
        # A fresh unit of work: a request never inherits who-is-calling or unwrapped keys.
        unit = unit_of_work.begin_request(db.session())
        refresh_locale()
        view = app.view_functions.get(request.endpoint)
        if view is None or is_public(view) or request.endpoint.startswith("api-docs."):
            return
        if not current_user.is_authenticated:
            raise Unauthorized()
        # -- accounts (issue 14): a required second factor comes before anything else.
        from caseflow.auth.services import require_enrolment_done

        require_enrolment_done(current_user, request.endpoint)
        # -- end accounts
        if request.method not in SAFE_METHODS and unit.auth_method == "cookie":
            from caseflow.auth.services import csrf_valid

            if not csrf_valid(request.headers.get("X-CSRF-Token")):
                raise Forbidden(CSRF_MESSAGE)

    # After the caller is known (a stranger gets 401, not a hint about her input).
    app.before_request(refuse_unsafe_input)

    @app.after_request
    def finish_unit_of_work(response):
        """The request is the transaction: commit on success, roll back on error, keeping
        the read entries (caseflow.core.unit_of_work.finish)."""
        try:
            unit_of_work.finish(db.session(), response.status_code)
        except DATABASE_UNAVAILABLE as error:
            # The commit itself failed (connection lost, disk full): the work is rolled back,
            # so the client must not see the success the view prepared.
            db.session.rollback()
            response = _database_unavailable(app, error)
        _security_headers(response)
        return response

    @app.teardown_request
    def discard_on_exception(exc):
        if exc is not None:
            db.session.rollback()
        unit_of_work.end_request()


SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ("Cache-Control", "no-store"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def _security_headers(response):
    """Set each header the view did not set itself (one view sets its own policy)."""
    headers = response.headers
    # One pass over the few headers present: werkzeug's setdefault raises and catches a
    # KeyError for every header it then adds.
    present = {name.lower() for name, _ in headers}
    for name, value in (*SECURITY_HEADERS, HSTS) if request.is_secure else SECURITY_HEADERS:
        if name.lower() not in present:
            headers.add(name, value)


def register_error_handlers(app: Flask) -> None:
    from flask import jsonify

    def json_error(error: HTTPException):
        payload, code, headers = error_payload(error)
        response = jsonify(payload)
        response.status_code = code
        response.headers.update(headers)
        return response

    # Outside the API blueprints (unknown paths, 405 on app routes) Werkzeug would answer
    # with HTML; the contract wants JSON everywhere.
    app.register_error_handler(HTTPException, api.handle_http_exception)

    from caseflow.crypto.aead import DecryptionError
    from caseflow.crypto.fields import ErasedDataError

    @app.errorhandler(ErasedDataError)
    def erased(error):
        from caseflow.core.errors import Gone

        db.session.rollback()
        return json_error(Gone())

    @app.errorhandler(DecryptionError)
    def integrity_failure(error):
        from werkzeug.exceptions import InternalServerError

        # A ciphertext failed authentication: tampering, a moved value or the wrong keyring.
        # Loud in the log (without any value), a plain 500 to the client.
        db.session.rollback()
        app.logger.critical("ciphertext integrity failure on %s %s", request.method, request.path)
        return json_error(InternalServerError())

    @app.errorhandler(Exception)
    def unexpected(error):
        from werkzeug.exceptions import InternalServerError

        db.session.rollback()
        if isinstance(error, DATABASE_UNAVAILABLE):
            return _database_unavailable(app, error)
        if isinstance(error, DBAPIError):
            # The server's own message can quote the row (PostgreSQL's DETAIL): name the
            # failure, never its text.
            app.logger.error("unexpected database error %s (SQLSTATE %s) on %s %s", type(error.orig).__name__,
                             getattr(error.orig, "sqlstate", None), request.method, request.path)
        else:
            app.logger.exception("unexpected error")
        return json_error(InternalServerError())


def _database_unavailable(app: Flask, error: Exception):
    """503 in the contract's JSON; the log names the kind of failure, never the statement."""
    from flask import jsonify
    from werkzeug.exceptions import ServiceUnavailable

    reason = "storage full" if "full" in str(getattr(error, "orig", error)).lower() else "unavailable"
    app.logger.error("database %s: %s", reason, type(error).__name__)
    payload, code, headers = error_payload(ServiceUnavailable())
    response = jsonify(payload)
    response.status_code = code
    response.headers.update(headers)
    return response
