from django.http import HttpRequest
from ninja import Router, Schema

from accounts.roles import ROLE_LABELS, Capability, Role, capabilities_for
from accounts.scoping import geography_of
from core.api import api_requires, api_user

router = Router(tags=["Me"])


class MeOut(Schema):
    username: str
    name: str
    role: str
    role_label: str
    capabilities: list[str]
    scope_level: str
    region_id: str | None
    pdu_id: int | None
    team_id: int | None
    organisation: str | None


@router.get("/me", response=MeOut, summary="The signed-in user, their role and scope")
@api_requires(None)
def me(request: HttpRequest) -> MeOut:
    user = api_user(request)
    geography = geography_of(user)
    role = Role(user.role)
    return MeOut(
        username=user.username,
        name=user.get_full_name(),
        role=role.value,
        role_label=ROLE_LABELS[role],
        capabilities=sorted(c.value for c in capabilities_for(role) if isinstance(c, Capability)),
        scope_level=geography.level.value,
        region_id=geography.region_id,
        pdu_id=geography.pdu_id,
        team_id=geography.team_id,
        organisation=user.organisation.name if user.organisation_id else None,
    )
