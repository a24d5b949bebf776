"""Reads the services of every aggregate with a lifecycle table and fails when one
refuses a step (raises ``TransitionNotAllowed``) under an ``if`` that reads the
aggregate's status, or the facts the table's conditions already decide (who manages a
competition, its deadlines, where a referral stands). Those belong to the table in the
app's ``lifecycle.py``; the service calls ``LIFECYCLE.guard``.

This is the narrower, honest version of "no service compares the status": a status may
still be read to store what follows from it (``_save``) or to audit it, and a service
may still refuse on the state of a child record the table does not describe (a question
already answered, a mark already moderated).

Proved able to fail: with the old ``if run.status != PlanStatus.PROPOSED: raise
TransitionNotAllowed(...)`` put back into ``unpaid_work/services/plans.py`` this test went
red naming that line; restored, green."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from commissioning.competitions.lifecycle import COMPETITION
from programmes.lifecycle import GROUP, INTERVENTION
from programmes.lifecycle import REFERRAL as PROGRAMME_REFERRAL
from referrals.lifecycle import REFERRAL
from supervision.lifecycle import BREACH
from unpaid_work.lifecycle import ORDER, PLAN_RUN

ROOT = Path(__file__).resolve().parents[2]

# Per services module: the names an ``if`` that refuses a step may not read.
STATUS = {"status", "CONCLUDED", "BREACH_TRANSITIONS"}
WATCHED: dict[str, set[str]] = {
    "referrals/services.py": STATUS
    | {"ReferralStatus", "progress", "withdrawn_at", "assessed_on", "assessment_at", "caseworker_id"},
    "commissioning/competitions/services.py": STATUS
    | {
        "CompetitionStatus",
        "can_manage",
        "has_no_compliant_bid",
        "bid_deadline",
        "clarification_deadline",
        "standstill_ends_on",
        "evaluators",
        "invitations",
    },
    "supervision/services.py": STATUS | {"BreachStatus"},
    "unpaid_work/services/plans.py": STATUS | {"PlanStatus"},
    "unpaid_work/services/orders.py": STATUS | {"OrderStatus", "assessed_on"},
    "unpaid_work/services/bookings.py": STATUS | {"OrderStatus"},
    **{
        f"programmes/services/{name}.py": STATUS | {"ReferralStatus", "GroupStatus", "ApprovalStatus"}
        for name in ("groups", "referrals", "catalogue", "transitions")
    },
}


def _refuses(node: ast.If) -> bool:
    for child in ast.walk(ast.Module(body=node.body, type_ignores=[])):
        if isinstance(child, ast.Raise) and child.exc is not None:
            call = child.exc.func if isinstance(child.exc, ast.Call) else child.exc
            if isinstance(call, ast.Name) and call.id == "TransitionNotAllowed":
                return True
    return False


def _names(expr: ast.expr) -> set[str]:
    found = set()
    for child in ast.walk(expr):
        if isinstance(child, ast.Name):
            found.add(child.id)
        elif isinstance(child, ast.Attribute):
            found.add(child.attr)
    return found


def hand_written_guards(path: str, watched: set[str]) -> list[str]:
    tree = ast.parse((ROOT / path).read_text(), filename=path)
    return [
        f"{path}:{node.lineno} reads {sorted(_names(node.test) & watched)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and _refuses(node) and _names(node.test) & watched
    ]


@pytest.mark.parametrize("path", sorted(WATCHED))
def test_services_refuse_steps_only_through_their_lifecycle(path: str) -> None:
    assert hand_written_guards(path, WATCHED[path]) == []


def test_the_check_sees_a_hand_written_status_guard() -> None:
    """The check itself, on the shape it is there to catch."""
    source = "if run.status != PlanStatus.PROPOSED:\n    raise TransitionNotAllowed('no')\n"
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.If) and _refuses(node) and {"status", "PlanStatus"} <= _names(node.test)


def test_the_domain_docs_show_each_table_as_declared() -> None:
    """The docs' transition tables are the tables' own ``as_markdown()``, kept in step."""
    for doc, lifecycle in (
        ("referrals.md", REFERRAL),
        ("commissioning.md", COMPETITION),
        ("supervision.md", BREACH),
        ("unpaid-work.md", PLAN_RUN),
        ("unpaid-work.md", ORDER),
        ("programmes.md", PROGRAMME_REFERRAL),
        ("programmes.md", GROUP),
        ("programmes.md", INTERVENTION),
    ):
        assert lifecycle.as_markdown() in (ROOT / "docs" / "domain" / doc).read_text(), doc
