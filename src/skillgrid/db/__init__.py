"""Storage: SQLAlchemy tables, repositories, the engine factory and Alembic migrations."""
