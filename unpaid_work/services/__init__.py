"""Unpaid Work writes (the reads they rest on are in unpaid_work.selectors): orders, nominations, projects, sessions, bookings, attendance
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
    record_attendance,
    record_register,
)
from unpaid_work.services.orders import (
    add_adjustment,
    end_orders_of_ended_requirements,
    open_orders_for_event,
    update_assessment,
)
from unpaid_work.services.plans import (
    PLAN_JOB,
    confirm_plan,
    create_plan,
    discard_plan,
    request_plan,
    set_proposals_included,
)
from unpaid_work.services.projects import (
    NOMINATIONS_PER_ADDRESS_PER_DAY,
    assign_supervisors,
    create_project,
    decline_nomination,
    generate_sessions,
    stand_down,
    submit_nomination,
)

__all__ = [
    "APPOINTMENT_OUTCOME",
    "ATTENDANCE_FIELDS",
    "ENFORCEMENT_OUTCOME",
    "NOMINATIONS_PER_ADDRESS_PER_DAY",
    "PLAN_JOB",
    "AttendanceEntry",
    "RegisterRejected",
    "add_adjustment",
    "assign_supervisors",
    "book",
    "confirm_plan",
    "create_plan",
    "create_project",
    "decline_nomination",
    "discard_plan",
    "end_orders_of_ended_requirements",
    "generate_sessions",
    "open_orders_for_event",
    "record_attendance",
    "record_register",
    "request_plan",
    "set_proposals_included",
    "stand_down",
    "submit_nomination",
    "update_assessment",
]
