"""Password rules: at least 12 characters, not one character repeated, not the account's
email (or the part before the @), not on the list of common passwords; each refusal says
what is wrong and what to do."""

from __future__ import annotations

import pytest

from skillgrid.domain.accounts import (
    ADVICE,
    MIN_PASSWORD,
    AccountError,
    check_password_rules,
    password_problem,
)

COMMON = frozenset({"trustno1trustno1", "password1234"})


def problem(password: str, email: str = "ana.lima@example.com") -> str | None:
    return password_problem(password, email, COMMON)


def test_a_password_needs_twelve_characters() -> None:
    assert MIN_PASSWORD == 12
    assert problem("abcdefghijk") == (
        f"a password needs at least 12 characters (this one has 11): {ADVICE}"
    )
    assert problem("abcd efgh ij") is None


def test_one_character_repeated_is_refused_at_any_length() -> None:
    assert problem("a" * 12) == f"a password of one character repeated is guessed at once: {ADVICE}"
    assert problem("7" * 40) is not None


def test_the_accounts_email_or_the_part_before_the_at_is_refused() -> None:
    said = f"a password may not be the account's email or the part before the @: {ADVICE}"
    email = "ana.lima.cardoso@example.com"
    for password in (email, email.upper(), "ana.lima.cardoso", "Ana.Lima.Cardoso"):
        assert problem(password, email) == said
    assert problem("ana.lima.cardoso!", email) is None


def test_a_common_password_is_refused_whatever_its_case() -> None:
    for password in ("trustno1trustno1", "TrustNo1TrustNo1", "PASSWORD1234"):
        assert problem(password) == (
            f"this password is on the list of common passwords that are tried first: {ADVICE}"
        )


def test_every_refusal_says_what_is_wrong_and_what_to_do() -> None:
    for password in ("short", "x" * 20, "ana.lima@example.com", "password1234"):
        found = problem(password)
        assert found is not None and found.endswith(ADVICE)
    assert ADVICE == "choose a longer passphrase, e.g. four unrelated words"
    assert problem("correct horse " * 72) == (
        "a password is limited to 1,000 characters: choose a shorter passphrase"
    )


def test_the_check_raises_the_problem_as_an_account_error() -> None:
    with pytest.raises(AccountError, match="at least 12 characters"):
        check_password_rules("short", "ana@example.com", COMMON)
    check_password_rules("correct horse battery", "ana@example.com", COMMON)


def test_the_shipped_list_is_read_on_first_use_and_holds_the_usual_suspects() -> None:
    from skillgrid.services.accounts import common_passwords

    listed = common_passwords()
    assert len(listed) == 10_000
    assert {"password", "qwertyuiop", "1qaz2wsx3edc"} <= listed
    assert common_passwords() is listed  # read once


@pytest.mark.parametrize(
    "password",
    ["skillgrid-demo", "correct horse battery", "long enough now", "a brand new password"],
)
def test_the_demo_and_test_passwords_satisfy_the_rules(password: str) -> None:
    from skillgrid.services.accounts import common_passwords

    assert password_problem(password, "admin@example.com", common_passwords()) is None


def test_importing_the_app_reads_no_password_list() -> None:
    import subprocess
    import sys

    code = (
        "import skillgrid.cli, skillgrid.web.app, skillgrid.services.sign_in; "
        "from skillgrid.services.accounts import common_passwords; "
        "print(common_passwords.cache_info().currsize)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "0"
