"""Scoped reads of programme referrals.

A referral is visible only when its person is: every read starts from
``people.selectors.people_visible_to`` (geography, restricted cases, exclusions), so a
referral of anyone else answers 404 exactly like one that does not exist. The Partner
Link Worker's contacts are read only for users with ``PARTNER_SAFETY``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from core.roles import Capability
from organisation.models import Office, Pdu
from organisation.selectors import pdus_in_scope
from people.models import Person
from people.selectors import get_person_for, people_visible_to
from programmes.constants import (
    CLOSED_REFERRAL_STATUSES,
    WAITLIST_STATUSES,
    NeedArea,
    ProgrammeKind,
    SessionKind,
)
from programmes.models import (
    GroupMember,
    NonAssociation,
    PartnerContact,
    Programme,
    ProgrammeNeeds,
    ProgrammeReferral,
    ProgrammeSession,
    ReferralStatusChange,
)
from programmes.selectors import catalogue as catalogue_selectors
from risk.selectors import latest_assessment_of
from sentences.constants import RequirementStatus, RequirementType, SentenceStatus
from sentences.models import Event, LicenceCondition, Requirement


def referrals_visible_to(user: Any) -> QuerySet[ProgrammeReferral]:
    """Every referral whose person the user may see."""
    return ProgrammeReferral.objects.filter(person__in=people_visible_to(user))


def get_referral_for(user: Any, referral_id: int) -> ProgrammeReferral:
    """One referral the user may see, with what its page shows; 404 otherwise."""
    referral = (
        referrals_visible_to(user)
        .select_related(
            "person__pdu__region",
            "programme",
            "pdu__region",
            "event__sentence",
            "requirement",
            "licence_condition",
        )
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404("No such referral")
    return referral


def for_update(referral_id: int) -> QuerySet[ProgrammeReferral]:
    """The referral row for a service to lock (the caller has already resolved it through
    the user's scope), with the person its audit rows name."""
    return ProgrammeReferral.objects.select_related("person", "programme", "pdu").filter(pk=referral_id)


def _next_session(now: datetime, field: str) -> Subquery:
    """The next session of the group the referral is a current member of, or its own
    one-to-one, from ``now``."""
    current = Q(group__members__referral=OuterRef("pk"), group__members__left_on__isnull=True) & Q(
        member__isnull=True, kind=SessionKind.GROUP
    )
    own = Q(member__referral=OuterRef("pk"), member__left_on__isnull=True)
    sessions = ProgrammeSession.objects.filter(current | own, starts_at__gte=now).order_by("starts_at", "id")
    return Subquery(sessions.values(field)[:1])


def with_next_session(referrals: QuerySet[ProgrammeReferral]) -> QuerySet[ProgrammeReferral]:
    """Annotates ``next_session_at`` and ``next_session_name`` in the same query."""
    now = timezone.now()
    return referrals.annotate(
        next_session_at=_next_session(now, "starts_at"), next_session_name=_next_session(now, "name")
    )


def referrals_of(person: Person) -> list[ProgrammeReferral]:
    """A person (already reached through the user's scope) and their referrals, newest
    first, with the programme and the next session: one query."""
    return list(
        with_next_session(ProgrammeReferral.objects.filter(person=person))
        .select_related("programme")
        .order_by("-referred_on", "-id")
    )


def history_of(referral: ProgrammeReferral) -> list[ReferralStatusChange]:
    return list(referral.status_changes.select_related("changed_by").order_by("-changed_at", "-id"))


def ldc_scores_of(referral: ProgrammeReferral) -> list[Any]:
    return list(referral.ldc_scores.select_related("recorded_by").order_by("-recorded_at", "-id"))


def availability_of(referral: ProgrammeReferral) -> list[tuple[int, str]]:
    return [(a.weekday, a.part) for a in referral.availability.all()]


def offices_of(referral: ProgrammeReferral) -> tuple[list[Office], list[Office]]:
    """The preferred and the impossible delivery offices."""
    return list(referral.preferred_offices.order_by("name")), list(
        referral.impossible_offices.order_by("name")
    )


def delivery_offices_for(referral: ProgrammeReferral) -> QuerySet[Office]:
    """Offices in use in the region of the referral's PDU: where it could be delivered."""
    return Office.objects.active().filter(pdu__region_id=referral.pdu.region_id).order_by("name")


def non_associations_of(referral: ProgrammeReferral, user: Any) -> list[dict[str, Any]]:
    """Who this person must never share a group with: recorded on any of their referrals,
    or on the other person's (a non-association holds both ways). The other person is
    named only when the user may see them."""
    person_id = referral.person_id
    rows = NonAssociation.objects.filter(
        Q(referral__person_id=person_id) | Q(other_person_id=person_id)
    ).select_related("referral__person", "other_person")
    visible = set(people_visible_to(user).values_list("pk", flat=True))
    found = []
    for row in rows.order_by("recorded_at", "id"):
        other = row.other_person if row.referral.person_id == person_id else row.referral.person
        found.append(
            {"person": other if other.pk in visible else None, "reason": row.reason, "at": row.recorded_at}
        )
    return found


def partner_contacts_of(referral: ProgrammeReferral, user: Any) -> list[PartnerContact]:
    """The Partner Link Worker's contacts: only for users with PARTNER_SAFETY (refused
    here, not only in the page, so no caller can show them by mistake)."""
    if not user.has_capability(Capability.PARTNER_SAFETY):
        raise Http404
    return list(referral.partner_contacts.select_related("recorded_by").order_by("-contacted_on", "-id"))


def latest_ldc_assessed(person: Person) -> int | None:
    """The LDC score on the person's latest risk assessment, if any."""
    assessment = latest_assessment_of(person)
    return assessment.ldc_score if assessment is not None else None


def latest_pathway_of(person: Person) -> str:
    latest = ProgrammeNeeds.objects.filter(person=person).order_by("-calculated_at", "-id").first()
    return latest.pathway if latest is not None else ""


# --- Choices for forms -----------------------------------------------------------------


def programmes_taking_referrals(today: date) -> QuerySet[Programme]:
    """The catalogue's rule (``rules.catalogue.accepts_new_referrals``) as a query."""
    return catalogue_selectors.programmes_accepting_referrals(today).order_by("kind", "name")


def programme(programme_id: int) -> Programme | None:
    return Programme.objects.filter(pk=programme_id).first()


def live_events_of(person: Person) -> list[Event]:
    """The person's events whose sentence is still in force."""
    return list(
        Event.objects.filter(person=person, is_active=True, sentence__status=SentenceStatus.ACTIVE)
        .select_related("sentence")
        .order_by("number")
    )


def referable_requirements_of(person: Person) -> list[Requirement]:
    """Active programme and RAR requirements of the person's live events."""
    return list(
        Requirement.objects.filter(
            sentence__event__person=person,
            sentence__event__is_active=True,
            status=RequirementStatus.ACTIVE,
            type__in=[RequirementType.PROGRAMME, RequirementType.RAR],
        )
        .select_related("sentence__event")
        .order_by("sentence__event__number", "id")
    )


def requirement_of(event: Event, requirement_id: int) -> Requirement | None:
    return Requirement.objects.filter(pk=requirement_id, sentence__event=event).first()


def event_of(person: Person, event_id: int) -> Event | None:
    return Event.objects.filter(pk=event_id, person=person).select_related("sentence").first()


def licence_conditions_of(event: Event) -> list[LicenceCondition]:
    return list(LicenceCondition.objects.filter(sentence__event=event).order_by("-requires_programme", "id"))


def person_by_crn(user: Any, crn: str) -> Person | None:
    """Another person named by CRN, resolved through the user's scope (None if out of it)."""
    try:
        return get_person_for(user, crn)
    except Http404:
        return None


# --- The waitlist ------------------------------------------------------------------------


def waitlist_pdus(user: Any) -> QuerySet[Pdu]:
    """The PDUs whose waitlists the user may open: those in their geography."""
    return pdus_in_scope(user).order_by("name")


def waitlist(
    user: Any, *, pdu_id: int | None, statuses: list[str], programme_id: int | None = None
) -> QuerySet[ProgrammeReferral]:
    """The PDU's referrals in the given states whose people the user may see, soonest
    order or licence end first, with the person's current PNI pathway: one query. No PDU
    (none in the user's scope): nothing."""
    if pdu_id is None:
        return ProgrammeReferral.objects.none()
    latest_pathway = (
        ProgrammeNeeds.objects.filter(person=OuterRef("person_id"))
        .order_by("-calculated_at", "-id")
        .values("pathway")[:1]
    )
    rows = referrals_visible_to(user).filter(pdu_id=pdu_id, status__in=statuses)
    if programme_id is not None:
        rows = rows.filter(programme_id=programme_id)
    return (
        rows.select_related("person", "programme")
        .annotate(pathway=Subquery(latest_pathway))
        .order_by("must_finish_by", "referred_on", "id")
    )


def waitlist_programmes() -> QuerySet[Programme]:
    """Every programme (the filter may name a rolled-down one people still wait for)."""
    return Programme.objects.order_by("kind", "name")


# --- For the services ------------------------------------------------------------------------


def open_referral_exists(
    *, requirement_id: int | None, licence_condition_id: int | None, programme_id: int | None
) -> bool:
    """Whether the requirement or licence condition already has an open referral to this
    programme (or one whose programme is not chosen yet)."""
    rows = ProgrammeReferral.objects.exclude(status__in=CLOSED_REFERRAL_STATUSES)
    rows = (
        rows.filter(requirement_id=requirement_id)
        if requirement_id is not None
        else rows.filter(licence_condition_id=licence_condition_id)
    )
    return rows.filter(Q(programme__isnull=True) | Q(programme_id=programme_id)).exists()


def partner_work_referrals(user: Any) -> QuerySet[ProgrammeReferral]:
    """Open referrals to the accredited domestic abuse programme (Building Better
    Relationships) whose person the user may see: the Partner Link Worker's caseload."""
    return (
        referrals_visible_to(user)
        .filter(
            programme__kind=ProgrammeKind.ACCREDITED,
            programme__need_area=NeedArea.DOMESTIC_ABUSE,
            closed_on__isnull=True,
        )
        .select_related("person", "programme", "pdu")
        .annotate(contacts=Count("partner_contacts"), last_contact=Max("partner_contacts__contacted_on"))
        .order_by("last_contact", "referred_on", "pk")
    )


def current_membership_of(referral: ProgrammeReferral) -> GroupMember | None:
    """The group the referral is in now, if any (at most one: a database constraint)."""
    return (
        GroupMember.objects.filter(referral=referral, left_on__isnull=True)
        .select_related("group__programme")
        .first()
    )


def waitlist_size(user: Any) -> int:
    """Referrals waiting (not yet in a group) in the PDUs of the user's scope that they may see."""
    return (
        referrals_visible_to(user)
        .filter(pdu__in=waitlist_pdus(user), status__in=sorted(WAITLIST_STATUSES))
        .count()
    )
