"""The web app: server-rendered pages and a JSON API under /api/v1 over the same services."""
