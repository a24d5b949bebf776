"""Call-off competition rules as pure functions: criteria weights, co-commissioning
shares, the standstill period, and the weighted ranking of bids. No Django imports.

Price scoring method (documented for bidders): the lowest compliant price scores the
full price weight and every other price scores in proportion, lowest / price x weight.
Quality and social value score the moderated mark (0 to 100) times their weight / 100.
A bid is compliant when its price is within the budget and every criterion has a
moderated mark. Ties are broken by the higher quality points, then the lower price.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from core.policy import value_on

NOT_MODERATED = "not yet moderated"


class CompetitionRuleError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def check_weights(quality: int, price: int, social_value: int) -> None:
    if any(not 0 <= w <= 100 for w in (quality, price, social_value)):
        raise CompetitionRuleError("quality_weight", "Each weight must be between 0 and 100")
    if quality + price + social_value != 100:
        raise CompetitionRuleError("quality_weight", "The weights must add up to 100")


def check_shares(partner_shares: list[int]) -> int:
    """Partners' funding shares in percent; returns the lead commissioner's share, which
    must be more than nothing."""
    if any(share <= 0 for share in partner_shares):
        raise CompetitionRuleError("share", "Each partner's share must be more than 0%")
    lead = 100 - sum(partner_shares)
    if lead <= 0:
        raise CompetitionRuleError("share", "Partners' shares must leave the lead commissioner a share")
    return lead


def standstill_ends(decided_on: date) -> date:
    """The last day of the standstill after an award decision; the contract can be made
    the day after."""
    return decided_on + timedelta(days=value_on("df_standstill_days", decided_on))


@dataclass(frozen=True)
class BidMarks:
    bid: int
    price: Decimal
    quality: int | None  # moderated mark, 0 to 100
    social_value: int | None


@dataclass(frozen=True)
class Ranked:
    bid: int
    compliant: bool
    quality_points: Decimal
    price_points: Decimal
    social_value_points: Decimal
    total: Decimal
    reason: str  # why not compliant


def _points(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rank(bids: list[BidMarks], *, budget: Decimal, weights: tuple[int, int, int]) -> list[Ranked]:
    """Compliant bids first, best total first; then the others with the reason."""
    quality_w, price_w, social_w = weights

    def why_not(b: BidMarks) -> str:
        if b.price > budget:
            return "over budget"
        if b.quality is None or b.social_value is None:
            return NOT_MODERATED
        return ""

    compliant = [b for b in bids if not why_not(b)]
    lowest = min((b.price for b in compliant), default=None)
    ranked = []
    for b in bids:
        reason = why_not(b)
        if reason or lowest is None:
            ranked.append(Ranked(b.bid, False, Decimal(0), Decimal(0), Decimal(0), Decimal(0), reason))
            continue
        quality = _points(Decimal(b.quality or 0) * quality_w / 100)
        social = _points(Decimal(b.social_value or 0) * social_w / 100)
        price = _points(lowest / b.price * price_w) if b.price > 0 else Decimal(price_w)
        ranked.append(Ranked(b.bid, True, quality, price, social, quality + price + social, ""))
    price_of = {b.bid: b.price for b in bids}
    return sorted(
        ranked,
        key=lambda r: (not r.compliant, -r.total, -r.quality_points, price_of[r.bid], r.bid),
    )
