"""Walks every write (each API operation that is not a GET, each page that takes a POST)
as every role, with a *valid* body, and fails when a capability or scope check is missing.

For each write, in one savepoint that is rolled back afterwards:

(a) every user whose role lacks the write's capability (the table below, written from
    ``core.roles`` and not read from the code's decorators) gets 404 even though the
    body is valid, and no write is audited;
(c) a user who has the capability gets 404 (API) or a refused form / 404 (pages) when
    the same body names something outside their scope, and nothing is written;
(b) the same user with the in-scope body succeeds (2xx, or 302 for pages). Steps of a
    journey (a referral's assessment, a competition's award) are first brought to the
    right state by the row's ``prepare``; the one write that cannot succeed from the
    world (a second enforcement action) names the 409 its state guard answers, which is
    only reached after access and scope were granted.

The operations come from the OpenAPI document and the URL resolver, and the test fails
for one that is not in the table, so a new write cannot be added without saying who may
make it and what is out of scope for it.

Proved able to fail:
- changing ``@api_requires(Capability.MANAGE_CASES)`` on ``book_appointment`` to
  ``@api_requires(None)`` turns (a) red (a programmes officer books an appointment);
- changing ``@requires(Capability.MANAGE_CASES)`` on the note page to ``@signed_in``
  turns the page check red;
- resolving the project's PDU with ``get_object_or_404(Pdu, ...)`` instead of
  ``pdus_in_scope(user)`` turns (c) red (a coordinator creates a project in Leeds);
- looking the appointment's practitioner up in ``Staff.objects`` rather than
  ``staff_in_scope`` turns (c) red;
- reading the group in ``programmes.selectors.groups.get_group_for`` from
  ``ProgrammeGroup.objects`` rather than ``groups_for(user)`` turns (c) red for the API and
  the pages (a Nottingham coordinator adds the TeamB person to the Leeds group and
  reschedules its session);
- the groups API's answer to a Leeds PDU and room in a new group's body, before it was
  made 404 like reading them, was a 422: (c) went red naming it.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, NamedTuple

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.tests.factories import UserFactory
from audit.constants import AuditAction
from audit.models import AuditEvent
from commissioning.competitions import services as competitions
from commissioning.constants import Criterion
from commissioning.models import (
    Bid,
    Clarification,
    Commissioner,
    Competition,
    Contract,
    DesiredOutcome,
    Supplier,
    SupplierApplication,
)
from core.constants import JobStatus
from core.models import Job
from core.roles import ROLE_CAPABILITIES, Capability, Role
from core.tests.world import World, build_world
from organisation.constants import Grade
from organisation.models import Office, Pdu, Staff
from organisation.tests.factories import ExternalOrganisationFactory, StaffFactory
from people.models import Person
from probation.api import api
from programmes.constants import Attendance, Cohort, GroupSex, Suitability
from programmes.models import ProgrammeReferral
from programmes.rules.scheduling import Slot, is_bank_holiday
from programmes.services import groups as programme_groups
from programmes.services import referrals as programme_referrals
from programmes.tests.factories import SHORT_TEMPLATE, ProgrammeFactory
from referrals import services
from referrals.models import Referral
from risk.models import Registration
from sentences.models import Requirement, Sentence
from supervision import services as supervision_services
from supervision.constants import AbsenceReason, AppointmentType
from supervision.models import Appointment, Breach
from unpaid_work.constants import SUPERVISOR_GRADES
from unpaid_work.models import Booking, Nomination, PlanRun, Project, UnpaidWorkOrder, WorkSession

C = Capability
TODAY = date(2026, 12, 1)


def _may(user: Any, capability: Capability) -> bool:
    return any(capability in ROLE_CAPABILITIES[role] for role in user.roles)


Outside = Callable[[Any], tuple[dict[str, Any], dict[str, Any]]]


@dataclass(frozen=True)
class Write:
    """One write: who may make it, with what, and what is out of scope for it."""

    who: Capability | frozenset[str]  # a capability, or the world's user keys allowed
    actor: str  # a world user who may make it in scope
    path: Callable[[Any], dict[str, Any]] = lambda x: {}
    body: Callable[[Any], dict[str, Any]] = lambda x: {}
    # Path and body changes naming something outside the actor's scope; None with a reason.
    outside: Callable[[Any], tuple[dict[str, Any], dict[str, Any]]] | None = None
    why_no_outside: str = ""
    prepare: Callable[[Any], None] | None = None
    ok: frozenset[int] = frozenset({200, 201})
    why_not_ok: str = ""

    def allows(self, key: str, user: Any) -> bool:
        if isinstance(self.who, frozenset):
            return key in self.who
        return _may(user, self.who)


NATIONAL_REFERENCE = (
    "reference data and accounts are national: administrators keep them for the whole country"
)
ANYONE = frozenset(
    {r.value for r in Role} | {"NATIONAL_CASE_VIEWER", "TEAM_B_PRACTITIONER", "SPO_TREATMENT_MANAGER"}
)  # the stateless calculators (tier, PNI)


def _now(days: int = 0, hours: int = 10) -> str:
    when = timezone.localtime() + timedelta(days=days)
    return when.replace(hour=hours, minute=0, second=0, microsecond=0).isoformat()


def _day(days: int = 0) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


# --- preparing state for a step, inside the case's savepoint ----------------------------


def _caseworker(x: Any) -> None:

    services.assign_caseworker(
        acting_user=x.provider,
        referral_id=x.referral_in.pk,
        caseworker_id=x.provider.pk,
        expected_version=Referral.objects.get(pk=x.referral_in.pk).version,
    )


def _booked(x: Any) -> None:

    _caseworker(x)
    services.book_assessment(
        acting_user=x.provider,
        referral_id=x.referral_in.pk,
        at=x.referral_in.sent_at + timedelta(seconds=1),
        expected_version=Referral.objects.get(pk=x.referral_in.pk).version,
    )


def _assessed(x: Any) -> None:

    _booked(x)
    services.record_assessment(
        acting_user=x.provider,
        referral_id=x.referral_in.pk,
        assessed_on=timezone.localdate(),
        notes="ok",
        expected_version=Referral.objects.get(pk=x.referral_in.pk).version,
    )


def _planned(x: Any) -> None:

    _assessed(x)
    services.submit_action_plan(
        acting_user=x.provider,
        referral_id=x.referral_in.pk,
        number_of_sessions=1,
        activities="Talk",
        expected_version=Referral.objects.get(pk=x.referral_in.pk).version,
    )


def _approved(x: Any) -> None:

    _planned(x)
    services.decide_action_plan(
        acting_user=x.spo,
        referral_id=x.referral_in.pk,
        approve=True,
        comments="",
        expected_version=Referral.objects.get(pk=x.referral_in.pk).version,
    )


def _delivered(x: Any) -> None:

    _approved(x)
    services.record_session(
        acting_user=x.provider,
        referral_id=x.referral_in.pk,
        number=1,
        happened_at=timezone.now(),
        method="PHONE",
        attendance="YES",
        absence_acceptable=None,
        progress_notes="",
        behaviour_notes="",
        expected_version=Referral.objects.get(pk=x.referral_in.pk).version,
    )


def _v(record: Any) -> int:
    """The record's version as a client would have just read it (steps prepared above may move it on)."""
    return int(type(record).objects.get(pk=record.pk).version)


def _future_appointment(x: Any) -> None:
    """A fresh appointment without an outcome, for the outcome step."""

    when = timezone.now() - timedelta(hours=2)
    x.fresh_appointment = supervision_services.book_appointment(
        acting_user=x.spo,
        person=x.person_in,
        event=x.sentence_in.event,
        type=AppointmentType.SUPERVISION,
        starts_at=when,
        ends_at=when + timedelta(hours=1),
        practitioner=x.staff_in,
    )


def _unbooked(x: Any) -> None:
    """The world books its people on its only session and plans the same bookings; free
    the places so they can be booked (confirming a plan re-books them)."""

    Booking.objects.filter(session=x.session_in).delete()


def _retired(x: Any) -> None:
    """A PDU and an office out of use, to bring back."""

    Pdu.objects.filter(pk=x.empty_pdu.pk).update(retired_at=timezone.now())
    Office.objects.filter(pk=x.office_in.pk).update(retired_at=timezone.now())


def _signed(x: Any) -> None:

    Commissioner.objects.filter(organisation=x.commissioner.organisation).update(agreement_signed_on=TODAY)


def _past_deadlines(x: Any) -> None:

    past = timezone.now() - timedelta(minutes=1)
    Competition.objects.filter(pk=x.competition.pk).update(
        bid_deadline=past, clarification_deadline=past - timedelta(minutes=1)
    )


def _drafted(x: Any) -> None:

    x.competition.invitations.all().delete()
    Competition.objects.filter(pk=x.competition.pk).update(status="DRAFT")


def _evaluating(x: Any) -> None:

    _past_deadlines(x)
    competitions.open_bids(
        acting_user=x.commercial,
        competition_id=x.competition.pk,
        expected_version=Competition.objects.get(pk=x.competition.pk).version,
    )


def _scored(x: Any) -> None:

    _evaluating(x)
    for criterion in Criterion:
        competitions.score(
            acting_user=x.commercial, bid_id=x.bid.pk, criterion=criterion, mark=70, comment="ok"
        )


def _moderated(x: Any) -> None:

    _scored(x)
    for criterion in Criterion:
        competitions.moderate(
            acting_user=x.commercial, bid_id=x.bid.pk, criterion=criterion, mark=70, rationale="agreed"
        )


def _standstill_over(x: Any) -> None:

    _moderated(x)
    competitions.decide_award(
        acting_user=x.commercial,
        competition_id=x.competition.pk,
        expected_version=Competition.objects.get(pk=x.competition.pk).version,
    )
    Competition.objects.filter(pk=x.competition.pk).update(standstill_ends_on=TODAY - timedelta(days=30))


def _no_compliant_bid(x: Any) -> None:

    Bid.objects.filter(pk=x.bid.pk).update(price=Decimal(5000))  # over the budget
    _moderated(x)


def _referral_steps() -> dict[tuple[str, str], Write]:
    base = "/api/v1/referrals/{referral_id}"
    inside = lambda x: {"referral_id": x.referral_in.pk}  # noqa: E731
    outside: Outside = lambda x: ({"referral_id": x.referral_out.pk}, {})  # noqa: E731
    return {
        ("POST", "/api/v1/referrals"): Write(
            C.MANAGE_CASES,
            "SENIOR_PROBATION_OFFICER",
            body=lambda x: {
                "crn": x.person_in.crn,
                "contract_id": x.contract_in.pk,
                "category": 1,
                "complexity": "LOW",
                "desired_outcome_ids": [x.outcome.pk],
                "max_rar_days": 5,
                "completion_deadline": _day(30),
                "risk_information": "Low",
            },
            outside=lambda x: ({}, {"contract_id": x.contract_out.pk}),
        ),
        ("POST", base + "/caseworker"): Write(
            C.DELIVER_SERVICES,
            "PROVIDER",
            path=inside,
            body=lambda x: {"caseworker_id": x.provider.pk, "version": _v(x.referral_in)},
            outside=lambda x: ({}, {"caseworker_id": x.other_provider.pk}),
        ),
        ("POST", base + "/assessment-booking"): Write(
            C.DELIVER_SERVICES,
            "PROVIDER",
            path=inside,
            body=lambda x: {"at": _now(3), "version": _v(x.referral_in)},
            outside=outside,
            prepare=_caseworker,
        ),
        ("POST", base + "/assessment"): Write(
            C.DELIVER_SERVICES,
            "PROVIDER",
            path=inside,
            body=lambda x: {"assessed_on": _day(), "notes": "Seen", "version": _v(x.referral_in)},
            outside=outside,
            prepare=_booked,
        ),
        ("POST", base + "/action-plans"): Write(
            C.DELIVER_SERVICES,
            "PROVIDER",
            path=inside,
            body=lambda x: {"number_of_sessions": 2, "activities": "Meet", "version": _v(x.referral_in)},
            outside=outside,
            prepare=_assessed,
        ),
        ("POST", base + "/action-plan-decision"): Write(
            C.MANAGE_CASES,
            "SENIOR_PROBATION_OFFICER",
            path=inside,
            body=lambda x: {"approve": True, "version": _v(x.referral_in)},
            outside=outside,
            prepare=_planned,
        ),
        ("POST", base + "/sessions"): Write(
            C.DELIVER_SERVICES,
            "PROVIDER",
            path=inside,
            body=lambda x: {
                "number": 1,
                "happened_at": timezone.now().isoformat(),
                "method": "PHONE",
                "attendance": "YES",
                "version": _v(x.referral_in),
            },
            outside=outside,
            prepare=_approved,
        ),
        ("POST", base + "/end-of-service-report"): Write(
            C.DELIVER_SERVICES,
            "PROVIDER",
            path=inside,
            body=lambda x: {"ratings": {str(x.outcome.pk): "ACHIEVED"}, "version": _v(x.referral_in)},
            outside=outside,
            prepare=_delivered,
        ),
        ("POST", base + "/withdrawal"): Write(
            C.MANAGE_CASES,
            "SENIOR_PROBATION_OFFICER",
            path=inside,
            body=lambda x: {
                "reason": next(iter(_choices("referrals.constants", "WithdrawalReason"))),
                "version": _v(x.referral_in),
            },
            outside=outside,
        ),
    }


