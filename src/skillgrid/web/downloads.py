"""Headers of a file the browser saves rather than shows."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

_UNSAFE = re.compile(r'[^\x20-\x7e]|["\\/]')


def attachment(filename: str) -> str:
    """A Content-Disposition saving the answer as ``filename``: RFC 6266's plain ASCII
    ``filename`` for old clients (accents dropped, anything else unsafe as ``_``) and RFC
    5987's ``filename*`` with the name itself, in UTF-8."""
    plain = unicodedata.normalize("NFKD", filename)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    plain = _UNSAFE.sub("_", plain)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"
