"""The unit of work: one transaction per use case; repositories hang off it."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from skillgrid.domain.framework import Framework, VersionInfo


class FrameworkRepository(Protocol):
    def latest(self, name: str) -> Framework | None: ...
    def get(self, name: str, version: int | None = None) -> Framework | None: ...
    def versions(self, name: str) -> list[VersionInfo]: ...
    def latest_versions(self) -> list[VersionInfo]: ...
    def add(
        self,
        framework: Framework,
        changes: dict[int, str],
        source: str | None,
        source_format: str | None,
    ) -> Framework: ...


class UnitOfWork(Protocol):
    @property
    def frameworks(self) -> FrameworkRepository: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
