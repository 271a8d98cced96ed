"""The SCIM rules that need no server: which filters are served, and paging."""

from __future__ import annotations

import pytest

from skillgrid.domain.scim import GROUP, USER, Equals, ScimError, page_of, parse_filter


def test_an_eq_filter_is_read_whatever_the_case_of_its_words_and_with_escaped_quotes() -> None:
    assert parse_filter(USER, 'UserName EQ "a@x.org"') == Equals("name", "a@x.org")
    assert parse_filter(GROUP, r'displayName eq "say \"hi\""') == Equals("name", 'say "hi"')
    assert parse_filter(USER, 'externalId eq "00u1"') == Equals("external_id", "00u1")
    full = 'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a@x.org"'
    assert parse_filter(USER, full) == Equals("name", "a@x.org")
    assert parse_filter(USER, None) is None and parse_filter(USER, "  ") is None


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (USER, 'userName co "a"'),
        (USER, 'userName eq "a" and active eq true'),
        (USER, 'displayName eq "Ana"'),
        (GROUP, 'userName eq "a@x.org"'),
        (USER, "userName eq a@x.org"),
    ],
)
def test_any_other_filter_is_an_invalid_filter_naming_what_is_served(kind: str, text: str) -> None:
    with pytest.raises(ScimError) as refused:
        parse_filter(kind, text)
    assert (refused.value.status, refused.value.scim_type) == (400, "invalidFilter")
    assert "externalId eq" in refused.value.detail


def test_paging_counts_from_one_and_keeps_count_between_0_and_1000() -> None:
    assert page_of(None, None) == (0, 100)
    assert page_of(0, -5) == (0, 0)
    assert page_of(11, 5000) == (10, 1000)