def _choices(module: str, name: str) -> list[str]:

    return list(getattr(importlib.import_module(module), name).values)


def _case_writes() -> dict[tuple[str, str], Write]:
    person = "/api/v1/people/{crn}"
    inside = lambda x: {"crn": x.person_in.crn}  # noqa: E731
    leeds: Outside = lambda x: ({"crn": x.person_out.crn}, {})  # noqa: E731
    spo = "SENIOR_PROBATION_OFFICER"
    return {
        ("POST", "/api/v1/people"): Write(
            C.MANAGE_CASES,
            spo,
            body=lambda x: {
                "first_name": "New",
                "last_name": "Person",
                "date_of_birth": "1990-05-05",
                "sex": "MALE",
            },
            why_no_outside="a new person is placed in the user's own PDU and team; nothing is named",
        ),
        ("POST", person + "/aliases"): Write(
            C.MANAGE_CASES, spo, inside, lambda x: {"first_name": "Al", "last_name": "Ias"}, leeds
        ),
        ("POST", person + "/addresses"): Write(
            C.MANAGE_CASES,
            spo,
            inside,
            lambda x: {
                "line_1": "1 Road",
                "town": "Town",
                "postcode": "NG1 1AA",
                "moved_on": _day(-1),
                "version": _v(x.person_in),
            },
            leeds,
        ),
        ("POST", "/api/v1/calculations/tier"): Write(
            ANYONE,
            spo,
            body=lambda x: {"as_of": _day(), "has_active_event": True, "sex": "MALE"},
            why_no_outside="a stateless calculation: it reads and writes no record",
        ),
        ("POST", "/api/v1/calculations/pni"): Write(
            ANYONE,
            spo,
            body=lambda x: {
                "sex": "MALE",
                "risk": {
                    "ogrs3": 60,
                    "ovp": None,
                    "osp_dc": None,
                    "osp_iic": None,
                    "rsr": None,
                    "sara_partner": None,
                    "sara_others": None,
                },
                "needs": None,
            },
            why_no_outside="a stateless calculation: it reads and writes no record",
        ),
        ("POST", person + "/risk-assessments"): Write(
            C.MANAGE_CASES, spo, inside, lambda x: {"completed_on": _day(), "rosh": "LOW"}, leeds
        ),
        ("POST", person + "/registrations"): Write(
            C.MANAGE_CASES, spo, inside, lambda x: {"type": "STALKING", "starts_on": _day()}, leeds
        ),
        ("POST", person + "/registrations/{registration_id}/end"): Write(
            C.MANAGE_CASES,
            spo,
            lambda x: {"crn": x.person_in.crn, "registration_id": x.registration_in.pk},
            lambda x: {"ends_on": _day()},
            lambda x: (
                {"registration_id": x.registration_out.pk},
                {},
            ),  # another person's, under this person's CRN
        ),
        ("POST", person + "/mappa"): Write(
            C.MANAGE_CASES, spo, inside, lambda x: {"category": 1, "level": 1, "starts_on": _day()}, leeds
        ),
        ("POST", person + "/events"): Write(
            C.MANAGE_CASES,
            spo,
            inside,
            lambda x: {
                "court": "Nottingham Magistrates",
                "convicted_on": _day(-2),
                "sentenced_on": _day(-1),
                "offences": [
                    {"description": "Theft", "category": "THEFT", "committed_on": _day(-30), "is_main": True}
                ],
                "sentence": {"disposal_type": "CO", "length_months": 12},
                "requirements": [{"type": "UNPAID_WORK", "amount": 40}],
            },
            leeds,
        ),
        ("POST", person + "/sentences/{sentence_id}/end"): Write(
            C.MANAGE_CASES,
            spo,
            lambda x: {"crn": x.person_in.crn, "sentence_id": x.sentence_in.pk},
            lambda x: {
                "ended_on": _day(),
                "reason": _choices("sentences.constants", "TerminationReason")[0],
                "version": _v(x.sentence_in),
            },
            lambda x: ({"sentence_id": x.sentence_out.pk}, {}),  # another person's, under this person's CRN
        ),
        ("POST", person + "/requirements/{requirement_id}/end"): Write(
            C.MANAGE_CASES,
            spo,
            lambda x: {"crn": x.person_in.crn, "requirement_id": x.requirement_in.pk},
            lambda x: {
                "ended_on": _day(),
                "reason": _choices("sentences.constants", "TerminationReason")[0],
                "version": _v(x.requirement_in),
            },
            lambda x: (
                {"requirement_id": x.requirement_out.pk},
                {},
            ),  # another person's, under this person's CRN
        ),
        ("POST", person + "/appointments"): Write(
            C.MANAGE_CASES,
            spo,
            inside,
            lambda x: {
                "type": "SUPERVISION",
                "starts_at": _now(7),
                "ends_at": _now(7, 11),
                "practitioner_id": x.staff_in.pk,
                "office_id": x.office_in.pk,
                "event_id": x.sentence_in.event_id,
            },
            # The person is in scope; the practitioner and office are in Leeds.
            lambda x: ({}, {"practitioner_id": x.staff_out.pk, "office_id": x.office_out.pk}),
        ),
        ("POST", person + "/appointments/{appointment_id}/outcome"): Write(
            C.MANAGE_CASES,
            spo,
            lambda x: {"crn": x.person_in.crn, "appointment_id": x.fresh_appointment.pk},
            lambda x: {"outcome": "ATTENDED_COMPLIED", "version": _v(x.fresh_appointment)},
            lambda x: (
                {"appointment_id": x.appointment_out.pk},
                {},
            ),  # another person's, under this person's CRN
            prepare=_future_appointment,
        ),
        ("POST", person + "/appointments/{appointment_id}/enforcement"): Write(
            C.MANAGE_CASES,
            spo,
            lambda x: {"crn": x.person_in.crn, "appointment_id": x.appointment_in.pk},
            lambda x: {"decision": "BREACH", "circumstances": "Again"},
            lambda x: (
                {"appointment_id": x.appointment_out.pk},
                {},
            ),  # another person's, under this person's CRN
            ok=frozenset({409}),
            why_not_ok="the world's failure already has its breach action: the service's guard answers",
        ),
        ("POST", person + "/breaches/{breach_id}/transitions"): Write(
            C.MANAGE_CASES,
            spo,
            lambda x: {"crn": x.person_in.crn, "breach_id": x.breach_in.pk},
            lambda x: {
                "to": "WITHDRAWN",
                "on": _day(),
                "withdrawn_reason": "Mistake",
                "version": _v(x.breach_in),
            },
            lambda x: ({"breach_id": x.breach_out.pk}, {}),  # another person's, under this person's CRN
        ),
        ("POST", person + "/notes"): Write(C.MANAGE_CASES, spo, inside, lambda x: {"text": "Seen"}, leeds),
        ("POST", person + "/allocations"): Write(
            C.ALLOCATE_CASES,
            spo,
            inside,
            lambda x: {
                "team_id": x.team_in.pk,
                "practitioner_id": x.staff_in.pk,
                "reason": "WORKLOAD",
                "version": _v(x.person_in),
            },
            # A transfer may name a team anywhere; the practitioner must be in scope.
            lambda x: ({}, {"team_id": x.team_out.pk, "practitioner_id": x.staff_out.pk}),
        ),
    }


def _upw_writes() -> dict[tuple[str, str], Write]:
    upw = "UNPAID_WORK"
    root = "/api/v1/unpaid-work"
    return {
        ("POST", root + "/projects"): Write(
            C.MANAGE_UNPAID_WORK,
            upw,
            body=lambda x: {
                "name": "Garden",
                "pdu_id": x.pdu_in.pk,
                "type": _choices("unpaid_work.constants", "ProjectType")[0],
                "beneficiary": "Parish",
                "address": "1 Road",
                "postcode": "NG1 1AA",
                "weekdays": [5],
                "starts_at": "09:00",
                "ends_at": "16:00",
                "capacity": 6,
                "start_date": _day(7),
            },
            outside=lambda x: ({}, {"pdu_id": x.pdu_out.pk}),
        ),
        ("POST", root + "/projects/{project_id}/sessions"): Write(
            C.MANAGE_UNPAID_WORK,
            upw,
            lambda x: {"project_id": x.project_in.pk},
            lambda x: {"start": _day(7), "end": _day(14)},
            lambda x: ({"project_id": x.project_out.pk}, {}),
        ),
        ("POST", root + "/sessions/{session_id}/stand-down"): Write(
            C.MANAGE_UNPAID_WORK,
            upw,
            lambda x: {"session_id": x.session_in.pk},
            lambda x: {
                "reason": _choices("unpaid_work.constants", "StandDownReason")[0],
                "version": _v(x.session_in),
            },
            lambda x: ({"session_id": x.session_out.pk}, {}),
        ),
        ("POST", root + "/sessions/{session_id}/bookings"): Write(
            C.MANAGE_UNPAID_WORK,
            upw,
            lambda x: {"session_id": x.session_in.pk},
            lambda x: {"order_id": x.order_in.pk},
            lambda x: ({}, {"order_id": x.order_out.pk}),
            prepare=_unbooked,
        ),
        ("POST", root + "/sessions/{session_id}/register"): Write(
            C.MANAGE_UNPAID_WORK,
            upw,
            lambda x: {"session_id": x.session_in.pk},
            lambda x: {
                "rows": [
                    {
                        "booking_id": x.booking_in.pk,
                        "outcome": "ATTENDED_COMPLIED",
                        "arrived_at": "09:00",
                        "left_at": "16:00",
                        "version": _v(x.booking_in),
                    }
                ]
            },
            lambda x: ({"session_id": x.session_out.pk}, {}),
        ),
        ("POST", root + "/bookings/{booking_id}/attendance"): Write(
            C.MANAGE_UNPAID_WORK,
            upw,
            lambda x: {"booking_id": x.booking_in.pk},
            lambda x: {
                "outcome": "ATTENDED_COMPLIED",
                "arrived_at": "09:00",
                "left_at": "16:00",
                "version": _v(x.booking_in),
            },
            lambda x: ({"booking_id": x.booking_out.pk}, {}),
        ),
        ("POST", root + "/nominations/{nomination_id}/decline"): Write(
            C.MANAGE_UNPAID_WORK,
            upw,
            lambda x: {"nomination_id": x.nomination.pk},
            lambda x: {"reason": "Not suitable"},
            lambda x: ({"nomination_id": x.nomination_out.pk}, {}),
        ),
        ("POST", root + "/orders/{order_id}/adjustments"): Write(
            C.MANAGE_UNPAID_WORK,
            upw,
            lambda x: {"order_id": x.order_in.pk},
            lambda x: {"minutes": 60, "reason": _choices("unpaid_work.constants", "AdjustmentReason")[0]},
            lambda x: ({"order_id": x.order_out.pk}, {}),
        ),
        ("PUT", root + "/orders/{order_id}/assessment"): Write(
            C.MANAGE_UNPAID_WORK,
            upw,
            lambda x: {"order_id": x.order_in.pk},
            lambda x: {
                "assessed_on": _day(),
                "home_postcode": "NG1 1AA",
                "travel_mode": "PUBLIC_TRANSPORT",
                "version": _v(x.order_in),
            },
            lambda x: ({"order_id": x.order_out.pk}, {}),
        ),
        ("PUT", root + "/sessions/{session_id}/supervisors"): Write(
            C.MANAGE_UNPAID_WORK,
            upw,
            lambda x: {"session_id": x.session_in.pk},
            lambda x: {"staff_ids": [x.supervisor_in.pk], "version": _v(x.session_in)},
            lambda x: ({}, {"staff_ids": [x.supervisor_out.pk]}),
        ),
        ("POST", root + "/plans"): Write(
            C.MANAGE_UNPAID_WORK,
            upw,
            body=lambda x: {"pdu_id": x.pdu_in.pk, "start": _day(7), "end": _day(13)},
            outside=lambda x: ({}, {"pdu_id": x.pdu_out.pk}),
            ok=frozenset({202}),
            why_not_ok="queued: it answers 202 Accepted with the planner's job",
        ),
        ("PUT", root + "/plans/{plan_id}/included"): Write(
            C.MANAGE_UNPAID_WORK,
            upw,
            lambda x: {"plan_id": x.plan_in.pk},
            lambda x: {"included": [], "version": x.plan_in.version},
            lambda x: ({"plan_id": x.plan_out.pk}, {"version": x.plan_out.version}),
        ),
        ("POST", root + "/plans/{plan_id}/confirm"): Write(
            C.MANAGE_UNPAID_WORK,
            upw,
            lambda x: {"plan_id": x.plan_in.pk},
            lambda x: {"version": x.plan_in.version},
            lambda x: ({"plan_id": x.plan_out.pk}, {"version": x.plan_out.version}),
            prepare=_unbooked,
        ),
        ("POST", root + "/plans/{plan_id}/discard"): Write(
            C.MANAGE_UNPAID_WORK,
            upw,
            lambda x: {"plan_id": x.plan_in.pk},
            lambda x: {"version": x.plan_in.version},
            lambda x: ({"plan_id": x.plan_out.pk}, {"version": x.plan_out.version}),
        ),
    }


