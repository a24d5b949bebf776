from datetime import date

from unpaid_work.planner import Option, Person, Session, greedy, plan

MON, TUE = date(2026, 11, 23), date(2026, 11, 24)


def test_capacity_and_one_session_a_day_are_respected() -> None:
    people = [Person(i, remaining_minutes=6000, urgency=0) for i in range(1, 4)]
    sessions = [
        Session(10, project=1, day=MON, minutes=420, places=2),
        Session(11, project=2, day=MON, minutes=420, places=2),
    ]
    options = [Option(p.id, s.id, 20) for p in people for s in sessions]
    result = plan(people, sessions, options, seconds=5)
    assert result.status == "OPTIMAL" and len(result.bookings) == 3
    assert len({b.person for b in result.bookings}) == 3  # nobody twice on the same day
    assert max(sum(1 for b in result.bookings if b.session == s.id) for s in sessions) <= 2
    assert result.gap <= 0.01 and result.objective <= result.bound + 1e-6


def test_urgent_people_come_first_when_places_are_short() -> None:
    calm, urgent = Person(1, 6000, urgency=0), Person(2, 6000, urgency=2)
    session = Session(10, project=1, day=MON, minutes=420, places=1)
    result = plan([calm, urgent], [session], [Option(1, 10, 5), Option(2, 10, 80)], seconds=5)
    assert [b.person for b in result.bookings] == [2]
    assert "more urgent" in result.unbooked[1]


def test_less_travel_wins_when_all_else_is_equal() -> None:
    person = Person(1, 420, urgency=0)
    near, far = Session(10, 1, MON, 420, 1), Session(11, 2, MON, 420, 1)
    result = plan([person], [near, far], [Option(1, 10, 15), Option(1, 11, 70)], seconds=5)
    assert [b.session for b in result.bookings] == [10]


def test_stability_keeps_people_on_their_project_when_journeys_are_equal() -> None:
    person = Person(1, 420, urgency=0, current_project=2)
    here, there = Session(10, 1, MON, 420, 1), Session(11, 2, MON, 420, 1)
    result = plan([person], [here, there], [Option(1, 10, 25), Option(1, 11, 25)], seconds=5)
    assert [b.session for b in result.bookings] == [11]
    assert "current project" in result.reasons[(1, 11)]


def test_less_travel_comes_before_stability() -> None:
    """The issue's order: deadlines, hours, travel, then stability."""
    person = Person(1, 420, urgency=0, current_project=2)
    here, there = Session(10, 1, MON, 420, 1), Session(11, 2, MON, 420, 1)
    result = plan([person], [here, there], [Option(1, 10, 24), Option(1, 11, 25)], seconds=5)
    assert [b.session for b in result.bookings] == [10]


def test_a_woman_who_chose_not_to_work_in_an_all_male_group_goes_only_with_another_woman() -> None:
    chooser = Person(1, 420, urgency=2, female=True, no_all_male_group=True)
    man = Person(2, 420, urgency=0)
    mixed = Session(10, 1, MON, 420, 4)
    alone = plan([chooser, man], [mixed], [Option(1, 10, 10), Option(2, 10, 10)], seconds=5)
    assert [b.person for b in alone.bookings] == [2]
    woman = Person(3, 420, urgency=0, female=True)
    together = plan(
        [chooser, man, woman], [mixed], [Option(1, 10, 10), Option(2, 10, 10), Option(3, 10, 10)], seconds=5
    )
    assert sorted(b.person for b in together.bookings) == [1, 2, 3]
    already = Session(11, 1, TUE, 420, 4, women_booked=1)
    with_one_there = plan([chooser], [already], [Option(1, 11, 10)], seconds=5)
    assert [b.person for b in with_one_there.bookings] == [1]
    women_only = Session(12, 2, TUE, 420, 4, women_only=True)
    assert plan([chooser], [women_only], [Option(1, 12, 10)], seconds=5).bookings


def test_remaining_time_and_the_ete_allowance_cap_bookings() -> None:
    person = Person(1, remaining_minutes=400, urgency=0, ete_left_minutes=0)
    sessions = [
        Session(10, 1, MON, 420, 5),
        Session(11, 1, TUE, 420, 5),
        Session(12, 3, TUE, 420, 5, is_ete=True),
    ]
    result = plan([person], sessions, [Option(1, s.id, 10) for s in sessions], seconds=5)
    assert len(result.bookings) == 1 and result.bookings[0].session != 12


def test_people_without_options_are_explained() -> None:
    result = plan(
        [Person(1, 600, 0), Person(2, 600, 0)],
        [Session(10, 1, MON, 420, 5)],
        [Option(1, 10, 10)],
        refusals={2: "no session within 90 minutes"},
    )
    assert result.unbooked == {2: "no session within 90 minutes"}


def test_the_solver_books_at_least_as_much_as_greedy() -> None:
    people = [Person(i, 840, urgency=i % 3) for i in range(1, 30)]
    sessions = [
        Session(100 + d * 10 + k, project=k, day=date(2026, 11, 23 + d), minutes=420, places=3)
        for d in range(3)
        for k in range(4)
    ]
    options = [
        Option(p.id, s.id, (p.id * 7 + s.id) % 85) for p in people for s in sessions if (p.id + s.id) % 3
    ]
    solved = plan(people, sessions, options, seconds=10)
    baseline = greedy(people, sessions, options)
    minutes = {s.id: s.minutes for s in sessions}
    assert solved.minutes_booked >= sum(minutes[o.session] for o in baseline)
