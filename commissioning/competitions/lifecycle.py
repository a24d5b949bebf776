"""A call-off competition's lifecycle, written once (ADR 19): from which states each step
may be taken, who takes it (the lead commissioner or commercial staff, an invited
supplier, an evaluator) and the further condition (a deadline, the standstill, the
ranking). ``services`` guards every step with it, the competition page offers its
buttons from it and the API's detail lists ``next_steps`` from it.

The conditions read the competition through ``selectors`` and the clock; the states and
who may are declared here and nowhere else."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from commissioning.competitions import rules as crules
from commissioning.competitions import selectors
from commissioning.constants import CompetitionStatus
from commissioning.models import Competition
from core.lifecycle import Lifecycle, Transition

S = CompetitionStatus


def _manager(user: Any, c: Competition) -> bool:
    """the lead commissioner or commercial staff"""
    return selectors.can_manage(user, c)


def _invited(user: Any, c: Competition) -> bool:
    """an invited supplier"""
    supplier = selectors.supplier_for(user)
    return supplier is not None and c.invitations.filter(supplier=supplier).exists()


def _evaluator(user: Any, c: Competition) -> bool:
    """an evaluator on its panel"""
    return c.evaluators.filter(pk=user.pk).exists()


def _questions_open(c: Competition) -> bool:
    return timezone.now() <= c.clarification_deadline


def _bids_open(c: Competition) -> bool:
    return timezone.now() < c.bid_deadline


def _bids_to_open(c: Competition) -> bool:
    return timezone.now() >= c.bid_deadline and c.bids.exists()


def _why_bids_stay_sealed(c: Competition) -> str:
    if timezone.now() < c.bid_deadline:
        return "Bids stay sealed until the deadline."
    return "No bid came: run the competition again or make a direct award."


def _a_question_waits(c: Competition) -> bool:
    return c.clarifications.filter(answered_at__isnull=True).exists()


def _a_bid_is_compliant(c: Competition) -> bool:
    return any(r.compliant for r in selectors.ranking(c))


def _why_no_award(c: Competition) -> str:
    if any(r.reason == crules.NOT_MODERATED for r in selectors.ranking(c)):
        return "Moderate every bid within budget before deciding the award."
    return "No bid is compliant: run the competition again or make a direct award."


def _standstill_over(c: Competition) -> bool:
    return selectors.standstill_over(c, timezone.localdate())


def _standstill_runs(c: Competition) -> str:
    return f"The standstill period runs until {c.standstill_ends_on:%-d %B %Y}: make the contract after it."


CLOSING = frozenset({S.PUBLISHED, S.EVALUATION})  # where "no compliant bid" can be known

COMPETITION = Lifecycle(
    noun="competition",
    states=dict(CompetitionStatus.choices),
    initial=S.DRAFT,
    transitions=(
        Transition(
            "publish",
            "Publish and invite qualified suppliers",
            {S.DRAFT},
            S.PUBLISHED,
            who=_manager,
            forbidden="The lead commissioner publishes the competition.",
        ),
        Transition(
            "ask",
            "Ask a clarification question",
            {S.PUBLISHED},
            who=_invited,
            forbidden="Only invited suppliers can take part.",
            when=_questions_open,
            refusal="Clarification questions have closed.",
        ),
        Transition(
            "answer",
            "Answer a clarification question",
            # A question asked before the bids closed may still be answered afterwards.
            frozenset(S.values) - {S.DRAFT},
            who=_manager,
            forbidden="The lead commissioner answers questions.",
            when=_a_question_waits,
            refusal="Every question has been answered.",
        ),
        Transition(
            "bid",
            "Submit your bid",
            {S.PUBLISHED},
            who=_invited,
            forbidden="Only invited suppliers can take part.",
            when=_bids_open,
            refusal="The deadline has passed: late bids are not accepted.",
        ),
        Transition(
            "open-bids",
            "Open the bids for evaluation",
            {S.PUBLISHED},
            S.EVALUATION,
            who=_manager,
            forbidden="The lead commissioner opens the bids.",
            when=_bids_to_open,
            refusal=_why_bids_stay_sealed,
        ),
        Transition(
            "score",
            "Score a bid",
            {S.EVALUATION},
            who=_evaluator,
            forbidden="Only the competition's evaluators score bids.",
        ),
        Transition(
            "moderate",
            "Record a moderated mark",
            {S.EVALUATION},
            who=_manager,
            forbidden="The lead commissioner or commercial staff moderate.",
        ),
        Transition(
            "award",
            "Decide the award",
            {S.EVALUATION},
            S.STANDSTILL,
            who=_manager,
            forbidden="The award is decided by the lead commissioner at the end of evaluation.",
            when=_a_bid_is_compliant,
            refusal=_why_no_award,
        ),
        Transition(
            "contract",
            "Make the contract",
            {S.STANDSTILL},
            S.AWARDED,
            who=_manager,
            forbidden="The contract is made by the lead commissioner.",
            when=_standstill_over,
            refusal=_standstill_runs,
        ),
        Transition(
            "rerun",
            "Run the competition again",
            CLOSING,
            S.RERUN,
            who=_manager,
            forbidden="The lead commissioner runs a competition again.",
            when=selectors.has_no_compliant_bid,
            refusal="A competition is run again only when it has no compliant bid.",
        ),
        Transition(
            "direct-award",
            "Close with a direct award",
            CLOSING,
            S.DIRECT_AWARD,
            who=_manager,
            forbidden="The lead commissioner makes a direct award.",
            when=selectors.has_no_compliant_bid,
            refusal="A direct award is made only when the competition has no compliant bid.",
        ),
    ),
)
