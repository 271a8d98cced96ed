"""A read-only unit of work over the plain DB-API (``sqlite3``, ``psycopg``), for commands
that read a little and must start fast: it never imports SQLAlchemy (200 ms of imports).

It implements the repository reads that ``services.results.person_report`` and
``services.people.actor_for`` use, returning the same domain objects as the SQLAlchemy
repositories (contract tests compare whole reports on SQLite and PostgreSQL); every write, and
every read it does not implement, raises ``ReadOnlyError``. It reads only a database at the
schema revision this SkillGrid writes; anything else is ``NotServed`` and the caller takes the
SQLAlchemy path, which migrates as every command does.
"""
