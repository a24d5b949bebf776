"""Pure rules for who may join a group and when a member has completed (no Django).

- Size: a group has at most ``MAX_GROUP_MEMBERS`` current members.
- Sex: a men's group takes men, a women's group women; a mixed group anyone.
- Completion: every required session attended, where a catch-up that was attended counts
  for the session it replaces.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from people.rules import Sex

# HMPPS delivers accredited group programmes in groups of up to 12 (Building Choices and
# the other group programmes' delivery guidance; Manage and Deliver caps a group at 12).
MAX_GROUP_MEMBERS = 12


class GroupFor(StrEnum):
    """Who a group is for: ``programmes.constants.GroupSex`` takes its values from here;
    men's and women's groups carry the values of the person's recorded sex."""

    MALE = Sex.MALE.value
    FEMALE = Sex.FEMALE.value
    MIXED = "MIXED"


MEN, WOMEN, MIXED = GroupFor.MALE, GroupFor.FEMALE, GroupFor.MIXED


def size_refusal(current_members: int) -> str | None:
    """Why one more person cannot join, or None."""
    if current_members >= MAX_GROUP_MEMBERS:
        return f"This group already has {MAX_GROUP_MEMBERS} members, the most a group can have"
    return None


def sex_refusal(group_sex: str, person_sex: str) -> str | None:
    """A woman cannot join a men's group, nor a man a women's group."""
    if group_sex == MEN and person_sex != MEN:
        return "This is a men's group: a woman cannot join it"
    if group_sex == WOMEN and person_sex != WOMEN:
        return "This is a women's group: a man cannot join it"
    return None


def programme_sex_refusal(group_sex: str, open_to_men: bool, open_to_women: bool) -> str | None:
    """The group's sex must be one the programme is open to (mixed needs both)."""
    if group_sex in (MEN, MIXED) and not open_to_men:
        return "This programme is not delivered to men"
    if group_sex in (WOMEN, MIXED) and not open_to_women:
        return "This programme is not delivered to women"
    return None


def outstanding(
    required: Iterable[int], attended: Iterable[int], catch_up_for: Mapping[int, int]
) -> set[int]:
    """The required sessions (ids) not yet attended. ``attended`` are the ids of the
    sessions the member attended (catch-ups included); ``catch_up_for`` maps a catch-up's
    id to the id of the session it replaces, so an attended catch-up counts for that one."""
    done = set(attended)
    done |= {catch_up_for[s] for s in done if s in catch_up_for}
    return set(required) - done
