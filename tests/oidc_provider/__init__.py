"""A real OpenID provider for the tests: node-oidc-provider (provider.js beside this file,
its version pinned by package-lock.json), started on a free loopback port, and a browser
of our own (httpx2, cookies kept) that signs in at it through its login form.

``npm ci`` runs once when node_modules is missing. Where Node.js is not installed the tests
that need the provider are skipped, except in CI (``CI`` set), where they fail: there the
provider must run."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest

HERE = Path(__file__).parent
CLIENT_ID = "skillgrid"
CLIENT_SECRET = "a-test-secret-that-only-this-provider-knows"
SCOPES = "openid email profile groups"
ADMIN_GROUP = "skillgrid-admins"


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET


def ensure_installed() -> None:
    """``npm ci`` when node_modules is missing; skip (fail in CI) without Node.js."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        if os.environ.get("CI"):
            pytest.fail("Node.js and npm are needed for the OpenID provider tests (.ci/run)")
        pytest.skip("Node.js is not installed: the OpenID provider tests need it")
    if (HERE / "node_modules" / "oidc-provider").is_dir():
        return
    # the suite's workers (pytest-xdist) may all get here at once: one installs
    lock = Path(tempfile.gettempdir()) / f"skillgrid-oidc-npm-{os.getuid()}.lock"
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        if (HERE / "node_modules" / "oidc-provider").is_dir():
            return
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=HERE, capture_output=True, text=True
        )
    if done.returncode != 0:
        pytest.fail(f"npm ci for the OpenID provider failed:\n{done.stdout}\n{done.stderr}")


@contextlib.contextmanager
def running(
    redirect_uris: list[str],
    post_logout_redirect_uris: Sequence[str] = (),
    *,
    extra_clients: Sequence[dict[str, object]] = (),
    id_token_ttl: int | None = None,
) -> Iterator[Provider]:
    """The provider on a free loopback port, with our client registered for
    ``redirect_uris``; stopped at the end. Fails loudly when it does not start."""
    ensure_installed()
    options: dict[str, object] = {
        "clients": [
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": redirect_uris,
                "post_logout_redirect_uris": list(post_logout_redirect_uris),
            },
            *extra_clients,
        ]
    }
    if id_token_ttl is not None:
        options["id_token_ttl"] = id_token_ttl
    process = subprocess.Popen(
        ["node", str(HERE / "provider.js"), json.dumps(options)],
        cwd=HERE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = _first_line(process, timeout=30)
        if not line:
            process.kill()
            _, errors = process.communicate(timeout=10)
            pytest.fail(f"the OpenID provider did not start:\n{errors}")
        stderr = threading.Thread(target=process.stderr.read, daemon=True)  # type: ignore[union-attr]
        stderr.start()  # keep its pipe from filling up
        yield Provider(json.loads(line)["issuer"])
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()


def _first_line(process: subprocess.Popen[str], timeout: float) -> str:
    found: list[str] = []
    reader = threading.Thread(
        target=lambda: found.append(process.stdout.readline()),  # type: ignore[union-attr]
        daemon=True,
    )
    reader.start()
    reader.join(timeout)
    return found[0].strip() if found else ""


def sign_in_at(provider: Provider, authorization_url: str, login: str, app_base: str) -> str:
    """Follow ``authorization_url`` as a browser would, sign in at the provider's login
    form as ``login`` (any password), and return the URL the provider sends the browser
    back to (on ``app_base``), without following it."""
    import httpx2

    with httpx2.Client(follow_redirects=False, timeout=10) as browser:
        answer = browser.get(authorization_url)
        for _ in range(10):
            location = answer.headers.get("location")
            if location is None:
                page = answer.text
                if 'name="prompt" value="login"' not in page:
                    raise AssertionError(f"no login form at the provider: {page[:500]}")
                action = page.split('action="', 1)[1].split('"', 1)[0]
                answer = browser.post(
                    urljoin(str(answer.url), action),
                    data={"prompt": "login", "login": login, "password": "anything"},
                )
                continue
            target = urljoin(str(answer.url), location)
            if target.startswith(app_base):
                return target
            answer = browser.get(target)
    raise AssertionError("the provider never sent the browser back")
