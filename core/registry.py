"""A registry that a lower layer defines and higher layers fill.

The person overview, the caseload and (later) the work lists read from many
contexts. The layer that shows them must not import the contexts above it, so each
context registers what it contributes when Django loads it (in its ``AppConfig.ready``)
and the page reads the registry. Entries are kept in the order their ``order`` gives,
and a key belongs to one contribution: registering the same one again (an app's
``ready`` run twice) changes nothing, and a different one claiming a taken key fails at
start-up rather than silently replacing a panel.
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
        existing = self._entries.get(entry.key)
        if existing == entry:
            return existing
        if existing is not None:
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
