"""``skillgrid serve --workers N``: each worker listens on a socket of its own (SO_REUSEPORT)
so the kernel spreads connections over them; a worker that dies is replaced; SIGTERM stops
them all; a port another program holds is refused in one line, before anything starts."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from typer.testing import CliRunner

from skillgrid.cli import app


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _workers(supervisor: int) -> list[int]:
    """The supervisor's worker processes (multiprocessing's resource tracker left out)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        if parent == supervisor and b"resource_tracker" not in command:
            found.append(int(entry.name))
    return sorted(found)


def _listening_sockets(port: int) -> set[str]:
    """The inodes of the sockets listening on ``port`` (from /proc/net/tcp)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state, inode = fields[1], fields[3], fields[9]
        if state == "0A" and int(local.split(":")[1], 16) == port:  # 0A: LISTEN
            inodes.add(inode)
    return inodes


def _sockets_of(pid: int) -> set[str]:
    held = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            held.add(target[len("socket:[") : -1])
    return held


def _until(condition, seconds: float = 60):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s: {condition}")


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = _free_port()
    env = {
        **os.environ,
        "SKILLGRID_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "SKILLGRID_SUGGESTION_BACKEND": "lexical",  # no model to load
        "SKILLGRID_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "skillgrid", "serve", "--port", str(port), "--workers", "2"]
    with (tmp_path / "log").open("wb") as log:
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        _until(lambda: len(_listening_sockets(port)) == 2)
        yield server, port
    finally:
        if server.poll() is None:
            for pid in _workers(server.pid):  # before their parent goes: then they are init's
                os.kill(pid, signal.SIGKILL)
            server.kill()
        server.wait()


def test_each_worker_listens_on_a_socket_of_its_own_and_all_of_them_answer(
    two_workers: tuple[subprocess.Popen[bytes], int],
) -> None:
    server, port = two_workers
    workers = _until(lambda: len(_workers(server.pid)) == 2 and _workers(server.pid))
    listening = _listening_sockets(port)
    assert {inode for pid in workers for inode in _sockets_of(pid) & listening} == listening
    assert all(len(_sockets_of(pid) & listening) == 1 for pid in workers)
    assert not _sockets_of(server.pid) & listening  # the supervisor serves nothing itself
    base = f"http://127.0.0.1:{port}"
    answers = [httpx.get(f"{base}/healthz", timeout=5).status_code for _ in range(40)]
    assert answers == [200] * 40  # a new connection each: every worker takes its share


def test_a_worker_that_dies_is_replaced_and_sigterm_stops_them_all(
    two_workers: tuple[subprocess.Popen[bytes], int],
) -> None:
    server, port = two_workers
    base = f"http://127.0.0.1:{port}"
    first, second = _until(lambda: len(_workers(server.pid)) == 2 and _workers(server.pid))
    os.kill(first, signal.SIGKILL)
    _until(lambda: not Path(f"/proc/{first}/fd").exists() or not _sockets_of(first))
    assert _healthy(base)  # the other worker's socket answers meanwhile
    replaced = _until(lambda: first not in (now := _workers(server.pid)) and len(now) == 2 and now)
    assert second in replaced
    _until(lambda: len(_listening_sockets(port)) == 2)
    assert _healthy(base)
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=45) == 0
    assert not _workers(server.pid) and not _listening_sockets(port)


def test_serve_refuses_a_port_another_program_listens_on_before_migrating(
    tmp_path: Path,
) -> None:
    database = tmp_path / "untouched.sqlite"
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        refused = CliRunner().invoke(
            app,
            ["serve", "--port", str(port), "--workers", "2"],
            env={"SKILLGRID_DATABASE_URL": f"sqlite:///{database}", "NO_COLOR": "1"},
        )
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"error: port {port} on 127.0.0.1 is in use by another program: stop it or choose "
        "another --port\n"
    )
    assert not database.exists()


def test_workers_stop_by_themselves_when_their_supervisor_is_killed(
    two_workers: tuple[subprocess.Popen[bytes], int],
) -> None:
    server, port = two_workers
    workers = _until(lambda: len(_workers(server.pid)) == 2 and _workers(server.pid))
    server.kill()  # SIGKILL: the supervisor stops nothing itself
    server.wait()
    _until(lambda: not any(Path(f"/proc/{pid}/fd").exists() for pid in workers), seconds=45)
    assert not _listening_sockets(port)
