"""The quick settings reader agrees with ``config.Settings`` whenever it answers, and leaves
every value it cannot judge to ``Settings``."""

from __future__ import annotations

import pytest

from skillgrid.config import Settings
from skillgrid.environment import FIELDS, DatabaseSettings, database_settings

VALUES = {
    "database_url": [
        "",
        "sqlite:///rel.db",
        "sqlite:////abs/x.db",
        "postgresql+psycopg://u:p@h:5432/d",
    ],
    "sqlite_busy_timeout_ms": ["0", "5000", "05000", " 5000", "5_000", "5000.0", "+5", "-1", ""],
    "echo_sql": ["0", "off", "OFF", "False", "n", "1", "true", "Yes", " no", "", "maybe"],
    "log_level": ["INFO", "DEBUG", "CRITICAL", "info", "Warning", " INFO", "verbose", ""],
    "log_format": ["json", "text", "JSON", ""],
    "cache_dir": ["", "/tmp/x", " "],
    "suggestion_backend": ["auto", "hybrid", "lexical\n", "LEXICAL", ""],
    "response_cache_mb": ["0", "64", "-1", "1.5", ""],
    "trusted_proxies": [
        "",
        "127.0.0.1",
        "127.0.0.1, 10.0.0.0/8",
        "::1,fd00::/8",
        "10.0.0.1/8",
        "x",
        "1.2.3",
    ],
    "sign_in_address_limit": ["1", "20", "100000", "0", "100001", "-5"],
}


def settings_from(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> Settings | None:
    import os

    for key in list(os.environ):
        if key.lower().startswith("skillgrid_"):
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    try:
        return Settings()
    except ValueError:  # pydantic's ValidationError is a ValueError
        return None


def test_the_quick_reader_knows_every_setting() -> None:
    assert set(FIELDS) == set(Settings.model_fields)


@pytest.mark.parametrize(
    ("field", "value"), [(field, value) for field, values in VALUES.items() for value in values]
)
def test_the_quick_reader_agrees_with_settings_or_leaves_the_value_to_it(
    monkeypatch: pytest.MonkeyPatch, field: str, value: str
) -> None:
    env = {f"SKILLGRID_{field.upper()}": value}
    quick = database_settings(env)
    full = settings_from(monkeypatch, env)
    if quick is None:
        return  # left to Settings: the command takes the usual path
    assert full is not None, f"Settings refuses {env}, the quick reader accepted it"
    assert quick == DatabaseSettings(full.database_url, full.sqlite_busy_timeout_ms, full.echo_sql)


def test_names_match_without_regard_to_case_and_other_variables_are_ignored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env = {"skillgrid_database_url": "sqlite:///lower.db", "SKILLGRID_UNKNOWN": "x", "HOME": "/"}
    full = settings_from(monkeypatch, env)
    assert full is not None
    assert database_settings(env) == DatabaseSettings("sqlite:///lower.db")
    assert full.database_url == "sqlite:///lower.db"


def test_two_spellings_of_one_variable_are_left_to_settings() -> None:
    env = {"skillgrid_database_url": "sqlite:///a.db", "SKILLGRID_DATABASE_URL": "sqlite:///b.db"}
    assert database_settings(env) is None


def test_the_defaults_are_the_settings_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", "/data")
    full = settings_from(monkeypatch, {})
    assert full is not None
    expected = DatabaseSettings(full.database_url, full.sqlite_busy_timeout_ms, full.echo_sql)
    assert database_settings({}) == expected
    assert expected.database_url == "sqlite:////data/skillgrid/skillgrid.db"


def test_plain_values_are_read_without_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {
        "SKILLGRID_DATABASE_URL": "postgresql+psycopg://u@h/d",
        "SKILLGRID_SQLITE_BUSY_TIMEOUT_MS": "250",
        "SKILLGRID_ECHO_SQL": "false",
        "SKILLGRID_LOG_LEVEL": "warning",
        "SKILLGRID_LOG_FORMAT": "text",
        "SKILLGRID_CACHE_DIR": "/tmp/cache",
        "SKILLGRID_SUGGESTION_BACKEND": "lexical",
        "SKILLGRID_RESPONSE_CACHE_MB": "16",
        "SKILLGRID_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8",
        "SKILLGRID_SIGN_IN_ADDRESS_LIMIT": "50",
    }
    full = settings_from(monkeypatch, env)
    assert full is not None
    assert database_settings(env) == DatabaseSettings("postgresql+psycopg://u@h/d", 250, False)
