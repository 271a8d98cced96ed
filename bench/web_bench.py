"""The web app under load: the growth page and the API results endpoint on a demo database,
each ~10 s over loopback with wrk, beside a bare ``async def`` hello endpoint measured in the
same run (one uvicorn worker each). Prints requests/s, p50 and p99.

Targets: growth page ≥ 40% of the bare endpoint's throughput, API ≥ 50%, p99 ≤ 50 ms at 50
connections. Both are answered from memory after the first request (nothing changes during
the run); "growth, recomputed" is the same page on a server that keeps nothing (as right
after any change), for information. Needs `wrk` (Debian package).
Run: python bench/web_bench.py [--seconds 10] [--database-url EMPTY_DB_URL]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _servers import UVICORN, start


def wrk(url: str, seconds: int, connections: int, headers: list[str]) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    for header in headers:
        command += ["-H", header]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def millis(label: str) -> float:
        match = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", text)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {
        "rps": rps,
        "p50": millis("50"),
        "p99": millis("99"),
        "errors": float(errors.group(1)) if errors else 0.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument(
        "--database-url",
        help="an empty database to build the demo in (default: a new SQLite file)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk)")
        return 2
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'demo.db'}"
    env = {**os.environ, "SKILLGRID_DATABASE_URL": url}
    skillgrid = [sys.executable, "-m", "skillgrid"]
    subprocess.run([*skillgrid, "demo"], env=env, check=True, capture_output=True)
    made = subprocess.run(
        [*skillgrid, "user", "add", "eli@example.com", "--generate"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    password = made.rsplit("Password: ", 1)[1].strip()
    # SkillGrid as users start it; the bare endpoint on the same uvicorn settings; and
    # SkillGrid keeping nothing in memory, to show what a page costs right after a change
    app, port = start([*skillgrid, "serve", "--workers", "1"], env)
    hello, hello_port = start([*UVICORN, "hello_app:app"], env)
    keeping_off = {**env, "SKILLGRID_RESPONSE_CACHE_MB": "0"}
    cold, cold_port = start([*skillgrid, "serve", "--workers", "1"], keeping_off)
    try:
        cookie = sign_in(port, "eli@example.com", password)
        token = api_token(port, cookie)
        runs = {
            "bare async hello": wrk(
                f"http://127.0.0.1:{hello_port}/hello", args.seconds, args.connections, []
            ),
            "growth page": wrk(
                f"http://127.0.0.1:{port}/people/eli@example.com/growth",
                args.seconds,
                args.connections,
                [f"Cookie: {cookie}"],
            ),
            "API results": wrk(
                f"http://127.0.0.1:{port}/api/v1/people/eli@example.com/results",
                args.seconds,
                args.connections,
                [f"Authorization: Bearer {token}"],
            ),
            "growth, recomputed": wrk(
                f"http://127.0.0.1:{cold_port}/people/eli@example.com/growth",
                args.seconds,
                args.connections,
                [f"Cookie: {cookie}"],
            ),
        }
    finally:
        for process in (app, hello, cold):
            process.terminate()
            process.wait(timeout=10)
    base = runs["bare async hello"]["rps"]
    targets = {"growth page": 0.40, "API results": 0.50}
    ok = True
    for name, run in runs.items():
        share = run["rps"] / base
        goal = targets.get(name)
        verdict = (
            "" if goal is None else (" ok" if share >= goal and run["p99"] <= 50 else " MISSED")
        )
        ok &= goal is None or verdict == " ok"
        latency = f"p50 {run['p50']:6.1f} ms  p99 {run['p99']:6.1f} ms"
        print(
            f"{name:<18} {run['rps']:8.0f} req/s  {latency}  {share:5.0%} of bare"
            f"  errors {run['errors']:.0f}{verdict}"
        )
    return 0 if ok else 1


def sign_in(port: int, email: str, password: str) -> str:
    import httpx2 as httpx

    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        client.get("/login")
        token = client.cookies.get("skillgrid_login_csrf")
        client.post("/login", data={"email": email, "password": password, "csrf_token": token})
        return f"skillgrid_session={client.cookies.get('skillgrid_session')}"


def api_token(port: int, cookie: str) -> str:
    import httpx2 as httpx

    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Cookie": cookie}) as client:
        return str(client.post("/api/v1/tokens", json={"name": "bench"}).json()["token"])


if __name__ == "__main__":
    sys.exit(main())
