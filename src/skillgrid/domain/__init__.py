"""The ladder and its rules in pure Python: no database, web or CLI library is imported here."""
