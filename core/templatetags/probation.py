"""Small display helpers shared by templates."""

from __future__ import annotations

from django import template

register = template.Library()

TIER_COLOURS = {
    "A": "red",
    "B": "orange",
    "C": "yellow",
    "D": "blue",
    "E": "light-blue",
    "F": "turquoise",
    "G": "green",
}
ROSH_COLOURS = {"VERY_HIGH": "red", "HIGH": "orange", "MEDIUM": "yellow", "LOW": "green"}
ROSH_LABELS = {"VERY_HIGH": "Very high", "HIGH": "High", "MEDIUM": "Medium", "LOW": "Low"}


@register.inclusion_tag("includes/tier_tag.html")
def tier_tag(tier: str, provisional: bool = False) -> dict[str, object]:
    labels = {"MISSING": "Tier missing", "NOT_SUPERVISED": "Not supervised", "": "No tier"}
    return {
        "label": labels.get(tier, f"Tier {tier}"),
        "colour": TIER_COLOURS.get(tier, "grey"),
        "provisional": provisional,
    }


@register.inclusion_tag("includes/rosh_tag.html")
def rosh_tag(rosh: str) -> dict[str, object]:
    return {
        "label": f"RoSH {ROSH_LABELS[rosh].lower()}" if rosh in ROSH_LABELS else "RoSH not assessed",
        "colour": ROSH_COLOURS.get(rosh, "grey"),
    }
