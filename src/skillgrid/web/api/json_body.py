"""The API's routes: JSON request bodies held to what can be stored and written back out,
and a plain ``def`` endpoint run in the thread pool once.

Python's json module reads more than JSON (RFC 8259) allows: ``NaN`` and ``Infinity``,
numbers that overflow to infinity (``1e309``), lone UTF-16 surrogates (``"\\ud800"``) and
text that is not UTF-8. None of them can be stored or answered, so a body holding one is
refused like any malformed JSON: 422 ``json_invalid``, saying what and where.

FastAPI runs a plain ``def`` endpoint in the thread pool, then checks its answer against the
response model in the thread pool again: under load an API request waited its turn for a
thread twice (a person's results, p50 20.1 ms against 15.5 in one turn at 120 req/s,
docs/performance.md). The endpoint's work is what must stay off the event loop; the check
is pydantic-core's (0.6 ms for a person's results, 25 KB, on a slow host), so it runs on the
loop after the endpoint's one turn.

API routers use :class:`StrictJsonRoute` for both.
"""

from __future__ import annotations

import functools
import inspect
import json
import math
import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

# a lone surrogate can only come from an escape: the text itself is strict UTF-8
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
# a string, or a bare word (a number, true, false, null, NaN, Infinity)
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[^\s\[\]{}:,"]+')
_WHAT_TO_DO = "send finite numbers and well-formed UTF-8 text"


def loads(body: bytes) -> Any:
    """``body`` as JSON, or :class:`json.JSONDecodeError` saying what is wrong and where."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        shown = body.decode("utf-8", "replace")
        raise json.JSONDecodeError(f"not UTF-8 text; {_WHAT_TO_DO}", shown, error.start) from None
    unusable = False

    def refuse(_: str) -> float:
        nonlocal unusable
        unusable = True
        return 0.0

    def finite(token: str) -> float:
        number = float(token)
        return refuse(token) if math.isinf(number) else number

    try:
        value = json.loads(text, parse_constant=refuse, parse_float=finite)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", text, 0) from None
    except json.JSONDecodeError:
        raise
    except ValueError as error:  # an integer of more than 4,300 digits
        raise json.JSONDecodeError(str(error), text, 0) from None
    if unusable or (_ESCAPED_SURROGATE.search(text) and _has_lone_surrogate(value)):
        raise _where_unusable(text)
    return value


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return not value.isascii() and any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def _where_unusable(text: str) -> json.JSONDecodeError:
    for token in _TOKEN.finditer(text):
        word = token.group()
        if word.startswith('"'):
            if _has_lone_surrogate(json.loads(word)):
                what = f"{word[:40]} holds a lone UTF-16 surrogate, which is not text"
                return json.JSONDecodeError(f"{what}; {_WHAT_TO_DO}", text, token.start())
        elif word in ("NaN", "Infinity", "-Infinity") or _overflows(word):
            what = f"{word[:40]} is not a finite number"
            return json.JSONDecodeError(f"{what}; {_WHAT_TO_DO}", text, token.start())
    return json.JSONDecodeError(_WHAT_TO_DO, text, 0)  # not reached: loads found one


def _overflows(word: str) -> bool:
    try:
        return math.isinf(float(word))
    except ValueError:
        return False


class StrictJsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = loads(await self.body())
        return self._json


class StrictJsonRoute(APIRoute):
    """A route whose JSON body is read by :func:`loads`, and whose plain ``def`` endpoint
    takes one turn in the thread pool (:func:`one_hop`)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, one_hop(endpoint), **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def strictly(request: Request) -> Response:
            return await handle(StrictJsonRequest(request.scope, request.receive))

        return strictly


def one_hop(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """``endpoint`` as FastAPI sees an ``async def`` one that runs it in the thread pool:
    the same parameters (``functools.wraps``), one turn in the pool, and its answer checked
    and serialized on the loop after it. Coroutines and generators stay as they are."""
    if inspect.iscoroutinefunction(endpoint) or inspect.isgeneratorfunction(endpoint):
        return endpoint

    @functools.wraps(endpoint)
    async def in_the_pool(*args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(endpoint, *args, **kwargs)

    return in_the_pool
