"""Read one big JSON document piece by piece, so an import never holds the whole file.

The export writes one row per line, but the reader does not depend on it: any valid JSON
with the same keys in the same order reads the same (whitespace is free). Each scalar or
row is parsed by the standard library's C decoder; only the structure around them is
walked here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, TextIO

CHUNK = 1 << 20
_SPACE = re.compile(r"[ \t\r\n]*")


class JsonSyntaxError(ValueError):
    """The document is not valid JSON here, or ends too early (``truncated``)."""

    def __init__(self, message: str, offset: int, *, truncated: bool = False) -> None:
        self.offset = offset
        self.truncated = truncated
        super().__init__(f"{message} (at character {offset})")


class JsonStream:
    """A cursor over a text stream: ``expect`` punctuation, read whole ``value``s."""

    def __init__(self, source: TextIO) -> None:
        self.source = source
        self.buffer = ""
        self.pos = 0
        self.consumed = 0  # characters dropped from the front of the buffer
        self.eof = False
        self.where = "the start"  # what is being read, for messages
        self._decoder = json.JSONDecoder()

    @property
    def offset(self) -> int:
        return self.consumed + self.pos

    def _fill(self) -> bool:
        if self.eof:
            return False
        chunk = self.source.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.consumed += self.pos
        self.buffer = self.buffer[self.pos :] + chunk
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while True:
            self.pos = _SPACE.match(self.buffer, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._fill():
                return ""

    def expect(self, *allowed: str) -> str:
        """Consume the next character, which must be one of ``allowed``."""
        found = self.peek()
        if found not in allowed or not found:
            wanted = " or ".join(repr(a) for a in allowed)
            if not found:
                raise JsonSyntaxError(
                    f"the document ends where {wanted} was due", self.offset, truncated=True
                )
            raise JsonSyntaxError(f"expected {wanted}, found {found!r}", self.offset)
        self.pos += 1
        return found

    def value(self) -> Any:
        """The next complete JSON value (a string, number, row …)."""
        self.peek()
        while True:
            try:
                found, end = self._decoder.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as error:
                if self._fill():
                    continue
                truncated = error.pos >= len(self.buffer) - 1 or "Unterminated" in error.msg
                raise JsonSyntaxError(
                    f"not valid JSON: {error.msg}", self.consumed + error.pos, truncated=truncated
                ) from None
            if end >= len(self.buffer) and self._fill():
                continue  # a number may go on in the next chunk
            self.pos = end
            return found

    def array(self) -> Iterator[Any]:
        """Each value of the array that starts here, one at a time."""
        self.expect("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.value()
            if self.expect(",", "]") == "]":
                return

    def end(self) -> None:
        """Only white space may follow the document."""
        if self.peek():
            raise JsonSyntaxError("unexpected text after the end of the document", self.offset)
