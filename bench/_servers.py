"""Servers for the web benchmarks: start one on a free port, wait until it answers, stop it,
and read what its processes cost (CPU time, peak resident memory) from /proc."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO

HERE = Path(__file__).parent
SKILLGRID = [sys.executable, "-m", "skillgrid"]
UVICORN = [
    sys.executable,
    *("-m", "uvicorn", "--loop", "asyncio", "--workers", "1"),
    *("--log-level", "warning", "--no-access-log"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(
    command: list[str], env: dict[str, str], log: IO[bytes] | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    """Start a server on a free port (its log lines are written, as in production, to
    ``log`` or nowhere) and wait until it listens."""
    port = free_port()
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        cwd=HERE,
        stdout=subprocess.DEVNULL,
        stderr=log or subprocess.DEVNULL,
        start_new_session=True,  # its own process group: stop() ends the workers too
    )
    deadline = time.monotonic() + 120  # a first `serve` on a machine fills its caches
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{command} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return process, port
        except OSError:
            time.sleep(0.05)
    stop(process)
    raise RuntimeError(f"{command} did not start")


def wait_healthy(port: int, path: str = "/healthz", seconds: float = 180) -> None:
    """Wait until ``path`` answers 200: with several workers the supervisor listens before
    any worker has opened the database."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"http://127.0.0.1:{port}{path} did not answer 200")
        time.sleep(0.2)


def stop(*processes: subprocess.Popen[bytes]) -> None:
    """Ask each server to stop, then kill what is left of its process group: a worker
    drains its backlog before it exits, which after an overload takes minutes."""
    for process in processes:
        _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        _signal_group(process, signal.SIGKILL)
        process.wait()


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)  # the group start() made, named by the server's id


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from /proc, no psutil)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def workers(pid: int) -> list[int]:
    """The worker processes of a uvicorn started with ``pid``: its children, leaving out
    multiprocessing's resource tracker; the process itself when it serves alone."""
    found = [c for c in children(pid) if b"resource_tracker" not in _cmdline(c)]
    return found or [pid]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def peak_rss_mb(pid: int) -> float:
    """The peak resident set size (VmHWM) of a live process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def machine_cpu_seconds() -> tuple[float, float]:
    """CPU time every process on the machine has used so far, and all the time the kernel
    accounted for, idle included (all cores, from /proc/stat). Over a stretch of wall time,
    what the second falls short of wall × cores is time the machine's CPUs did not run at
    all: the hypervisor ran someone else, whether or not it reports that as steal."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, idle, iowait, irq, softirq, steal = map(int, fields[:8])
    used = user + nice + system + irq + softirq + steal
    return used / os.sysconf("SC_CLK_TCK"), (used + idle + iowait) / os.sysconf("SC_CLK_TCK")


def sign_in(port: int, email: str, password: str) -> str:
    """Sign in through the form, as a browser does; the session cookie to send."""
    import httpx2 as httpx

    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        client.get("/login")
        token = client.cookies.get("skillgrid_login_csrf")
        client.post("/login", data={"email": email, "password": password, "csrf_token": token})
        return f"skillgrid_session={client.cookies.get('skillgrid_session')}"
