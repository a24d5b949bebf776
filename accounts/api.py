from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from accounts import selectors, services
from accounts.models import User
from core.api import PageNumberPagination, api_requires, api_user
from core.roles import ROLE_LABELS, Capability, Role, ScopeLevel, capabilities_for_roles, in_table_order
from core.scoping import geography_of
from organisation import selectors as organisation_selectors

router = Router(tags=["Me"])


class MeOut(Schema):
    username: str
    name: str
    roles: list[str] = Field(description="Every role the user holds, in the role table's order")
    role_labels: list[str]
    capabilities: list[str] = Field(description="The union of what the user's roles grant")
    scope_level: str
    region_id: str | None
    pdu_id: int | None
    team_id: int | None
    organisation: str | None


@router.get("/me", response=MeOut, summary="The signed-in user, their roles and scope")
@api_requires(None)
def me(request: HttpRequest) -> MeOut:
    user = api_user(request)
    geography = geography_of(user)
    roles = in_table_order(user.roles)
    return MeOut(
        username=user.username,
        name=user.get_full_name(),
        roles=[role.value for role in roles],
        role_labels=[ROLE_LABELS[role] for role in roles],
        capabilities=sorted(c.value for c in capabilities_for_roles(roles)),
        scope_level=geography.level.value,
        region_id=geography.region_id,
        pdu_id=geography.pdu_id,
        team_id=geography.team_id,
        organisation=user.organisation.name if user.organisation_id else None,
    )


class UserOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    roles: list[Role]
    scope_level: str
    is_active: bool
    staff_code: str | None
    organisation_code: str | None
    version: int

    @staticmethod
    def resolve_roles(obj: Any) -> list[Role]:
        return in_table_order(obj.roles)

    @staticmethod
    def resolve_staff_code(obj: Any) -> str | None:
        return obj.staff.staff_code if obj.staff_id else None

    @staticmethod
    def resolve_organisation_code(obj: Any) -> str | None:
        return obj.organisation.code if obj.organisation_id else None


class UserIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    first_name: str = Field(min_length=1, max_length=150)
    last_name: str = Field(min_length=1, max_length=150)
    email: str = Field("", max_length=254)
    roles: list[Role] = Field(
        min_length=1,
        description="One or more roles; staff roles and external organisation roles cannot be mixed",
    )
    scope_level: ScopeLevel | None = Field(
        None, description="Omitted: the widest usual scope among the roles"
    )
    staff_code: str | None = None
    organisation_code: str | None = None
    password: str = Field(min_length=1, max_length=200)


class UserAccessIn(Schema):
    roles: list[Role] = Field(
        min_length=1,
        description="The whole set of roles the user is to hold, replacing the current set",
    )
    scope_level: ScopeLevel
    is_active: bool
    version: int = Field(description="The account's version the change was decided on")


@router.get(
    "/users",
    response=list[UserOut],
    tags=["Users"],
    summary="User accounts",
    description="`q` matches names, usernames and staff codes; `role` keeps users holding that role "
    "(among any others they hold).",
)
@api_requires(Capability.MANAGE_USERS)
@paginate(PageNumberPagination, page_size=50)
def list_users(request: HttpRequest, q: str = "", role: str = "") -> QuerySet[User]:
    return selectors.search_users(q[:100], role)


@router.get("/users/{user_id}", response=UserOut, tags=["Users"])
@api_requires(Capability.MANAGE_USERS)
def get_user(request: HttpRequest, user_id: int) -> User:
    return selectors.user_detail(user_id)


@router.post("/users", response={201: UserOut}, tags=["Users"], summary="Create a user account")
@api_requires(Capability.MANAGE_USERS)
def create_user(request: HttpRequest, payload: UserIn) -> tuple[int, User]:
    staff = (
        get_object_or_404(organisation_selectors.every_staff_record(), staff_code=payload.staff_code.upper())
        if payload.staff_code
        else None
    )
    organisation = (
        get_object_or_404(organisation_selectors.external_organisations(), code=payload.organisation_code)
        if payload.organisation_code
        else None
    )
    created = services.create_user(
        acting_user=api_user(request),
        username=payload.username.strip(),
        password=payload.password,
        roles=payload.roles,
        first_name=payload.first_name,
        last_name=payload.last_name,
        email=payload.email,
        scope_level=payload.scope_level.value if payload.scope_level else None,
        staff=staff,
        organisation=organisation,
    )
    return 201, created


@router.put(
    "/users/{user_id}/access", response=UserOut, tags=["Users"], summary="Change roles, scope or active"
)
@api_requires(Capability.MANAGE_USERS)
def change_access(request: HttpRequest, user_id: int, payload: UserAccessIn) -> User:
    selectors.user_detail(user_id)
    return services.change_user_access(
        acting_user=api_user(request),
        user_id=user_id,
        roles=payload.roles,
        scope_level=payload.scope_level.value,
        is_active=payload.is_active,
        expected_version=payload.version,
    )