def _reference_writes() -> dict[tuple[str, str], Write]:
    admin = "ADMINISTRATOR"
    org = "/api/v1/organisation"
    reference: dict[tuple[str, str], Write] = {
        ("POST", "/api/v1/users"): Write(
            C.MANAGE_USERS,
            admin,
            body=lambda x: {
                "username": "new-user",
                "first_name": "N",
                "last_name": "U",
                "role": "PRACTITIONER",
                "password": "a-long-and-unusual-passphrase-42",
                "staff_code": x.free_staff.staff_code,
            },
        ),
        ("PUT", "/api/v1/users/{user_id}/access"): Write(
            C.MANAGE_USERS,
            admin,
            lambda x: {"user_id": x.practitioner.pk},
            lambda x: {
                "role": "PRACTITIONER",
                "scope_level": "PDU",
                "is_active": True,
                "version": _v(x.practitioner),
            },
        ),
        ("POST", org + "/pdus"): Write(
            C.MANAGE_REFERENCE_DATA, admin, body=lambda x: {"name": "New PDU", "region_id": "F"}
        ),
        ("PATCH", org + "/pdus/{pdu_id}"): Write(
            C.MANAGE_REFERENCE_DATA,
            admin,
            lambda x: {"pdu_id": x.pdu_in.pk},
            lambda x: {"name": "Renamed", "version": x.pdu_in.version},
        ),
        ("POST", org + "/pdus/{pdu_id}/retire"): Write(
            C.MANAGE_REFERENCE_DATA,
            admin,
            lambda x: {"pdu_id": x.empty_pdu.pk},
            lambda x: {"version": x.empty_pdu.version},
        ),
        ("POST", org + "/pdus/{pdu_id}/reinstate"): Write(
            C.MANAGE_REFERENCE_DATA,
            admin,
            lambda x: {"pdu_id": x.empty_pdu.pk},
            lambda x: {"version": x.empty_pdu.version},
            prepare=_retired,
        ),
        ("POST", org + "/offices"): Write(
            C.MANAGE_REFERENCE_DATA,
            admin,
            body=lambda x: {
                "name": "New office",
                "address": "1 Road",
                "postcode": "NG1 1AA",
                "pdu_id": x.pdu_in.pk,
            },
        ),
        ("PUT", org + "/offices/{office_id}"): Write(
            C.MANAGE_REFERENCE_DATA,
            admin,
            lambda x: {"office_id": x.office_in.pk},
            lambda x: {
                "name": "Renamed",
                "address": "1 Road",
                "postcode": "NG1 1AA",
                "pdu_id": x.pdu_in.pk,
                "version": x.office_in.version,
            },
        ),
        ("POST", org + "/offices/{office_id}/retire"): Write(
            C.MANAGE_REFERENCE_DATA,
            admin,
            lambda x: {"office_id": x.office_in.pk},
            lambda x: {"version": x.office_in.version},
        ),
        ("POST", org + "/offices/{office_id}/reinstate"): Write(
            C.MANAGE_REFERENCE_DATA,
            admin,
            lambda x: {"office_id": x.office_in.pk},
            lambda x: {"version": x.office_in.version},
            prepare=_retired,
        ),
        ("POST", org + "/teams"): Write(
            C.MANAGE_REFERENCE_DATA,
            admin,
            body=lambda x: {"code": "NEWT", "name": "New team", "pdu_id": x.pdu_in.pk},
        ),
        ("POST", org + "/staff"): Write(
            C.MANAGE_REFERENCE_DATA,
            admin,
            body=lambda x: {
                "forename": "A",
                "surname": "B",
                "grade": "PO",
                "contracted_hours": "37",
                "staff_code": "NEWSTAFF1",
                "pdu_id": x.pdu_in.pk,
            },
        ),
        ("PUT", org + "/staff/{staff_id}"): Write(
            C.MANAGE_REFERENCE_DATA,
            admin,
            lambda x: {"staff_id": x.staff_in.pk},
            lambda x: {
                "forename": "A",
                "surname": "B",
                "grade": "PO",
                "contracted_hours": "30",
                "version": _v(x.staff_in),
            },
        ),
    }
    return {
        key: Write(**{**vars(write), "why_no_outside": NATIONAL_REFERENCE})
        for key, write in reference.items()
    }


def _commissioning_writes() -> dict[tuple[str, str], Write]:
    root = "/api/v1/commissioning"
    managers = frozenset({"COMMERCIAL"})  # the world's competition is led by no user's commissioner
    supplier = frozenset({"PROVIDER"})
    step = lambda name: (  # noqa: E731
        "POST",
        root + "/competitions/{competition_id}/" + name,
    )
    inside = lambda x: {"competition_id": x.competition.pk}  # noqa: E731
    hidden: Outside = lambda x: ({"competition_id": x.other_competition.pk}, {})  # noqa: E731
    return {
        ("POST", root + "/agreement"): Write(
            frozenset({"COMMISSIONER"}),
            "COMMISSIONER",
            why_no_outside="names nothing: the user signs for their own commissioner",
        ),
        ("POST", root + "/competitions"): Write(
            frozenset({"COMMISSIONER"}),
            "COMMISSIONER",
            body=lambda x: {
                "title": "New",
                "category": 1,
                "geography_level": "REGION",
                "region_id": "F",
                "specification": "x",
                "sentence_types": ["COMMUNITY_ORDER"],
                "expected_referrals_per_month": 1,
                "budget": "1000",
                "quality_weight": 60,
                "price_weight": 30,
                "social_value_weight": 10,
                "clarification_deadline": _now(10),
                "bid_deadline": _now(20),
                "service_starts_on": _day(60),
                "service_ends_on": _day(400),
                "evaluator_ids": [x.commercial.pk],
            },
            why_no_outside="competitions may be run for any region or PCC area",
            prepare=_signed,
        ),
        step("bids"): Write(
            supplier,
            "PROVIDER",
            inside,
            lambda x: {"price": "800", "quality_response": "q", "social_value_response": "s"},
            hidden,
        ),
        step("publish"): Write(
            managers,
            "COMMERCIAL",
            inside,
            lambda x: {"version": _v(x.competition)},
            outside=None,
            prepare=_drafted,
            why_no_outside="commercial staff manage every competition",
        ),
        step("clarifications"): Write(supplier, "PROVIDER", inside, lambda x: {"question": "Why?"}, hidden),
        ("POST", root + "/clarifications/{clarification_id}/answer"): Write(
            managers,
            "COMMERCIAL",
            lambda x: {"clarification_id": x.clarification.pk},
            lambda x: {"text": "Because"},
            why_no_outside="commercial staff manage every competition",
        ),
        step("open-bids"): Write(
            managers,
            "COMMERCIAL",
            inside,
            lambda x: {"version": _v(x.competition)},
            prepare=_past_deadlines,
            why_no_outside="commercial staff manage every competition",
        ),
        ("POST", root + "/bids/{bid_id}/scores"): Write(
            managers,  # the world's commercial user sits on the panel
            "COMMERCIAL",
            lambda x: {"bid_id": x.bid.pk},
            lambda x: {"criterion": "QUALITY", "mark": 50, "comment": "ok"},
            why_no_outside="evaluators are named on the competition",
            prepare=_evaluating,
        ),
        ("POST", root + "/bids/{bid_id}/moderation"): Write(
            managers,
            "COMMERCIAL",
            lambda x: {"bid_id": x.bid.pk},
            lambda x: {"criterion": "QUALITY", "mark": 50, "comment": "ok"},
            prepare=_scored,
            why_no_outside="commercial staff manage every competition",
        ),
        step("award"): Write(
            managers,
            "COMMERCIAL",
            inside,
            lambda x: {"version": _v(x.competition)},
            prepare=_moderated,
            why_no_outside="commercial staff manage every competition",
        ),
        step("contract"): Write(
            managers,
            "COMMERCIAL",
            inside,
            lambda x: {"version": _v(x.competition)},
            prepare=_standstill_over,
            why_no_outside="commercial staff manage every competition",
        ),
        step("rerun"): Write(
            managers,
            "COMMERCIAL",
            inside,
            lambda x: {
                "reason": "None compliant",
                "clarification_deadline": _now(5),
                "bid_deadline": _now(9),
                "version": _v(x.competition),
            },
            prepare=_no_compliant_bid,
            why_no_outside="commercial staff manage every competition",
        ),
        step("direct-award"): Write(
            managers,
            "COMMERCIAL",
            inside,
            lambda x: {
                "supplier_id": x.supplier.pk,
                "value": "900",
                "reason": "Only one",
                "version": _v(x.competition),
            },
            prepare=_no_compliant_bid,
            why_no_outside="commercial staff manage every competition",
        ),
        ("POST", root + "/applications"): Write(
            C.DELIVER_SERVICES,
            "PROVIDER",
            body=lambda x: {
                "mandatory_exclusions_apply": False,
                "discretionary_exclusions_apply": False,
                "annual_turnover": "100000",
                "audited_accounts": True,
                "experience": "x",
                "references": "x",
                "employers_liability": "5000000",
                "public_liability": "5000000",
                "professional_indemnity": "1000000",
                "safeguarding_declaration": True,
                "data_protection_declaration": True,
                "categories": [2],
                "regions": ["F"],
            },
            why_no_outside="an appointed supplier extends its own application; nothing else is named",
        ),
        ("POST", root + "/applications/{application_id}/assessments"): Write(
            C.MANAGE_FRAMEWORK,
            "COMMERCIAL",
            lambda x: {"application_id": x.application.pk},
            lambda x: {
                "section": _choices("commissioning.constants", "SqSection")[0],
                "passed": True,
                "reason": "ok",
            },
            why_no_outside="commercial staff assess every application",
        ),
        ("PUT", root + "/suppliers/{supplier_id}/organisation"): Write(
            C.MANAGE_FRAMEWORK,
            "COMMERCIAL",
            lambda x: {"supplier_id": x.unlinked_supplier.pk},
            lambda x: {"organisation_id": x.unlinked_organisation.pk, "version": _v(x.unlinked_supplier)},
            why_no_outside="the framework is national; a PCC's organisation is refused as not a provider",
        ),
        ("POST", root + "/commissioners"): Write(
            C.MANAGE_FRAMEWORK,
            "COMMERCIAL",
            body=lambda x: {"name": "New PCC", "kind": "PCC", "organisation_id": x.commissioner_org.pk},
            why_no_outside="the framework is national",
        ),
    }


