"""The kernel's tables. Each lives in the module that uses it and is imported here,
where Django looks for models."""

from core.idempotency import IdempotencyKey

__all__ = ["IdempotencyKey"]
