from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from people.tests.factories import PersonFactory
from risk.models import TierCalculation
from sentences.tests.factories import community_order

pytestmark = pytest.mark.django_db


def test_nightly_recalculation_reports_progress_and_changes_nothing_when_nothing_changed() -> None:
    people = PersonFactory.create_batch(3)
    for person in people:
        community_order(person, sentenced_on=date(2026, 1, 5))
    before = TierCalculation.objects.count()
    out = StringIO()
    call_command("recalculate_tiers", "--now", stdout=out)
    assert "3 of 3 people" in out.getvalue() and "Done: 0 of 3 tiers changed" in out.getvalue()
    assert TierCalculation.objects.count() == before