def _failed(x: Any) -> None:
    Job.objects.filter(pk=x.job_in.pk).update(status=JobStatus.FAILED, error="It stopped")


# A job is its starter's (and those who joined it), and any administrator's (MANAGE_JOBS).
JOB_HOLDERS = frozenset({"UNPAID_WORK", "ADMINISTRATOR"})


def _job_writes() -> dict[tuple[str, str], Write]:
    root = "/api/v1/jobs/{job_id}"
    return {
        ("POST", root + "/cancel"): Write(
            JOB_HOLDERS,
            "UNPAID_WORK",
            lambda x: {"job_id": x.job_in.pk},
            outside=lambda x: ({"job_id": x.job_out.pk}, {}),
        ),
        ("POST", root + "/retry"): Write(
            JOB_HOLDERS,
            "UNPAID_WORK",
            lambda x: {"job_id": x.job_in.pk},
            outside=lambda x: ({"job_id": x.job_out.pk}, {}),
            prepare=_failed,
        ),
    }


# Who may take a programme referral step on the world's TeamB referral (the TeamA one is in
# a group): the lifecycle gives withdrawal to case managers and the Programmes team, and
# scope decides the rest (the TeamA practitioner does not see the TeamB person).
PROGRAMME_REFERRAL_MANAGERS = frozenset(
    {
        "TEAM_B_PRACTITIONER",
        "SENIOR_PROBATION_OFFICER",
        "TREATMENT_MANAGER",
        "PROGRAMME_COORDINATOR",
        "SPO_TREATMENT_MANAGER",
    }
)


def _programme_referral_writes() -> dict[tuple[str, str], Write]:
    base = "/api/v1/programme-referrals/{programme_referral_id}"
    inside = lambda x: {"programme_referral_id": x.programme_referral_in.pk}  # noqa: E731
    leeds: Outside = lambda x: ({"programme_referral_id": x.programme_referral_out.pk}, {})  # noqa: E731
    coordinator = "PROGRAMME_COORDINATOR"
    return {
        ("POST", "/api/v1/people/{crn}/programme-referrals"): Write(
            C.MANAGE_CASES,
            "SENIOR_PROBATION_OFFICER",
            lambda x: {"crn": x.person_in.crn},
            lambda x: {
                "event_id": x.requirement_in.sentence.event_id,
                "programme_id": x.intervention.pk,
                "requirement_id": x.requirement_in.pk,
            },
            lambda x: ({"crn": x.person_out.crn}, {}),
        ),
        ("POST", base + "/steps/{step}"): Write(
            C.MANAGE_PROGRAMMES,
            coordinator,
            lambda x: {"programme_referral_id": x.programme_referral_in.pk, "step": "defer"},
            lambda x: {"reason": "STAFFING", "version": _v(x.programme_referral_in)},
            lambda x: ({"programme_referral_id": x.programme_referral_out.pk}, {}),
        ),
        ("POST", base + "/suitability"): Write(
            C.MANAGE_PROGRAMMES,
            coordinator,
            inside,
            lambda x: {
                "suitability": "NOT_SUITABLE",
                "suitability_reasons": "Denies the offence",
                "reason": "DENIES_OFFENCE",
                "version": _v(x.programme_referral_in),
            },
            leeds,
        ),
        ("PUT", base + "/availability"): Write(
            C.MANAGE_PROGRAMMES,
            coordinator,
            inside,
            lambda x: {
                "slots": [{"weekday": 0, "part": "EVENING"}],
                "preferred_office_ids": [x.office_in.pk],
                "version": _v(x.programme_referral_in),
            },
            leeds,
        ),
        ("POST", base + "/non-associations"): Write(
            C.MANAGE_PROGRAMMES,
            coordinator,
            inside,
            lambda x: {"crn": x.other_person.crn, "reason": "Co-defendant"},
            # The other person named must be in scope too: the Leeds person is not.
            lambda x: ({}, {"crn": x.person_out.crn}),
            ok=frozenset({201}),
        ),
        ("POST", base + "/ldc-overrides"): Write(
            C.MANAGE_PROGRAMMES,
            coordinator,
            inside,
            lambda x: {"score": 2, "reason": "Seen at interview", "version": _v(x.programme_referral_in)},
            leeds,
        ),
        ("POST", base + "/partner-contacts"): Write(
            C.PARTNER_SAFETY,
            "PARTNER_LINK_WORKER",
            inside,
            lambda x: {"contacted_on": _day(), "method": "PHONE", "notes": "Spoke to the partner"},
            leeds,
        ),
    }


# Who may take the INTERVENTION lifecycle's "withdraw" (roll down) step, read from the
# table in core.roles rather than the code: the panel, and the region's proposers.
INTERVENTION_WITHDRAWERS = frozenset(
    {
        "TREATMENT_MANAGER",
        "REGIONAL_DIRECTOR",
        "INTERVENTIONS_PANEL",
        "NATIONAL_CASE_VIEWER",
        "SPO_TREATMENT_MANAGER",
    }
)
SI_MODULES = [
    {
        "name": "Sessions",
        "sessions": [{"name": f"Session {n}", "kind": "GROUP", "minutes": 90} for n in (1, 2, 3, 4)],
    }
]
SI_SESSIONS_TYPED = "\n".join(f"Session {n}, group, 90" for n in (1, 2, 3, 4))


def _usable_day(after: date) -> date:
    """The first day after ``after`` that is not a bank holiday (no session is put on one)."""
    day = after + timedelta(days=1)
    while is_bank_holiday(day):
        day += timedelta(days=1)
    return day


def _moved(x: Any) -> datetime:
    """A new time for the world's group's later session: 10:00 on the next usable day."""
    later = timezone.localtime(x.later_session.starts_at).date()
    return timezone.make_aware(datetime.combine(_usable_day(later), time(10)))


def _soon(x: Any) -> datetime:
    """A time for a one-to-one or catch-up: 14:00 on the next usable day (no group meets then)."""
    return timezone.make_aware(datetime.combine(_usable_day(timezone.localdate()), time(14)))


def _waitlisted(x: Any) -> None:
    """The TeamB person (a man, for the world's men's group) assessed suitable for the
    group's programme: on the waitlist, ready to be added."""
    Person.objects.filter(pk=x.programme_referral_in.person_id).update(sex="MALE")
    programme_referrals.assess(
        acting_user=x.coordinator,
        referral_id=x.programme_referral_in.pk,
        outcome=programme_referrals.SuitabilityInput(
            suitability=Suitability.SUITABLE, reasons="Meets the criteria", programme_id=x.programme.pk
        ),
        expected_version=_v(x.programme_referral_in),
    )


def _joined(x: Any) -> None:
    """The TeamB person added to the world's group (scheduled, not yet started)."""
    _waitlisted(x)
    x.fresh_member = programme_groups.add_member(
        acting_user=x.coordinator, group_id=x.group_in.pk, referral_id=x.programme_referral_in.pk
    )


def _missed(x: Any) -> None:
    """The TeamA person's first session recorded as an acceptable absence: one to catch up."""
    programme_groups.record_attendance(
        acting_user=x.coordinator,
        session_id=x.past_session.pk,
        member_id=x.member_in.pk,
        outcome=Attendance.ACCEPTABLE_ABSENCE,
        absence_reason=AbsenceReason.MEDICAL,
    )


def _forming(x: Any) -> None:
    """A second group in Nottingham, formed but not started: one that can be cancelled."""
    day = _usable_day(timezone.localdate() + timedelta(days=7))
    x.fresh_group = programme_groups.create_group(
        acting_user=x.coordinator,
        programme=x.programme,
        cohort=Cohort.GENERAL,
        sex=GroupSex.MALE,
        ldc=False,
        pdu=x.pdu_in,
        room=x.room_in,
        slots=[Slot(day.weekday(), time(18))],
        starts_on=day,
        treatment_manager=x.treatment_manager_in,
        facilitators=[x.new_facilitator],
    )


def _catalogue_writes() -> dict[tuple[str, str], Write]:
    coordinator = "PROGRAMME_COORDINATOR"
    suite = "/api/v1/delivery-suite/{region_id}"
    return {
        ("POST", "/api/v1/programmes/{code}/templates"): Write(
            C.MANAGE_REFERENCE_DATA,
            "ADMINISTRATOR",
            lambda x: {"code": x.programme.code},
            lambda x: {"effective_from": _day(30), "modules": SHORT_TEMPLATE},
            why_no_outside="the catalogue is national reference data: administrators keep it for the country",
        ),
        ("POST", suite + "/offers"): Write(
            C.MANAGE_PROGRAMMES,
            coordinator,
            lambda x: {"region_id": "F"},
            lambda x: {"programme": "building-choices-moderate", "pdu_id": x.pdu_in.pk, "starts_on": _day(1)},
            # The coordinator's own region in the path, a Leeds PDU in the body.
            lambda x: ({}, {"pdu_id": x.pdu_out.pk}),
        ),
        ("POST", "/api/v1/delivery-offers/{offer_id}/end"): Write(
            C.MANAGE_PROGRAMMES,
            coordinator,
            lambda x: {"offer_id": x.offer_in.pk},
            lambda x: {"ends_on": _day(30)},
            lambda x: ({"offer_id": x.offer_out.pk}, {}),
        ),
        ("POST", suite + "/reviews"): Write(
            C.REVIEW_DELIVERY_SUITE,
            "REGIONAL_DIRECTOR",
            lambda x: {"region_id": "F"},
            lambda x: {"summary": "Reviewed with the PDU heads"},
            lambda x: ({"region_id": "C"}, {}),
        ),
        ("POST", "/api/v1/rooms"): Write(
            C.MANAGE_PROGRAMMES,
            coordinator,
            body=lambda x: {
                "office_id": x.office_in.pk,
                "name": "New room",
                "capacity": 10,
                "accredited": True,
            },
            outside=lambda x: ({}, {"office_id": x.office_out.pk}),
        ),
        ("PATCH", "/api/v1/rooms/{room_id}"): Write(
            C.MANAGE_PROGRAMMES,
            coordinator,
            lambda x: {"room_id": x.room_in.pk},
            lambda x: {"name": "Renamed room", "version": _v(x.room_in)},
            lambda x: ({"room_id": x.room_out.pk}, {"version": _v(x.room_out)}),
        ),
        ("POST", "/api/v1/rooms/{room_id}/retire"): Write(
            C.MANAGE_PROGRAMMES,
            coordinator,
            lambda x: {"room_id": x.room_in.pk},
            lambda x: {"version": _v(x.room_in)},
            lambda x: ({"room_id": x.room_out.pk}, {"version": _v(x.room_out)}),
        ),
        ("POST", "/api/v1/interventions"): Write(
            C.PROPOSE_INTERVENTIONS,
            "TREATMENT_MANAGER",
            body=lambda x: {
                "name": "New world intervention",
                "need_area": "EM",
                "audience": "Adults",
                "modules": SI_MODULES,
            },
            why_no_outside="an intervention belongs to the submitter's own region: nothing else is named",
        ),
        ("POST", "/api/v1/interventions/{code}/decisions"): Write(
            INTERVENTION_WITHDRAWERS,
            "TREATMENT_MANAGER",
            lambda x: {"code": x.si_in.code},
            lambda x: {"step": "withdraw", "reasons": "Replaced by an accredited programme"},
            # Another region's intervention: only the panel and that region may withdraw it.
            lambda x: ({"code": x.si_out.code}, {}),
        ),
    }


