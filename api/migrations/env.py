"""Alembic's environment: the URL comes from the Config that `storage.database` builds."""

from __future__ import annotations

from alembic import context

from api.plans import plan_tables  # noqa: F401 (its tables join Base.metadata)
from api.storage.database import make_engine
from api.storage.tables import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")
assert url is not None

if context.is_offline_mode():
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()  # nothing left open after migrating
