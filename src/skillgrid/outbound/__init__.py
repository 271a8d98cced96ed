"""Adapters to the world outside: the mail server (SMTP) and webhook receivers (HTTP). The
composition roots build them from the settings and hand them to the services."""
