"""The schema revision this SkillGrid reads and writes: the newest migration.

A module of its own so that a reader that does not use SQLAlchemy (``skillgrid.db.readonly``)
can check a database's revision without importing it; ``skillgrid.db.migrate`` re-exports it
and a test keeps it equal to the newest migration script.
"""

HEAD = "0011"
