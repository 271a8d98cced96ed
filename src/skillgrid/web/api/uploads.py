"""A file sent as the request body (a ladder, a people list): read up to the upload limit
(413 past it, before the rest is read), and what its Content-Type says of its format and
encoding. The file's own name may come as the ``filename`` query parameter: messages name
it, and its extension tells the format when nothing else does."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request

from skillgrid.web.api.params import NAME
from skillgrid.web.limits import MAX_UPLOAD

# Content-Type → format (the importers' names); any other type (application/octet-stream,
# text/plain, none) leaves it to the file name, then to the content.
MEDIA_TYPES = {
    "text/tab-separated-values": "tsv",
    "text/csv": "csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/markdown": "md",
    "application/yaml": "yaml",
    "application/x-yaml": "yaml",
    "text/yaml": "yaml",
    "application/json": "json",
}
_TOO_LARGE = (
    f"the file is over {MAX_UPLOAD // 1024 // 1024} MB: a ladder or people file is far "
    "smaller, check the file"
)


async def _read_body(request: Request) -> bytes:
    """The body, refused with 413 as soon as it passes the upload limit."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_UPLOAD:
        raise HTTPException(413, _TOO_LARGE)
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_UPLOAD:
            raise HTTPException(413, _TOO_LARGE)
    return bytes(data)


FileBody = Annotated[bytes, Depends(_read_body)]
FileName = Annotated[
    str | None,
    Query(
        max_length=255,
        pattern=NAME,
        description="The file's name, e.g. people.csv: messages name it, and its extension "
        "tells the format when neither `format` nor the Content-Type does.",
    ),
]


def media_format(request: Request) -> str | None:
    """The format the Content-Type names, if it names one."""
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return MEDIA_TYPES.get(kind)


def media_charset(request: Request) -> str | None:
    """The Content-Type's ``charset`` parameter, if any (text sent in another encoding)."""
    for parameter in request.headers.get("content-type", "").split(";")[1:]:
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')[:40]
    return None


def file_request_body(
    description: str, example: str, kinds: tuple[str, ...] = tuple(MEDIA_TYPES)
) -> dict[str, Any]:
    """The OpenAPI ``requestBody`` of a route that takes a file of one of the media
    ``kinds`` (or application/octet-stream) as its body, with a CSV ``example``."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    kinds = ("application/octet-stream", *kinds)
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {
                kind: {**binary, "example": example} if kind == "text/csv" else binary
                for kind in kinds
            },
        }
    }
