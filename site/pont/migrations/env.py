"""Alembic environment: the engine comes from the app (see db.alembic_config)."""

from alembic import context

from pont import models  # noqa: F401  (registers every table on Base.metadata)
from pont.db import Base

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
