"""Unpaid Work writes: orders, nominations, projects, sessions, bookings, attendance
and adjustments. Atomic, guarded and audited. Enforceable attendance outcomes are
recorded as supervision appointments so the statutory warning/breach rule applies.

Split by responsibility into sub-modules; every public name is re-exported here so
callers keep writing ``from unpaid_work import services; services.book(...)``."""

from unpaid_work.services.bookings import (
    APPOINTMENT_OUTCOME,
    ATTENDANCE_FIELDS,
    ENFORCEMENT_OUTCOME,
    AttendanceEntry,
    RegisterRejected,
    book,
    booking_problems,
    candidate_facts,
    has_child_safeguarding_registration,
    journey_for,
    local_now,
    record_attendance,
    record_register,
    session_facts,
)
from unpaid_work.services.orders import (
    add_adjustment,
    minutes_adjusted,
    minutes_credited,
    open_orders_for_event,
    remaining,
    update_assessment,
)
from unpaid_work.services.plans import confirm_plan, create_plan, discard_plan, set_proposals_included
from unpaid_work.services.projects import (
    NOMINATIONS_PER_ADDRESS_PER_DAY,
    assign_supervisors,
    create_project,
    decline_nomination,
    generate_sessions,
    stand_down,
    submit_nomination,
    supervisors_for,
)

__all__ = [
    "APPOINTMENT_OUTCOME",
    "ATTENDANCE_FIELDS",
    "ENFORCEMENT_OUTCOME",
    "NOMINATIONS_PER_ADDRESS_PER_DAY",
    "AttendanceEntry",
    "RegisterRejected",
    "add_adjustment",
    "assign_supervisors",
    "book",
    "booking_problems",
    "candidate_facts",
    "confirm_plan",
    "create_plan",
    "create_project",
    "decline_nomination",
    "discard_plan",
    "generate_sessions",
    "has_child_safeguarding_registration",
    "journey_for",
    "local_now",
    "minutes_adjusted",
    "minutes_credited",
    "open_orders_for_event",
    "record_attendance",
    "record_register",
    "remaining",
    "session_facts",
    "set_proposals_included",
    "stand_down",
    "submit_nomination",
    "supervisors_for",
    "update_assessment",
]
