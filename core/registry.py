"""A registry that a lower layer defines and higher layers fill.

The person overview, the caseload and (later) the work lists read from many
contexts. The layer that shows them must not import the contexts above it, so each
context registers what it contributes when Django loads it (in its ``AppConfig.ready``)
and the page reads the registry. Entries are kept in the order their ``order`` gives,
and a key may be registered once only, so a context loaded twice (or two contexts
claiming the same key) fails at start-up rather than showing a panel twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, Protocol, TypeVar


class Registrable(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def order(self) -> int: ...


T = TypeVar("T", bound=Registrable)


class DuplicateRegistration(Exception):
    """Two contributions claimed the same key."""


class Registry(Generic[T]):
    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[str, T] = {}

    def register(self, entry: T) -> T:
        if entry.key in self._entries:
            raise DuplicateRegistration(f"{self.name}: {entry.key!r} is registered already")
        self._entries[entry.key] = entry
        return entry

    def __iter__(self) -> Iterator[T]:
        return iter(sorted(self._entries.values(), key=lambda e: (e.order, e.key)))

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> T | None:
        return self._entries.get(key)

    def keys(self) -> list[str]:
        return [e.key for e in self]