def _group_writes() -> dict[tuple[str, str], Write]:
    coordinator = "PROGRAMME_COORDINATOR"
    root = "/api/v1/programme-groups"
    session = root + "/{group_id}/sessions/{session_id}"

    def leeds_session(x: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        return {"group_id": x.group_out.pk, "session_id": x.group_session_out.pk}, {}

    return {
        ("POST", root): Write(
            C.MANAGE_PROGRAMMES,
            coordinator,
            body=lambda x: {
                "programme_code": x.programme.code,
                "cohort": "GENERAL",
                "sex": "MALE",
                "pdu_id": x.pdu_in.pk,
                "room_id": x.room_in.pk,
                "slots": [{"weekday": _usable_day(timezone.localdate()).weekday(), "starts_at": "18:00"}],
                "starts_on": _usable_day(timezone.localdate()).isoformat(),
                "treatment_manager": x.treatment_manager_in.staff_code,
                "facilitators": [x.new_facilitator.staff_code],
            },
            outside=lambda x: ({}, {"pdu_id": x.pdu_out.pk, "room_id": x.room_out.pk}),
            ok=frozenset({201}),
        ),
        ("POST", root + "/{group_id}/members"): Write(
            C.MANAGE_PROGRAMMES,
            coordinator,
            lambda x: {"group_id": x.group_in.pk},
            lambda x: {"referral_id": x.programme_referral_in.pk},
            lambda x: ({"group_id": x.group_out.pk}, {}),
            prepare=_waitlisted,
            ok=frozenset({201}),
        ),
        ("POST", session + "/reschedule"): Write(
            C.MANAGE_PROGRAMMES,
            coordinator,
            lambda x: {"group_id": x.group_in.pk, "session_id": x.later_session.pk},
            lambda x: {"starts_at": _moved(x).isoformat(), "version": _v(x.later_session)},
            lambda x: (
                {"group_id": x.group_out.pk, "session_id": x.group_session_out.pk},
                {"version": _v(x.group_session_out)},
            ),
        ),
        ("POST", session + "/attendance"): Write(
            C.DELIVER_PROGRAMMES,
            "FACILITATOR",
            lambda x: {"group_id": x.group_in.pk, "session_id": x.past_session.pk},
            lambda x: {"member_id": x.member_in.pk, "outcome": "ATTENDED_COMPLIED"},
            lambda x: (
                {"group_id": x.group_out.pk, "session_id": x.group_session_out.pk},
                {"member_id": x.member_out.pk},
            ),
        ),
        ("POST", session + "/notes"): Write(
            C.DELIVER_PROGRAMMES,
            "FACILITATOR",
            lambda x: {"group_id": x.group_in.pk, "session_id": x.past_session.pk},
            lambda x: {"text": "A good first session"},
            leeds_session,
            ok=frozenset({201}),
        ),
        ("POST", root + "/{group_id}/members/{member_id}/deselect"): Write(
            C.MANAGE_PROGRAMMES,
            coordinator,
            lambda x: {"group_id": x.group_in.pk, "member_id": x.member_in.pk},
            lambda x: {"reason": "MISSED_SESSIONS"},
            lambda x: ({"group_id": x.group_out.pk, "member_id": x.member_out.pk}, {}),
        ),
        ("POST", root + "/{group_id}/members/{member_id}/remove"): Write(
            C.MANAGE_PROGRAMMES,
            coordinator,
            lambda x: {"group_id": x.group_in.pk, "member_id": x.fresh_member.pk},
            lambda x: {"reason": "EMPLOYMENT"},
            lambda x: ({"group_id": x.group_out.pk, "member_id": x.member_out.pk}, {}),
            prepare=_joined,
        ),
        ("POST", root + "/{group_id}/members/{member_id}/delivery"): Write(
            C.MANAGE_PROGRAMMES,
            coordinator,
            lambda x: {"group_id": x.group_in.pk, "member_id": x.member_in.pk},
            lambda x: {"mode": "REMOTE", "reason": "Works nights"},
            lambda x: ({"group_id": x.group_out.pk, "member_id": x.member_out.pk}, {}),
        ),
        ("POST", root + "/{group_id}/members/{member_id}/catch-ups"): Write(
            C.MANAGE_PROGRAMMES,
            coordinator,
            lambda x: {"group_id": x.group_in.pk, "member_id": x.member_in.pk},
            lambda x: {
                "missed_session_id": x.past_session.pk,
                "starts_at": _soon(x).isoformat(),
                "facilitator_code": x.facilitator_in.staff_code,
            },
            lambda x: ({"group_id": x.group_out.pk, "member_id": x.member_out.pk}, {}),
            prepare=_missed,
        ),
        ("POST", session + "/book"): Write(
            C.MANAGE_PROGRAMMES,
            coordinator,
            lambda x: {"group_id": x.group_in.pk, "session_id": x.one_to_one_in.pk},
            lambda x: {
                "starts_at": _soon(x).isoformat(),
                "facilitator_code": x.facilitator_in.staff_code,
                "version": _v(x.one_to_one_in),
            },
            lambda x: (
                {"group_id": x.group_out.pk, "session_id": x.one_to_one_out.pk},
                {"version": _v(x.one_to_one_out)},
            ),
        ),
        ("POST", root + "/{group_id}/cancel"): Write(
            C.MANAGE_PROGRAMMES,
            coordinator,
            lambda x: {"group_id": x.fresh_group.pk},
            lambda x: {"reason": "STAFFING", "version": _v(x.fresh_group)},
            lambda x: ({"group_id": x.group_out.pk}, {"version": _v(x.group_out)}),
            prepare=_forming,
        ),
    }


WRITES: dict[tuple[str, str], Write] = {
    **_catalogue_writes(),
    **_group_writes(),
    **_programme_referral_writes(),
    **_case_writes(),
    **_upw_writes(),
    **_reference_writes(),
    **_commissioning_writes(),
    **_referral_steps(),
    **_job_writes(),
}


# --- the world, built once for the module ----------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[World, Any, dict[str, Client]]]:
    """One world for every case: each case runs in a savepoint that is rolled back."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build_world()
            extras = _extras(built)
            clients = {}
            for key, user in built.users.items():
                client = Client()
                client.force_login(user)
                clients[key] = client
            yield built, extras, clients
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _extras(world: World) -> Any:
    """Named records of the world, in and out of the actors' scope."""

    users = world.users
    person_in, person_out = world.people[0], world.people[4]
    nottingham, leeds = Pdu.objects.get(name="Nottingham City"), Pdu.objects.get(name="Leeds")
    competition = Competition.objects.get(reference="CO-WORLD")
    other = Competition.objects.create(
        **{
            f.attname: getattr(competition, f.attname)
            for f in Competition._meta.concrete_fields
            if f.attname not in ("id", "reference")
        },
        reference="CO-HIDDEN",
    )
    other_nomination = Nomination.objects.create(
        nominator_name="L",
        email="l@example.org",
        description="Leeds",
        address="A",
        postcode="LS1 1AA",
        pdu=leeds,
        submitted_at=timezone.now(),
    )

    supervisor_in = StaffFactory(pdu=nottingham, team=None, grade=next(iter(SUPERVISOR_GRADES)))
    supervisor_out = StaffFactory(pdu=leeds, team=None, grade=next(iter(SUPERVISOR_GRADES)))
    commissioner_user = users[Role.COMMISSIONER.value]
    Commissioner.objects.create(
        name="World commissioner", kind="PCC", organisation=commissioner_user.organisation
    )
    provider = users[Role.PROVIDER.value]
    competition.evaluators.add(users[Role.COMMERCIAL.value])
    return SimpleNamespace(
        spo=users[Role.SENIOR_PROBATION_OFFICER.value],
        practitioner=users[Role.PRACTITIONER.value],
        provider=provider,
        other_provider=UserFactory(role=Role.PROVIDER),
        person_in=person_in,
        person_out=person_out,
        pdu_in=nottingham,
        pdu_out=leeds,
        empty_pdu=Pdu.objects.create(name="World empty PDU", region_id="F"),
        commissioner=commissioner_user,
        commercial=users[Role.COMMERCIAL.value],
        team_in=person_in.team,
        team_out=person_out.team,
        staff_in=users[Role.PRACTITIONER.value].staff,
        staff_out=Staff.objects.filter(pdu=leeds, team__isnull=False, left_at__isnull=True).first(),
        office_in=Office.objects.active().filter(pdu=nottingham).first(),
        office_out=Office.objects.active().filter(pdu=leeds).first(),
        appointment_in=Appointment.objects.filter(person=person_in).first(),
        appointment_out=Appointment.objects.filter(person=person_out).first(),
        breach_in=Breach.objects.filter(person=person_in).first(),
        breach_out=Breach.objects.filter(person=person_out).first(),
        sentence_in=Sentence.objects.filter(event__person=person_in).first(),
        sentence_out=Sentence.objects.filter(event__person=person_out).first(),
        requirement_in=Requirement.objects.filter(sentence__event__person=person_in).first(),
        requirement_out=Requirement.objects.filter(sentence__event__person=person_out).first(),
        registration_in=Registration.objects.filter(person=person_in).first(),
        registration_out=Registration.objects.filter(person=person_out).first(),
        project_in=Project.objects.get(pdu=nottingham),
        project_out=Project.objects.get(pdu=leeds),
        session_in=WorkSession.objects.get(project__pdu=nottingham),
        session_out=WorkSession.objects.get(project__pdu=leeds),
        booking_in=Booking.objects.get(session__project__pdu=nottingham, order__person=person_in),
        booking_out=Booking.objects.get(session__project__pdu=leeds),
        order_in=UnpaidWorkOrder.objects.get(person=person_in),
        order_out=UnpaidWorkOrder.objects.get(person=person_out),
        nomination=Nomination.objects.filter(pdu__isnull=True).first(),
        nomination_out=other_nomination,
        plan_in=PlanRun.objects.get(pdu=nottingham),
        plan_out=PlanRun.objects.get(pdu=leeds),
        job_in=Job.objects.get(started_by=users[Role.UNPAID_WORK.value]),
        job_out=Job.objects.get(started_by__isnull=True),
        supervisor_in=supervisor_in,
        supervisor_out=supervisor_out,
        contract_in=Contract.objects.get(reference="WORLD_ACC"),
        contract_out=Contract.objects.get(reference="WORLD_LEEDS"),
        outcome=DesiredOutcome.objects.filter(category=1).first(),
        referral_in=Referral.objects.get(person=person_in),
        referral_out=Referral.objects.get(person=person_out),
        competition=competition,
        other_competition=other,
        clarification=Clarification.objects.get(competition=competition),
        bid=Bid.objects.get(competition=competition),
        supplier=Bid.objects.get(competition=competition).supplier,
        application=SupplierApplication.objects.first(),
        commissioner_org=ExternalOrganisationFactory(kind="PCC"),
        fresh_appointment=None,
        unlinked_supplier=Supplier.objects.create(code="WORLD_UNLINKED", name="Unlinked"),
        unlinked_organisation=ExternalOrganisationFactory(kind="PROVIDER"),
        free_staff=StaffFactory(pdu=nottingham, team=person_in.team),
        coordinator=users[Role.PROGRAMME_COORDINATOR.value],
        # The TeamB person's referral, still waiting for assessment (the TeamA one is in a group).
        programme_referral_in=ProgrammeReferral.objects.get(person=world.people[1]),
        programme_referral_out=ProgrammeReferral.objects.get(person=person_out),
        intervention=ProgrammeFactory(code="world-si", kind="STRUCTURED", intensity=""),
        other_person=world.people[2],
        **_programme_extras(world, nottingham),
    )


def _programme_extras(world: World, nottingham: Pdu) -> dict[str, Any]:
    """The world's programmes records, in and out of the Nottingham users' scope."""
    made = world.programmes
    group = made["group"]
    return {
        "programme": made["programme"],
        "room_in": made["room"],
        "room_out": made["leeds_room"],
        "offer_in": made["offer"],
        "offer_out": made["leeds_offer"],
        "si_in": made["intervention"],
        "si_out": made["leeds_intervention"],
        "group_in": group,
        "group_out": made["leeds_group"],
        "past_session": made["session"],
        "later_session": made["later_session"],
        "group_session_out": made["leeds_session"],
        "member_in": made["member"],
        "member_out": made["leeds_member"],
        "one_to_one_in": group.sessions.get(member=made["member"]),
        "one_to_one_out": made["leeds_group"].sessions.get(member=made["leeds_member"]),
        "facilitator_in": made["facilitator"],
        "treatment_manager_in": world.users[Role.TREATMENT_MANAGER.value].staff,
        # Free all week: the world's facilitator already runs the world's group.
        "new_facilitator": StaffFactory(pdu=nottingham, team=world.people[0].team, grade=Grade.FACILITATOR),
        "fresh_member": None,
        "fresh_group": None,
    }


@contextmanager
def _rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _writes_audited() -> int:
    """Audit rows of changes (reads and sign-ins are audited too, and are not writes)."""
    changes = (AuditAction.CREATE, AuditAction.UPDATE, AuditAction.RETIRE, AuditAction.REINSTATE)
    return AuditEvent.objects.filter(action__in=changes).count()


# --- building bodies from the OpenAPI document ------------------------------------------


def _schema() -> dict[str, Any]:
    return api.get_openapi_schema()


def _example(schema: dict[str, Any], components: dict[str, Any]) -> Any:  # noqa: C901, PLR0911
    """A value satisfying the schema's required parts (the table overrides the rest)."""
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    for key in ("anyOf", "allOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _example(options[0], components) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {
            name: _example(props[name], components) for name in schema.get("required", []) if name in props
        }
    if kind == "array":
        return [_example(schema.get("items", {}), components)] if schema.get("minItems") else []
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return max(schema.get("minimum", 1), 1)
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return _day()
    if schema.get("format") == "date-time":
        return _now(1)
    return "x" * max(int(schema.get("minLength", 1)), 1)


def _api_writes() -> list[tuple[str, str, dict[str, Any] | None]]:
    schema = _schema()
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method == "get":
                continue
            body = (
                operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            )
            found.append((method.upper(), path, body))
    return found


def _fill(template: str, params: dict[str, Any]) -> str:
    return re.sub(r"{(\w+)}", lambda m: str(params[m.group(1)]), template)


def _send(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:

    return client.generic(method, url, data=json.dumps(body, default=str), content_type="application/json")


def _errors(response: Any) -> str:
    """The GOV.UK error summary of a re-shown form, for a readable failure."""
    text = response.content.decode()
    start = text.find("govuk-error-summary__list")
    return re.sub(r"<[^>]+>|\s+", " ", text[start : start + 800]) if start >= 0 else ""


@dataclass
class Failures:
    found: list[str] = field(default_factory=list)

    def check(self, condition: bool, message: str) -> None:
        if not condition:
            self.found.append(message)


def test_every_api_write_is_in_the_table() -> None:
    """A new write cannot slip past the matrix: it must say who may make it."""
    missing = [(m, p) for m, p, _ in _api_writes() if (m, p) not in WRITES]
    assert not missing, f"Add these writes to WRITES: {missing}"
    for key, write in WRITES.items():
        assert write.outside is not None or write.why_no_outside, (
            f"{key}: say what is out of scope, or why nothing is"
        )
        succeeds = bool(write.ok & {200, 201})
        assert succeeds or write.why_not_ok, f"{key}: say why the write cannot succeed from the world"


@pytest.mark.django_db
def test_every_api_write_checks_capability_and_scope(world: Any, django_db_blocker: Any) -> None:
    built, x, clients = world
    components = _schema()["components"]["schemas"]
    failures = Failures()
    with django_db_blocker.unblock():
        for method, template, body_schema in _api_writes():
            write = WRITES[(method, template)]
            with _rolled_back():
                if write.prepare:
                    write.prepare(x)
                base = _example(body_schema, components) if body_schema else {}
                body = {**(base or {}), **write.body(x)}
                url = _fill(template, write.path(x))
                # (a) no capability: 404 with a valid body, and nothing written
                for key, user in built.users.items():
                    if write.allows(key, user):
                        continue
                    before = _writes_audited()
                    response = _send(clients[key], method, url, body)
                    failures.check(
                        response.status_code == 404,
                        f"(a) {key} {method} {url}: {response.status_code} {response.content[:200]!r}",
                    )
                    failures.check(_writes_audited() == before, f"(a) {key} {method} {url} wrote")
                actor = clients[write.actor]
                # (c) out of scope: 404 and nothing written
                if write.outside is not None:
                    path_change, body_change = write.outside(x)
                    outside_url = _fill(template, {**write.path(x), **path_change})
                    before = _writes_audited()
                    response = _send(actor, method, outside_url, {**body, **body_change})
                    failures.check(
                        response.status_code == 404,
                        f"(c) {write.actor} {method} {outside_url} {body_change}: {response.status_code} "
                        f"{response.content[:300]!r}",
                    )
                    failures.check(
                        _writes_audited() == before, f"(c) {write.actor} {method} {outside_url} wrote"
                    )
                # (b) in scope: succeeds
                response = _send(actor, method, url, body)
                failures.check(
                    response.status_code in write.ok,
                    f"(b) {write.actor} {method} {url}: {response.status_code} {response.content[:300]!r}",
                )
    assert not failures.found, "\n".join(failures.found)


# --- pages ------------------------------------------------------------------------------

PAGE_CAPABILITY: dict[str, Capability | None] = {
    "accounts:user_new": C.MANAGE_USERS,
    "accounts:user": C.MANAGE_USERS,
    "organisation:pdu_new": C.MANAGE_REFERENCE_DATA,
    "organisation:pdu_rename": C.MANAGE_REFERENCE_DATA,
    "organisation:pdu_retire": C.MANAGE_REFERENCE_DATA,
    "organisation:team_new": C.MANAGE_REFERENCE_DATA,
    "organisation:staff_new": C.MANAGE_REFERENCE_DATA,
    "organisation:staff": C.MANAGE_REFERENCE_DATA,  # a read page whose POST changes the member of staff
    "organisation:office_new": C.MANAGE_REFERENCE_DATA,
    "organisation:office_edit": C.MANAGE_REFERENCE_DATA,
    "organisation:office_retire": C.MANAGE_REFERENCE_DATA,
    "supervision:appointment_new": C.MANAGE_CASES,
    "supervision:outcome": C.MANAGE_CASES,
    "supervision:enforcement": C.MANAGE_CASES,
    "supervision:breach": C.MANAGE_CASES,
    "supervision:note_new": C.MANAGE_CASES,
    "supervision:allocate": C.ALLOCATE_CASES,
    "sentences:event_new": C.MANAGE_CASES,
    "sentences:sentence_end": C.MANAGE_CASES,
    "sentences:requirement_end": C.MANAGE_CASES,
    "risk:assessment_new": C.MANAGE_CASES,
    "risk:registration_new": C.MANAGE_CASES,
    "risk:registration_end": C.MANAGE_CASES,
    "risk:mappa": C.MANAGE_CASES,
    "unpaid_work:nomination_decline": C.MANAGE_UNPAID_WORK,
    "unpaid_work:project_new": C.MANAGE_UNPAID_WORK,
    "unpaid_work:project": C.MANAGE_UNPAID_WORK,
    "unpaid_work:session": C.MANAGE_UNPAID_WORK,
    "unpaid_work:session_stand_down": C.MANAGE_UNPAID_WORK,
    "unpaid_work:session_supervisors": C.MANAGE_UNPAID_WORK,
    "unpaid_work:order": C.MANAGE_UNPAID_WORK,  # a read page whose POSTs assess and adjust the order
    "unpaid_work:planner": C.MANAGE_UNPAID_WORK,
    "unpaid_work:plan": C.MANAGE_UNPAID_WORK,
    "commissioning:extend": C.DELIVER_SERVICES,
    "commissioning:application": C.MANAGE_FRAMEWORK,
    "commissioning:commissioners": C.MANAGE_FRAMEWORK,
    "commissioning:supplier_organisation": C.MANAGE_FRAMEWORK,
    "people:new": C.MANAGE_CASES,
    "people:alias_new": C.MANAGE_CASES,
    "people:address_new": C.MANAGE_CASES,
    "referrals:new": C.MANAGE_CASES,
    "programmes:referral_new": C.MANAGE_CASES,
    "programmes:referral_ldc": C.MANAGE_PROGRAMMES,
    "programmes:referral_availability": C.MANAGE_PROGRAMMES,
    "programmes:referral_non_association": C.MANAGE_PROGRAMMES,
    "programmes:partner_contact_new": C.PARTNER_SAFETY,
    "programmes:referral_step": None,  # the referral lifecycle decides, by step
    "programmes:template_new": C.MANAGE_REFERENCE_DATA,
    "programmes:intervention_new": C.PROPOSE_INTERVENTIONS,
    "programmes:intervention_decision": None,  # the INTERVENTION lifecycle decides, by step
    "programmes:offer_new": C.MANAGE_PROGRAMMES,
    "programmes:offer_end": C.MANAGE_PROGRAMMES,
    "programmes:review_new": C.REVIEW_DELIVERY_SUITE,
    "programmes:room_new": C.MANAGE_PROGRAMMES,
    "programmes:room": C.MANAGE_PROGRAMMES,
    "programmes:room_retire": C.MANAGE_PROGRAMMES,
    "programmes:group_new": C.MANAGE_PROGRAMMES,
    # A read page for those delivering the group, whose POST adds a member: see PAGE_WRITES_NEED.
    "programmes:group": C.DELIVER_PROGRAMMES,
    "programmes:group_session": C.DELIVER_PROGRAMMES,  # the register and the session's notes
    "programmes:group_session_reschedule": C.MANAGE_PROGRAMMES,
    "programmes:group_session_book": C.MANAGE_PROGRAMMES,
    "programmes:group_member_catch_up": C.MANAGE_PROGRAMMES,
    "programmes:group_member_delivery": C.MANAGE_PROGRAMMES,
    "programmes:group_member_remove": C.MANAGE_PROGRAMMES,
    "programmes:group_cancel": C.MANAGE_PROGRAMMES,
    "programmes:group_member_deselect": C.MANAGE_PROGRAMMES,
    # Relationship-checked pages: the view decides by competition or referral.
    "commissioning:agreement": None,
    "commissioning:competition_new": None,
    "commissioning:competition_step": None,
    "referrals:action": None,
    "portal:job": None,  # a job's starter (and those who joined it) and administrators
}
# Who may use the relationship-checked pages, for the world's records in _page_params:
# signing the agreement and drafting a competition need a commissioner the user acts
# for; bidding needs an invitation; assigning a caseworker needs the referral's provider.
PAGE_RELATIONSHIP: dict[str, frozenset[str]] = {
    "commissioning:agreement": frozenset({"COMMISSIONER"}),
    "commissioning:competition_new": frozenset({"COMMISSIONER"}),
    "commissioning:competition_step": frozenset({"PROVIDER"}),
    "referrals:action": frozenset({"PROVIDER"}),
    "portal:job": JOB_HOLDERS,
    "programmes:referral_step": PROGRAMME_REFERRAL_MANAGERS,  # step "withdraw" below
    # Step "approve" below: the lifecycle gives it to the national panel alone.
    "programmes:intervention_decision": frozenset({"INTERVENTIONS_PANEL"}),
}
# Pages reached with one capability whose POST writes only with another: everyone who
# reaches the page without the second must write nothing (the group page shows a
# facilitator the group; adding someone from the waitlist is the Programmes team's).
PAGE_WRITES_NEED: dict[str, Capability] = {"programmes:group": C.MANAGE_PROGRAMMES}
PUBLIC_FORMS = {"accounts:sign_in", "accounts:sign_out", "unpaid_work:nominate", "commissioning:apply"}


def _post_pages() -> list[tuple[str, str]]:  # noqa: C901
    """(URL template, name) of every page whose view accepts POST."""

    def methods_of(view: Any) -> list[str]:
        found: list[str] = []
        current = view
        while current is not None:
            for cell in getattr(current, "__closure__", None) or ():
                try:
                    value = cell.cell_contents
                except ValueError:
                    continue
                if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                    found += value
            current = getattr(current, "__wrapped__", None)
        return found

    def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if str(entry.pattern).startswith("api/"):
                    continue
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and "POST" in methods_of(entry.callback):
                yield "/" + prefix + str(entry.pattern), f"{namespace}:{entry.name}"

    return list(walk(get_resolver().url_patterns))


def test_every_form_page_is_in_the_table() -> None:
    pages = {name for _, name in _post_pages()}
    assert len(pages) > 30
    missing = pages - set(PAGE_CAPABILITY) - PUBLIC_FORMS
    assert not missing, f"Add these pages to PAGE_CAPABILITY: {sorted(missing)}"


def _page_params(x: Any) -> dict[str, Any]:
    return {
        "user_id": x.practitioner.pk,
        "pdu_id": x.pdu_in.pk,
        "staff_id": x.staff_in.pk,
        "office_id": x.office_in.pk,
        "crn": x.person_in.crn,
        "appointment_id": x.appointment_in.pk,
        "breach_id": x.breach_in.pk,
        "sentence_id": x.sentence_in.pk,
        "requirement_id": x.requirement_in.pk,
        "registration_id": x.registration_in.pk,
        "nomination_id": x.nomination.pk,
        "project_id": x.project_in.pk,
        "session_id": x.session_in.pk,
        "order_id": x.order_in.pk,
        "plan_id": x.plan_in.pk,
        "job_id": x.job_in.pk,
        "application_id": x.application.pk,
        "competition_id": x.competition.pk,
        "step": "bids",
        "referral_id": x.referral_in.pk,
        "action": "assign",
        "contract_id": x.contract_in.pk,
        "supplier_id": x.unlinked_supplier.pk,
        "programme_referral_id": x.programme_referral_in.pk,
        "referral_step": "withdraw",
        "code": x.programme.code,
        "region_id": "F",
        "offer_id": x.offer_in.pk,
        "room_id": x.room_in.pk,
        "group_id": x.group_in.pk,
        "member_id": x.member_in.pk,
    }


# Pages whose parameter names another page's means something else: the group's session
# (not Unpaid Work's), the panel's step (not a competition's).
PAGE_PARAMS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "programmes:intervention_decision": lambda x: {"code": x.si_in.code, "step": "approve"},
    "programmes:group_session": lambda x: {"session_id": x.past_session.pk},
    "programmes:group_session_reschedule": lambda x: {"session_id": x.later_session.pk},
    "programmes:group_session_book": lambda x: {"session_id": x.one_to_one_in.pk},
}
# State a page's POST needs to write (for the users who reach it but may not write).
PAGE_PREPARE: dict[str, Callable[[Any], None]] = {"programmes:group": _waitlisted}


def _page_url(template: str, params: dict[str, Any]) -> str:
    return re.sub(r"<(?:[^>:]+:)?(\w+)>", lambda m: str(params[m.group(1)]), template)


@pytest.mark.django_db
def test_every_form_page_refuses_roles_without_the_capability(world: Any, django_db_blocker: Any) -> None:
    """Every role without a page's capability gets 404 on POST, and nothing is written;
    the relationship-checked pages (agreement, competitions, referral steps) refuse
    everyone but the users the world relates to the record.
    Proved able to fail: changing the note page's ``@requires(MANAGE_CASES)`` to
    ``@signed_in`` makes the programmes officer's POST answer 200/302 and turns this red."""
    built, x, clients = world
    failures = Failures()
    body = {
        "text": "A note",
        "reason": "x",
        "version": "1",
        "name": "x",
        "referral": x.programme_referral_in.pk,
    }
    with django_db_blocker.unblock():
        for template, name in _post_pages():
            capability = PAGE_CAPABILITY.get(name, "public")
            if capability == "public":
                continue
            url = _page_url(template, _page_params(x) | PAGE_PARAMS.get(name, lambda x: {})(x))
            with _rolled_back():
                if name in PAGE_PREPARE:
                    PAGE_PREPARE[name](x)
                for key, user in built.users.items():
                    before = _writes_audited()
                    if name in PAGE_WRITES_NEED and _may(user, PAGE_WRITES_NEED[name]):
                        continue
                    if capability is None and key in PAGE_RELATIONSHIP[name]:
                        continue
                    if capability is not None and _may(user, capability):
                        if name in PAGE_WRITES_NEED:  # reaches the page, may not write through it
                            response = clients[key].post(url, body)
                            failures.check(_writes_audited() == before, f"{key} POST {url} wrote")
                        continue
                    response = clients[key].post(url, body)
                    failures.check(response.status_code == 404, f"{key} POST {url}: {response.status_code}")
                    failures.check(_writes_audited() == before, f"{key} POST {url} wrote")
    assert not failures.found, "\n".join(failures.found)


PAGE_SCOPE: list[
    tuple[str, str, Callable[[Any], str], Callable[[Any], dict[str, Any]], Callable[[Any], dict[str, Any]]]
] = [
    # (name, actor, url, in-scope body, changes naming something out of scope)
    # (more, with the state they need, in PROGRAMME_PAGE_SCOPE below)
    (
        "supervision:appointment_new",
        "SENIOR_PROBATION_OFFICER",
        lambda x: f"/cases/{x.person_in.crn}/appointments/new/",
        lambda x: {
            "type": "SUPERVISION",
            "day": (TODAY + timedelta(days=7)).strftime("%d/%m/%Y"),
            "time": "10:00",
            "duration": "60",
            "practitioner": x.staff_in.pk,
            "office": x.office_in.pk,
            "event": x.sentence_in.event_id,
        },
        lambda x: {"practitioner": x.staff_out.pk, "office": x.office_out.pk},
    ),
    (
        "supervision:allocate",
        "SENIOR_PROBATION_OFFICER",
        lambda x: f"/cases/{x.person_in.crn}/allocate/",
        lambda x: {"practitioner": x.staff_in.pk, "reason": "WORKLOAD", "version": _v(x.person_in)},
        lambda x: {"practitioner": x.staff_out.pk},
    ),
    (
        "unpaid_work:project_new",
        "UNPAID_WORK",
        lambda x: "/unpaid-work/projects/new/",
        lambda x: {
            "name": "Garden",
            "pdu": x.pdu_in.pk,
            "type": _choices("unpaid_work.constants", "ProjectType")[0],
            "beneficiary": "Parish",
            "address": "1 Road",
            "postcode": "NG1 1AA",
            "weekdays": ["5"],
            "starts_at": "09:00",
            "ends_at": "16:00",
            "capacity": "6",
            "people_per_supervisor": "6",
            "start_date": (TODAY + timedelta(days=7)).strftime("%d/%m/%Y"),
        },
        lambda x: {"pdu": x.pdu_out.pk},
    ),
    (
        "referrals:new",
        "SENIOR_PROBATION_OFFICER",
        lambda x: f"/cases/{x.person_in.crn}/referrals/new/{x.contract_in.pk}/",
        lambda x: {
            "category": "1",
            "complexity": "LOW",
            "desired_outcomes": [str(x.outcome.pk)],
            "max_rar_days": "5",
            "completion_deadline": (TODAY + timedelta(days=30)).strftime("%d/%m/%Y"),
            "risk_information": "Low",
        },
        # A contract in Leeds, for a person in Nottingham.
        lambda x: {"__url__": f"/cases/{x.person_in.crn}/referrals/new/{x.contract_out.pk}/"},
    ),
    (
        "unpaid_work:planner",
        "UNPAID_WORK",
        lambda x: "/unpaid-work/planner/",
        lambda x: {
            "pdu": x.pdu_in.pk,
            "start": (TODAY + timedelta(days=7)).strftime("%d/%m/%Y"),
            "end": (TODAY + timedelta(days=13)).strftime("%d/%m/%Y"),
        },
        lambda x: {"pdu": x.pdu_out.pk},
    ),
    (
        "programmes:referral_new",
        "SENIOR_PROBATION_OFFICER",
        lambda x: f"/cases/{x.person_in.crn}/programme-referrals/new/",
        lambda x: {
            "event": x.requirement_in.sentence.event_id,
            "programme": x.intervention.pk,
            "requirement": x.requirement_in.pk,
        },
        lambda x: {"__url__": f"/cases/{x.person_out.crn}/programme-referrals/new/"},
    ),
    (
        "programmes:referral_non_association",
        "PROGRAMME_COORDINATOR",
        lambda x: f"/programme-referrals/{x.programme_referral_in.pk}/non-associations/new/",
        lambda x: {"crn": x.other_person.crn, "reason": "Co-defendant"},
        lambda x: {"crn": x.person_out.crn},
    ),
    (
        "supervision:note_new",
        "SENIOR_PROBATION_OFFICER",
        lambda x: f"/cases/{x.person_in.crn}/notes/new/",
        lambda x: {"text": "Seen"},
        lambda x: {"__url__": f"/cases/{x.person_out.crn}/notes/new/"},
    ),
]


class PageScope(NamedTuple):
    """A page's in-scope write (302) and its out-of-scope twin (400 or 404, nothing written);
    ``outside`` None only where nothing could be out of scope (``why_no_outside``)."""

    name: str
    actor: str
    url: Callable[[Any], str]
    body: Callable[[Any], dict[str, Any]]
    outside: Callable[[Any], dict[str, Any]] | None
    prepare: Callable[[Any], None] | None = None
    why_no_outside: str = ""


def _typed(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _group_page(x: Any, tail: str = "", group: Any = None) -> str:
    return f"/programmes/groups/{(group or x.group_in).pk}/{tail}"


def _leeds_member_page(tail: str) -> Callable[[Any], dict[str, Any]]:
    return lambda x: {"__url__": _group_page(x, f"members/{x.member_out.pk}/{tail}/", x.group_out)}


PROGRAMME_PAGE_SCOPE = [
    PageScope(
        "programmes:template_new",
        "ADMINISTRATOR",
        lambda x: f"/programmes/catalogue/{x.programme.code}/templates/new/",
        lambda x: {
            "effective_from": _typed(TODAY + timedelta(days=30)),
            "sessions": "Module: One\nSession 1, group, 120\nOne-to-one, one-to-one, 60",
        },
        None,
        why_no_outside=NATIONAL_REFERENCE,
    ),
    PageScope(
        "programmes:intervention_new",
        "TREATMENT_MANAGER",
        lambda x: "/programmes/interventions/new/",
        lambda x: {
            "name": "Page intervention",
            "need_area": "EM",
            "audience": "Adults",
            "men": "on",
            "women": "on",
            "sessions": SI_SESSIONS_TYPED,
        },
        None,
        why_no_outside="an intervention belongs to the submitter's own region: nothing else is named",
    ),
    PageScope(
        "programmes:intervention_decision",
        "TREATMENT_MANAGER",
        lambda x: f"/programmes/catalogue/{x.si_in.code}/panel/withdraw/",
        lambda x: {"reasons": "Replaced by an accredited programme"},
        lambda x: {"__url__": f"/programmes/catalogue/{x.si_out.code}/panel/withdraw/"},
    ),
    PageScope(
        "programmes:offer_new",
        "PROGRAMME_COORDINATOR",
        lambda x: "/programmes/delivery-suite/F/offers/new/",
        lambda x: {
            "programme": "building-choices-moderate",
            "pdu": x.pdu_in.pk,
            "starts_on": _typed(TODAY + timedelta(days=1)),
        },
        lambda x: {"pdu": x.pdu_out.pk},
    ),
    PageScope(
        "programmes:offer_end",
        "PROGRAMME_COORDINATOR",
        lambda x: f"/programmes/offers/{x.offer_in.pk}/end/",
        lambda x: {"ends_on": _typed(TODAY + timedelta(days=30))},
        lambda x: {"__url__": f"/programmes/offers/{x.offer_out.pk}/end/"},
    ),
    PageScope(
        "programmes:review_new",
        "REGIONAL_DIRECTOR",
        lambda x: "/programmes/delivery-suite/F/reviews/new/",
        lambda x: {"summary": "Reviewed with the PDU heads"},
        lambda x: {"__url__": "/programmes/delivery-suite/C/reviews/new/"},
    ),
    PageScope(
        "programmes:room_new",
        "PROGRAMME_COORDINATOR",
        lambda x: "/programmes/rooms/new/",
        lambda x: {"office": x.office_in.pk, "name": "Page room", "capacity": "10", "accredited": "on"},
        lambda x: {"office": x.office_out.pk},
    ),
    PageScope(
        "programmes:room",
        "PROGRAMME_COORDINATOR",
        lambda x: f"/programmes/rooms/{x.room_in.pk}/",
        lambda x: {"name": "Renamed room", "capacity": "12", "accredited": "on"},
        lambda x: {"__url__": f"/programmes/rooms/{x.room_out.pk}/"},
    ),
    PageScope(
        "programmes:room_retire",
        "PROGRAMME_COORDINATOR",
        lambda x: f"/programmes/rooms/{x.room_in.pk}/retire/",
        lambda x: {},
        lambda x: {"__url__": f"/programmes/rooms/{x.room_out.pk}/retire/"},
    ),
    PageScope(
        "programmes:group_new",
        "PROGRAMME_COORDINATOR",
        lambda x: "/programmes/groups/new/",
        lambda x: {
            "programme": x.programme.pk,
            "cohort": "GENERAL",
            "sex": "MALE",
            "pdu": x.pdu_in.pk,
            "room": x.room_in.pk,
            "starts_on": _typed(_usable_day(TODAY)),
            "slot_1_day": _usable_day(TODAY).weekday(),
            "slot_1_time": "18:00",
            "treatment_manager": x.treatment_manager_in.pk,
            "facilitators": [x.new_facilitator.pk],
        },
        lambda x: {"pdu": x.pdu_out.pk, "room": x.room_out.pk},
    ),
    PageScope(
        "programmes:group",
        "PROGRAMME_COORDINATOR",
        _group_page,
        lambda x: {"referral": x.programme_referral_in.pk},
        lambda x: {"__url__": _group_page(x, group=x.group_out)},
        prepare=_waitlisted,
    ),
    PageScope(
        "programmes:group_session",
        "FACILITATOR",
        lambda x: _group_page(x, f"sessions/{x.past_session.pk}/"),
        lambda x: {"record": "1", f"m{x.member_in.pk}-outcome": "ATTENDED_COMPLIED"},
        lambda x: {"__url__": _group_page(x, f"sessions/{x.group_session_out.pk}/", x.group_out)},
    ),
    PageScope(
        "programmes:group_session_reschedule",
        "PROGRAMME_COORDINATOR",
        lambda x: _group_page(x, f"sessions/{x.later_session.pk}/reschedule/"),
        lambda x: {"on": _typed(_moved(x).date()), "at": "10:00"},
        lambda x: {"__url__": _group_page(x, f"sessions/{x.group_session_out.pk}/reschedule/", x.group_out)},
    ),
    PageScope(
        "programmes:group_session_book",
        "PROGRAMME_COORDINATOR",
        lambda x: _group_page(x, f"sessions/{x.one_to_one_in.pk}/book/"),
        lambda x: {"on": _typed(_soon(x).date()), "at": "14:00", "facilitator": x.facilitator_in.pk},
        lambda x: {"__url__": _group_page(x, f"sessions/{x.one_to_one_out.pk}/book/", x.group_out)},
    ),
    PageScope(
        "programmes:group_member_catch_up",
        "PROGRAMME_COORDINATOR",
        lambda x: _group_page(x, f"members/{x.member_in.pk}/catch-up/"),
        lambda x: {
            "session": x.past_session.pk,
            "on": _typed(_soon(x).date()),
            "at": "14:00",
            "facilitator": x.facilitator_in.pk,
        },
        _leeds_member_page("catch-up"),
        prepare=_missed,
    ),
    PageScope(
        "programmes:group_member_delivery",
        "PROGRAMME_COORDINATOR",
        lambda x: _group_page(x, f"members/{x.member_in.pk}/delivery/"),
        lambda x: {"mode": "REMOTE", "delivery_reason": "Caring responsibilities"},
        _leeds_member_page("delivery"),
    ),
    PageScope(
        "programmes:group_cancel",
        "PROGRAMME_COORDINATOR",
        lambda x: _group_page(x, "cancel/", x.fresh_group),
        lambda x: {"reason": "STAFFING", "version": _v(x.fresh_group)},
        lambda x: {"__url__": _group_page(x, "cancel/", x.group_out), "version": _v(x.group_out)},
        prepare=_forming,
    ),
    PageScope(
        "programmes:group_member_remove",
        "PROGRAMME_COORDINATOR",
        lambda x: _group_page(x, f"members/{x.fresh_member.pk}/remove/"),
        lambda x: {"reason": "CARING"},
        _leeds_member_page("remove"),
        prepare=_joined,
    ),
    PageScope(
        "programmes:group_member_deselect",
        "PROGRAMME_COORDINATOR",
        lambda x: _group_page(x, f"members/{x.member_in.pk}/deselect/"),
        lambda x: {"reason": "MISSED_SESSIONS"},
        _leeds_member_page("deselect"),
    ),
]


def test_every_programmes_form_page_has_its_scope_case() -> None:
    """Each programmes page that writes says what is in and out of scope for it."""
    named = {case.name for case in PROGRAMME_PAGE_SCOPE}
    pages = {name for _, name in _post_pages() if name.startswith("programmes:")}
    missing = (
        pages
        - named
        - {
            "programmes:referral_new",
            "programmes:referral_non_association",  # both in PAGE_SCOPE
            "programmes:referral_step",  # the relationship table, and the referral tests' own
            "programmes:referral_ldc",
            "programmes:referral_availability",
            "programmes:partner_contact_new",
        }
    )
    assert not missing, f"Add these pages to PROGRAMME_PAGE_SCOPE: {sorted(missing)}"
    for case in PROGRAMME_PAGE_SCOPE:
        assert case.outside is not None or case.why_no_outside, case.name


NESTED_PAGES = [
    "/cases/{crn}/sentences/{sentence}/end/",
    "/cases/{crn}/requirements/{requirement}/end/",
    "/cases/{crn}/risk/registrations/{registration}/end/",
    "/cases/{crn}/appointments/{appointment}/outcome/",
    "/cases/{crn}/appointments/{appointment}/enforcement/",
    "/cases/{crn}/breaches/{breach}/",
]


@pytest.mark.django_db
def test_form_pages_refuse_another_persons_records_under_a_visible_crn(
    world: Any, django_db_blocker: Any
) -> None:
    """A page for a visible person must not act on another person's sentence,
    registration, appointment or breach named in its URL: 404, and nothing written.
    Proved able to fail: dropping ``event__person=person`` from the sentence lookup in
    the sentence-end page lets the Leeds sentence be ended and turns this red."""
    _built, x, clients = world
    failures = Failures()
    client = clients["SENIOR_PROBATION_OFFICER"]
    ids = {
        "crn": x.person_in.crn,
        "sentence": x.sentence_out.pk,
        "requirement": x.requirement_out.pk,
        "registration": x.registration_out.pk,
        "appointment": x.appointment_out.pk,
        "breach": x.breach_out.pk,
    }
    body = {"ended_on": TODAY.strftime("%d/%m/%Y"), "reason": "COMPLETED", "outcome": "ATTENDED_COMPLIED"}
    with django_db_blocker.unblock():
        for template in NESTED_PAGES:
            url = template.format(**ids)
            with _rolled_back():
                before = _writes_audited()
                response = client.post(url, body)
                failures.check(response.status_code == 404, f"{url}: {response.status_code}")
                failures.check(_writes_audited() == before, f"{url} wrote")
    assert not failures.found, "\n".join(failures.found)


HIDDEN_INPUT = re.compile(r'<input type="hidden"[^>]*\bname="(?P<name>[^"]+)"[^>]*\bvalue="(?P<value>[^"]*)"')


def _hidden_inputs(response: Any) -> dict[str, str]:
    """The hidden inputs of a page's forms, except the CSRF token (the test client skips it)."""
    found = {m["name"]: m["value"] for m in HIDDEN_INPUT.finditer(response.content.decode())}
    found.pop("csrfmiddlewaretoken", None)
    return found


@pytest.mark.django_db
def test_form_pages_refuse_out_of_scope_choices(world: Any, django_db_blocker: Any) -> None:
    """A page naming a practitioner, office or PDU outside the user's scope re-shows the
    form with an error (or answers 404) and writes nothing; the in-scope body is saved.
    Proved able to fail: giving the project form ``Pdu.objects.active()`` as its PDU
    choices lets a Nottingham coordinator set up a project in Leeds, and this turns red."""
    _built, x, clients = world
    failures = Failures()
    with django_db_blocker.unblock():
        for name, actor, url_of, body_of, outside_of, prepare, _why in [
            *(PageScope(*case) for case in PAGE_SCOPE),
            *PROGRAMME_PAGE_SCOPE,
        ]:
            with _rolled_back():
                if prepare is not None:
                    prepare(x)
                client = clients[actor]
                # Hidden fields (the record's version above all) come from the page as the
                # browser would send them, so a page that fails to render one cannot pass.
                body = _hidden_inputs(client.get(url_of(x))) | {
                    k: v for k, v in body_of(x).items() if k != "version"
                }
                if outside_of is not None:
                    changes = outside_of(x)
                    url = changes.pop("__url__", url_of(x))
                    before = _writes_audited()
                    response = client.post(url, {**body, **changes})
                    failures.check(response.status_code in (400, 404), f"(c) {name}: {response.status_code}")
                    failures.check(_writes_audited() == before, f"(c) {name} wrote")
                response = client.post(url_of(x), body)
                failures.check(
                    response.status_code == 302,
                    f"(b) {name}: {response.status_code} {_errors(response)}",
                )
    assert not failures.found, "\n".join(failures.found)


def _edit_pages(x: Any) -> list[tuple[str, str, Any]]:
    """(actor, page, record): every page whose form changes a versioned record."""
    crn = x.person_in.crn
    referral = x.referral_in
    return [
        ("ADMINISTRATOR", f"/users/{x.practitioner.pk}/", x.practitioner),
        ("ADMINISTRATOR", f"/organisation/staff/{x.staff_in.pk}/", x.staff_in),
        ("ADMINISTRATOR", f"/organisation/pdus/{x.pdu_in.pk}/rename/", x.pdu_in),
        ("ADMINISTRATOR", f"/organisation/offices/{x.office_in.pk}/edit/", x.office_in),
        ("ADMINISTRATOR", f"/organisation/offices/{x.office_in.pk}/retire/", x.office_in),
        ("SENIOR_PROBATION_OFFICER", f"/cases/{crn}/address/", x.person_in),
        ("SENIOR_PROBATION_OFFICER", f"/cases/{crn}/allocate/", x.person_in),
        (
            "SENIOR_PROBATION_OFFICER",
            f"/cases/{crn}/appointments/{x.appointment_in.pk}/outcome/",
            x.appointment_in,
        ),
        ("SENIOR_PROBATION_OFFICER", f"/cases/{crn}/breaches/{x.breach_in.pk}/", x.breach_in),
        ("SENIOR_PROBATION_OFFICER", f"/cases/{crn}/sentences/{x.sentence_in.pk}/end/", x.sentence_in),
        ("UNPAID_WORK", f"/unpaid-work/orders/{x.order_in.pk}/", x.order_in),
        ("UNPAID_WORK", f"/unpaid-work/sessions/{x.session_in.pk}/", x.session_in),
        ("UNPAID_WORK", f"/unpaid-work/planner/{x.plan_in.pk}/", x.plan_in),
        ("SENIOR_PROBATION_OFFICER", f"/referrals/{referral.pk}/withdraw/", referral),
        (
            "PROGRAMME_COORDINATOR",
            f"/programme-referrals/{x.programme_referral_in.pk}/steps/defer/",
            x.programme_referral_in,
        ),
        (
            "PROGRAMME_COORDINATOR",
            f"/programme-referrals/{x.programme_referral_in.pk}/availability/",
            x.programme_referral_in,
        ),
        (
            "PROGRAMME_COORDINATOR",
            f"/programme-referrals/{x.programme_referral_in.pk}/ldc/",
            x.programme_referral_in,
        ),
        ("COMMERCIAL", f"/framework/suppliers/{x.unlinked_supplier.pk}/organisation/", x.unlinked_supplier),
        ("PROGRAMME_COORDINATOR", f"/programmes/rooms/{x.room_in.pk}/", x.room_in),
        ("PROGRAMME_COORDINATOR", f"/programmes/rooms/{x.room_in.pk}/retire/", x.room_in),
        (
            "PROGRAMME_COORDINATOR",
            _group_page(x, f"sessions/{x.later_session.pk}/reschedule/"),
            x.later_session,
        ),
        ("PROGRAMME_COORDINATOR", _group_page(x, f"sessions/{x.one_to_one_in.pk}/book/"), x.one_to_one_in),
    ]


@pytest.mark.django_db
def test_every_edit_page_renders_the_version_it_was_loaded_at(world: Any, django_db_blocker: Any) -> None:
    """A required hidden version that a template forgets to render makes the page
    impossible to save; this finds it from the page itself. Proved able to fail:
    dropping ``form.version`` from ``accounts/user_detail.html`` turns it red."""
    _built, x, clients = world
    failures = Failures()
    with django_db_blocker.unblock():
        for actor, url, record in _edit_pages(x):
            response = clients[actor].get(url)
            failures.check(response.status_code == 200, f"{url}: {response.status_code}")
            version = str(type(record).objects.get(pk=record.pk).version)
            shown = [
                m["value"] for m in HIDDEN_INPUT.finditer(response.content.decode()) if m["name"] == "version"
            ]
            failures.check(
                bool(shown) and set(shown) == {version}, f"{url}: version {shown}, expected {version}"
            )
    assert not failures.found, "\n".join(failures.found)
