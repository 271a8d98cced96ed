"""Statements: the pieces of a brag document, a note or a commit log that may each evidence
a criterion.

Text is read as Markdown or plain text: a heading gives context to the statements below it
and is not a statement itself; each bullet or numbered item is one statement, a nested item
too (its parent becomes its context); a paragraph of prose is split into sentences. Code
blocks, rules, tables' separator rows and lines too short to say anything are dropped.
A git log (see ``git_log_statements``) gives one statement per commit, noise left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from skillgrid.domain.splitting import split_sentences

MAX_STATEMENT = 1000  # characters kept of one statement
MIN_WORDS = 3

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_BULLET = re.compile(r"^(\s*)(?:[-*+•◦▪‣●○►▸✓✔➤→]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?(.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Statement:
    """One claim of work, with the heading or parent item it sits under (if any)."""

    text: str
    context: str | None = None


def split_statements(text: str) -> list[Statement]:
    """The statements of a Markdown or plain-text document, in reading order."""
    statements: list[Statement] = []
    heading: str | None = None
    parents: list[tuple[int, str]] = []  # (indent, text) of the open bullet items
    paragraph: list[str] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def flush() -> None:
        if paragraph:
            for sentence in split_sentences(" ".join(paragraph)):
                _keep(statements, sentence, heading)
            paragraph.clear()

    in_code = False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            flush()
            in_code = not in_code
            continue
        if in_code:
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if (found := _HEADING.match(line)) or (
            line.strip() and _SETEXT.match(following) and not _BULLET.match(line)
        ):
            flush()
            heading = _clean(found.group(1) if found else line) or None
            parents.clear()
            continue
        if not line.strip() or _SETEXT.match(line) or _RULE.match(line) or _TABLE_RULE.match(line):
            flush()
            continue
        if bullet := _BULLET.match(line):
            flush()
            indent = len(bullet.group(1).expandtabs(4))
            while parents and parents[-1][0] >= indent:
                parents.pop()
            item = _clean(bullet.group(2))
            context = parents[-1][1] if parents else heading
            _keep(statements, item, context)
            parents.append((indent, item))
            continue
        if parents and line[:1].isspace() and statements:
            last = statements[-1]  # a wrapped bullet: the line continues the item above
            statements[-1] = Statement(_clip(f"{last.text} {_clean(line)}"), last.context)
            parents[-1] = (parents[-1][0], statements[-1].text)
            continue
        parents.clear()
        paragraph.append(_clean(line.strip().strip("|").replace("|", " · ")))
    flush()
    return statements


def _keep(statements: list[Statement], text: str, context: str | None) -> None:
    text = _clip(text)
    if len(text.split()) >= MIN_WORDS:
        statements.append(Statement(text, context))


def _clean(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    return _SPACES.sub(" ", text).strip()


def _clip(text: str) -> str:
    return text if len(text) <= MAX_STATEMENT else text[: MAX_STATEMENT - 1].rstrip() + "…"


# --- git history ------------------------------------------------------------------------------

RECORD = "\x1e"  # git log --format: %x1e before each commit, %x1f between its fields
FIELD = "\x1f"
GIT_LOG_FORMAT = "%x1e%H%x1f%aI%x1f%s%x1f%b"

_NOISE = re.compile(
    r"""^(?:
        merge\b | (?:fixup|squash|amend)! | wip\b | revert\s+"merge |
        (?:chore|build|ci)(?:\([^)]*\))?!?:\s*(?:release|bump|version) |
        (?:chore|build|ci)\((?:release|version)\) |
        (?:bump|release|prepare\s+release|preparing\s+release)\b.*?\bv?\d+\.\d+ |
        bump\s+version | version\s+bump | v?\d+\.\d+(?:\.\d+)?(?:[-+.]\w+)*\s*$ |
        update\s+changelog\s*$ | initial\s+commit\s*$ | typo\s*$ | fix\s+typo\s*$ |
        bump\s+\S+\s+from\s+\S+\s+to\s+\S+
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_TRAILER = re.compile(r"^[A-Za-z][\w-]*(?:-by|-Id|-id|-To|-to|Change-Id): .*$")


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # ISO 8601, as git prints %aI
    subject: str
    body: str


def is_noise(subject: str) -> bool:
    """Whether a commit subject says nothing about the work: merges, fixups, version bumps."""
    return bool(_NOISE.match(subject.strip()))


def parse_git_log(output: str) -> list[Commit]:
    """Commits from ``git log --format=GIT_LOG_FORMAT`` output, noise dropped."""
    commits: list[Commit] = []
    for record in output.split(RECORD):
        fields = record.split(FIELD)
        if len(fields) < 4:
            continue
        sha, date, subject, body = (f.strip() for f in fields[:4])
        if not subject or is_noise(subject):
            continue
        body_lines = [ln for ln in body.splitlines() if not _TRAILER.match(ln.strip())]
        commits.append(Commit(sha, date, subject, "\n".join(body_lines).strip()))
    return commits


def commit_statement(commit: Commit) -> Statement:
    """One statement per commit: the subject, then the first paragraph of the body."""
    first = _clean(" ".join(commit.body.split("\n\n")[0].split())) if commit.body else ""
    subject = commit.subject.rstrip(".")
    return Statement(
        _clip(f"{subject}. {first}" if first else subject), f"commit {commit.sha[:12]}"
    )
