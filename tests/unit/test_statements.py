"""Splitting brag documents, notes and commit logs into statements."""

from skillgrid.domain.statements import (
    FIELD,
    RECORD,
    Statement,
    commit_statement,
    is_noise,
    parse_git_log,
    split_statements,
)

BRAG = """# 2026 H1 brag document

## Reliability
- Cut p99 latency of the checkout API from 800ms to 120ms with a **read-through** cache
- Led the [DNS migration](https://example.com/dns) to Route 53
  - Wrote the Terraform modules for every zone
  - Ran the cutover with zero downtime

## Team
1. Mentored two new hires through their first on-call week
2. Gave a talk on game days

```
kubectl get pods   # code is not a statement
```
"""


def test_bullets_become_statements_and_headings_give_context() -> None:
    found = split_statements(BRAG)
    assert found[0] == Statement(
        "Cut p99 latency of the checkout API from 800ms to 120ms with a read-through cache",
        "Reliability",
    )
    assert [s.text for s in found][1] == "Led the DNS migration to Route 53"
    assert all("H1 brag" not in s.text for s in found)


def test_nested_bullets_are_statements_with_their_parent_as_context() -> None:
    found = split_statements(BRAG)
    nested = [s for s in found if s.text.startswith(("Wrote the Terraform", "Ran the cutover"))]
    assert [s.context for s in nested] == ["Led the DNS migration to Route 53"] * 2


def test_numbered_items_count_and_code_blocks_do_not() -> None:
    texts = [s.text for s in split_statements(BRAG)]
    assert "Gave a talk on game days" in texts
    assert not any("kubectl" in t for t in texts)
    assert len(texts) == 6


def test_prose_is_split_into_sentences() -> None:
    text = "Rebuilt the CI pipeline, e.g. caching layers. Releases now take 15 minutes. Yay"
    assert [s.text for s in split_statements(text)] == [
        "Rebuilt the CI pipeline, e.g. caching layers.",
        "Releases now take 15 minutes.",
    ]


def test_plain_lines_and_wrapped_bullets() -> None:
    text = "- Moved every service's secrets into Vault\n  with rotation every 30 days\n\nok"
    assert [s.text for s in split_statements(text)] == [
        "Moved every service's secrets into Vault with rotation every 30 days"
    ]


def test_setext_headings_and_windows_line_ends() -> None:
    text = "Wins\r\n====\r\n* Set up BGP peering for anycast\r\n"
    assert split_statements(text) == [Statement("Set up BGP peering for anycast", "Wins")]


def test_empty_text_has_no_statements() -> None:
    assert split_statements("  \n\n# Only a heading\n---\n") == []


def test_commit_noise_is_recognised() -> None:
    noisy = [
        "Merge branch 'main' into feature",
        "Merge pull request #12 from ana/dns",
        "fixup! Add alerts",
        "squash! Add alerts",
        "Bump version to 1.4.2",
        "v2.3.0",
        "chore(release): 1.2.0",
        "Bump requests from 2.31.0 to 2.32.0",
        "Release 3.1",
        "WIP",
    ]
    assert [s for s in noisy if not is_noise(s)] == []
    assert not is_noise("Add p99 latency alerts for checkout")
    assert not is_noise("Release pipeline: build, test and deploy on every merge")


def test_git_log_gives_one_statement_per_commit_without_trailers() -> None:
    log = (
        f"{RECORD}abc123def4567890{FIELD}2026-05-01T10:00:00+00:00{FIELD}"
        f"Add jittered retries to the payment client{FIELD}"
        "Stops the retry storms we saw in March.\n\nMore detail.\n\n"
        "Signed-off-by: Ana <ana@x.org>\n"
        f"{RECORD}ffff{FIELD}2026-05-02T10:00:00+00:00{FIELD}Merge branch 'x'{FIELD}\n"
    )
    commits = parse_git_log(log)
    assert len(commits) == 1
    assert commit_statement(commits[0]) == Statement(
        "Add jittered retries to the payment client. Stops the retry storms we saw in March.",
        "commit abc123def456",
    )
