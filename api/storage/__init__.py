"""Storage: SQLAlchemy 2 tables, Alembic migrations, and the queries the API makes.

SQLite by default, PostgreSQL by URL. Every write is one transaction: a case
and its first intake land together or not at all.
"""
