from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from audit.models import AuditEvent
from audit.selectors import search_events
from core.api import PageNumberPagination, api_requires
from core.roles import Capability

router = Router(tags=["Audit"])


class AuditEventOut(Schema):
    id: int
    occurred_at: datetime
    actor_username: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict[str, Any]
    request_id: str
    ip_address: str | None
    previous_hash: str
    hash: str


class AuditFilter(Schema):
    actor_username: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    request_id: str = ""
    date_from: date | None = None
    date_to: date | None = None


@router.get("/events", response=list[AuditEventOut], summary="Search the audit trail")
@api_requires(Capability.VIEW_AUDIT)
@paginate(PageNumberPagination, page_size=100)
def list_events(request: HttpRequest, filters: Query[AuditFilter]) -> QuerySet[AuditEvent]:
    return search_events(**filters.dict())
