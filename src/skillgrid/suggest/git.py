"""Read a repository's history with ``git log`` (a subprocess; git must be installed)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from skillgrid.domain.errors import InputError, Problem
from skillgrid.domain.statements import GIT_LOG_FORMAT, Commit, parse_git_log

MAX_COMMITS = 500


def read_commits(path: Path, author: str | None, since: str | None) -> list[Commit]:
    """Non-merge commits of ``path`` (newest first) by ``author`` since ``since``, noise
    dropped; a missing git or a folder that is not a repository is an InputError."""
    git = shutil.which("git")
    if git is None:
        raise InputError([Problem("git is not installed", "install git, or paste the text")])
    command = [git, "-C", str(path), "log", "--no-merges", f"--format={GIT_LOG_FORMAT}"]
    command.append(f"--max-count={MAX_COMMITS}")
    if author:
        command.append(f"--author={author}")
    if since:
        command.append(f"--since={since}")
    done = subprocess.run(
        command, capture_output=True, text=True, encoding="utf-8", errors="replace", check=False
    )
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "git failed"
        raise InputError([Problem(f"{path}: {message}", "give the folder of a git repository")])
    return parse_git_log(done.stdout)
