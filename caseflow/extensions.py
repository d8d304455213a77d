"""Unbound extensions, bound to the app in ``create_app``."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from caseflow.core.api import CaseflowApi
from caseflow.core.unit_of_work import UnitOfWorkSession

#: One naming convention so that Alembic can name, and later drop, every constraint on
#: SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


#: Sessions of caseflow's own class, on which the unit of work's hooks listen.
db = SQLAlchemy(model_class=Base, session_options={"class_": UnitOfWorkSession})
migrate = Migrate()
login_manager = LoginManager()
babel = Babel()
api = CaseflowApi()
