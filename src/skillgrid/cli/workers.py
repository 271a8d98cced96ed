"""``skillgrid serve --workers N``: N uvicorn processes, each listening on a socket of its
own bound to the same address (SO_REUSEPORT), and a small supervisor that starts them,
replaces one that dies and stops them all on SIGTERM or Ctrl-C.

Uvicorn's own ``--workers`` shares one listening socket: whichever worker is awake accepts
what is waiting, and a keep-alive connection stays with the worker that accepted it. Under
the review-week load (45–70 keep-alive connections) one worker served about twice the
other's requests and its queue was the p99 (docs/performance.md). With a socket each, the
kernel hands every new connection to a worker chosen by the connection's addresses."""

from __future__ import annotations

import errno
import logging
import multiprocessing
import os
import signal
import socket
import threading
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from typing import Any

log = logging.getLogger("skillgrid.serve")

STARTUP_FAILURE = 3  # uvicorn's exit code when the app could not start (uvicorn.config)
GRACE_SECONDS = 30  # for the requests under way when told to stop


class PortUnavailable(Exception):
    """The address cannot be listened on: another program holds it, or it is not ours."""


def check_port(host: str, port: int) -> None:
    """Bind the address once without SO_REUSEPORT: it fails when anything listens there,
    which the workers' SO_REUSEPORT sockets would otherwise join silently when it is
    another SkillGrid of the same user."""
    try:
        with socket.create_server((host, port), family=_family(host)):
            pass
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise PortUnavailable(
                f"port {port} on {host} is in use by another program: stop it or choose "
                "another --port"
            ) from None
        raise PortUnavailable(
            f"cannot listen on {host}:{port} ({error.strerror or error}): check --host and "
            "--port (ports below 1024 need privileges)"
        ) from None


def run_workers(options: dict[str, Any], count: int) -> int:
    """Serve with ``count`` worker processes, each running ``uvicorn.Config(**options)``
    on its own socket, until SIGTERM or SIGINT; the exit status (1 when a worker could
    not start, which every replacement would repeat)."""
    context = multiprocessing.get_context("spawn")  # no state of the parent inherited
    stop_signals: list[int] = []
    previous = {
        number: signal.signal(number, lambda received, _: stop_signals.append(received))
        for number in (signal.SIGINT, signal.SIGTERM)
    }
    workers: list[BaseProcess] = []
    try:
        workers = [_start(context, options) for _ in range(count)]
        while not stop_signals:
            wait([worker.sentinel for worker in workers], timeout=0.5)
            for index, worker in enumerate(workers):
                if worker.is_alive() or stop_signals:
                    continue
                if worker.exitcode == STARTUP_FAILURE:
                    log.error("worker %s could not start; stopping the others", worker.pid)
                    return 1
                log.warning(
                    "worker %s ended (exit code %s); starting another", worker.pid, worker.exitcode
                )
                workers[index] = _start(context, options)
        log.info("stopping %d workers (signal %d)", len(workers), stop_signals[0])
        return 0
    finally:
        _stop(workers)
        for number, handler in previous.items():
            signal.signal(number, handler)


def _start(context: Any, options: dict[str, Any]) -> BaseProcess:
    worker: BaseProcess = context.Process(target=_serve, args=(options,), name="skillgrid-worker")
    worker.start()
    return worker


def _stop(workers: list[BaseProcess]) -> None:
    """SIGTERM each (uvicorn finishes the requests under way), then kill what is left after
    the grace period."""
    for worker in workers:
        if worker.is_alive():
            worker.terminate()
    for worker in workers:
        worker.join(GRACE_SECONDS)
        if worker.is_alive():
            log.warning("worker %s did not stop in %d s; killing it", worker.pid, GRACE_SECONDS)
            worker.kill()
            worker.join()


def _serve(options: dict[str, Any]) -> None:
    """One worker: a socket of its own bound to the shared address, then uvicorn on it.
    Uvicorn listens on it only once the app has started, so no connection waits in the
    queue of a worker still starting (a replacement, a slow start). A worker whose
    supervisor has gone (killed, crashed) stops too, instead of serving on unsupervised."""
    import uvicorn

    supervisor = multiprocessing.parent_process()
    if supervisor is not None:
        threading.Thread(target=_stop_after, args=(supervisor,), daemon=True).start()
    host, port = options["host"], options["port"]
    bound = socket.socket(_family(host), socket.SOCK_STREAM)
    try:
        bound.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        bound.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        bound.bind((host, port))
    except OSError as error:
        bound.close()
        log.error("worker cannot listen on %s:%s: %s", host, port, error)
        raise SystemExit(STARTUP_FAILURE) from None
    uvicorn.Server(uvicorn.Config(**options)).run(sockets=[bound])


def _stop_after(supervisor: BaseProcess) -> None:
    supervisor.join()  # returns once the supervisor has exited, however it ended
    log.warning("the supervisor has gone; worker %s stops", os.getpid())
    os.kill(os.getpid(), signal.SIGTERM)  # uvicorn's graceful shutdown


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET
