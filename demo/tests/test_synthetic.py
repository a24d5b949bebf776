from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from demo.synthetic.build import Scale
from demo.synthetic.national import generate
from organisation.reference_data.loader import load_geography
from people.models import Person
from risk.models import TierCalculation
from supervision.models import Appointment, Breach, Warning

pytestmark = pytest.mark.django_db(transaction=True)


def _snapshot() -> list[tuple[str, str, str]]:
    return list(Person.objects.order_by("crn").values_list("crn", "tier", "rosh")[:50])


@pytest.mark.usefixtures("reference_data")
def test_a_small_national_caseload_is_realistic_and_deterministic() -> None:
    counts = generate(
        scale=Scale(people=400, staff=1500, appointments_per_person=8),
        seed=5,
        today=date(2026, 11, 22),
        report=lambda _: None,
    )
    assert counts["people"] == 400 and counts["events"] == 400 and counts["teams"] == 108 * 6
    assert Person.objects.exclude(tier="").count() == 400
    assert TierCalculation.objects.count() == 400
    tiers = set(Person.objects.values_list("tier", flat=True))
    assert len(tiers) >= 4, tiers  # a realistic spread, not one tier
    assert (
        Appointment.objects.filter(outcome="").exists() and Appointment.objects.exclude(outcome="").exists()
    )
    # Every breach follows a warning given in the 12 months before it (the statutory rule).
    for breach in Breach.objects.all()[:50]:
        warning = (
            Warning.objects.filter(person=breach.person_id, given_on__lte=breach.aware_on)
            .order_by("-given_on")
            .first()
        )
        assert warning is not None and (breach.aware_on - warning.given_on).days < 366
    first = _snapshot()
    call_command("flush", interactive=False, verbosity=0)
    load_geography(apps, connection)
    generate(
        scale=Scale(people=400, staff=1500, appointments_per_person=8),
        seed=5,
        today=date(2026, 11, 22),
        report=lambda _: None,
    )
    assert _snapshot() == first  # same seed, same people, tiers and RoSH
