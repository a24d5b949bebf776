"""Pages for groups and delivery: the groups list, forming a group, the group page (with
the waitlist, rescheduling, one-to-ones and catch-ups), a session's register and notes,
and a facilitator's diary. Running a group needs MANAGE_PROGRAMMES; seeing one and
delivering it DELIVER_PROGRAMMES, narrowed by the selectors to the groups the user
delivers. People the user may not see are left out everywhere (and counted as hidden)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit import services as audit
from core.access import requires
from core.forms import run_service
from core.pages import form_page
from core.roles import Capability
from organisation.selectors import pdus_in_scope
from programmes.constants import Attendance, Cohort, DeliveryMode, GroupSex, GroupStatus, SessionKind
from programmes.forms.groups import (
    AddMemberForm,
    AttendanceForm,
    BookForm,
    CancelForm,
    CatchUpForm,
    DeliveryForm,
    DiaryForm,
    GroupForm,
    LeaveForm,
    NoteForm,
    WhenForm,
    field_for,
)
from programmes.lifecycle import GROUP
from programmes.selectors import groups as selectors
from programmes.services import groups as services

MANAGE = requires(Capability.MANAGE_PROGRAMMES)
DELIVER = requires(Capability.DELIVER_PROGRAMMES)


def _group_url(group: Any) -> str:
    return reverse("programmes:group", args=[group.pk])


@DELIVER
@require_http_methods(["GET"])
def groups(request: HttpRequest) -> HttpResponse:
    found = selectors.groups_for(request.user)
    status = request.GET.get("status", "")
    if status in GroupStatus.values:
        found = found.filter(status=status)
    page = Paginator(selectors.groups_with_sessions(found).order_by("-starts_on", "code"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "programmes/groups/list.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": GroupStatus.choices,
            "may_create": request.user.has_capability(Capability.MANAGE_PROGRAMMES),  # type: ignore[union-attr]
        },
    )


def _group_form(request: HttpRequest) -> GroupForm:
    user: Any = request.user
    initial: dict[str, Any] = {"cohort": Cohort.GENERAL, "sex": GroupSex.MALE}
    if user.staff_id:
        initial["pdu"] = user.staff.pdu_id
    return GroupForm(
        request.POST or None,
        initial=initial,
        programmes=selectors.programmes_accepting_referrals(),
        pdus=pdus_in_scope(user),
        rooms=selectors.rooms_for(user),
        staff=selectors.staff_for(user),
    )


@MANAGE
@require_http_methods(["GET", "POST"])
def group_new(request: HttpRequest) -> HttpResponse:
    form = _group_form(request)
    if request.method == "POST" and form.is_valid():
        group = run_service(
            form,
            lambda: services.create_group(acting_user=request.user, **form.service_fields()),
            field_for,
        )
        if group:
            messages.success(request, f"Group {group.code} formed with {group.sessions.count()} sessions")
            return redirect("programmes:group", group_id=group.pk)
    return render(request, "programmes/groups/new.html", {"form": form}, status=400 if form.errors else 200)


def _waitlist_choices(user: Any, group: Any) -> list[tuple[int, str]]:
    return [
        (r.pk, f"{r.person.full_name} ({r.person.crn}), referred {r.referred_on:%d/%m/%Y}")
        for r in selectors.waitlist_for(user, group)[:300]
    ]


@DELIVER
@require_http_methods(["GET", "POST"])
def group(request: HttpRequest, group_id: int) -> HttpResponse:
    user: Any = request.user
    found = selectors.get_group_for(user, group_id)
    may_add = GROUP.can(found, "add_member", user)
    add_form = AddMemberForm(
        request.POST if may_add and request.method == "POST" else None,
        choices=_waitlist_choices(user, found) if may_add else [],
    )
    if request.method == "POST" and may_add and add_form.is_valid():
        referral = selectors.waitlisted_referral(user, found, add_form.cleaned_data["referral"])
        member = run_service(
            add_form,
            lambda: services.add_member(acting_user=user, group_id=found.pk, referral_id=referral.pk),
        )
        if member:
            messages.success(request, f"{referral.person.full_name} added to the group")
            return redirect("programmes:group", group_id=found.pk)
    members, hidden = selectors.members_of(user, found)
    sessions = list(selectors.sessions_of(user, found))
    audit.record_read(
        "programme group", actor=user, obj=found, people=[m.referral.person.crn for m in members]
    )
    return render(
        request,
        "programmes/groups/group.html",
        {
            "group": found,
            "members": members,
            "hidden": hidden,
            "sessions": sessions,
            "add_form": add_form,
            "may_add": may_add,
            "may_reschedule": GROUP.can(found, "reschedule", user),
            "may_cancel": GROUP.can(found, "cancel", user),
            "may_deliver": selectors.groups_delivered_by(user).filter(pk=found.pk).exists(),
            "next_steps": GROUP.allowed(found, user),
            "now": timezone.now(),
            "facilitators": found.facilitators.select_related("staff"),
        },
        status=400 if add_form.errors else 200,
    )


def _save_register(
    request: HttpRequest, session: Any, rows: list[tuple[Any, AttendanceForm]]
) -> list[tuple[str, str]]:
    """Saves every row with an outcome, or nothing; one error summary naming each person."""
    if all(form.is_valid() for _, form in rows):
        entries = [
            services.AttendanceEntry(
                member_id=row.member_id,
                outcome=Attendance(form.cleaned_data["outcome"]),
                absence_reason=form.cleaned_data["absence_reason"],
                notes=form.cleaned_data["notes"],
            )
            for row, form in rows
            if form.cleaned_data["outcome"]
        ]
        try:
            services.record_register(acting_user=request.user, session_id=session.pk, entries=entries)
        except services.RegisterRejected as rejected:
            for row, form in rows:
                for field, problems in rejected.problems.get(row.member_id, {}).items():
                    form.add_error(field if field in form.fields else None, problems)
        except ValidationError as error:
            rows[0][1].add_error(None, error.messages)
    summary: list[tuple[str, str]] = []
    for row, form in rows:
        name = row.member.referral.person.full_name
        for field, errors in form.errors.items():
            anchor = f"#{form[field].auto_id}" if field in form.fields else f"#row-{row.member_id}"
            summary += [(anchor, f"{name}: {error}") for error in errors]
    return summary


@DELIVER
@require_http_methods(["GET", "POST"])
def session_register(request: HttpRequest, group_id: int, session_id: int) -> HttpResponse:
    """The register: every member's attendance at once, and the session's notes."""
    user: Any = request.user
    found = selectors.get_group_to_deliver(user, group_id)
    session = selectors.session_of(user, found, session_id)
    visible, hidden = selectors.register_of(user, session)
    posting = request.method == "POST" and "record" in request.POST
    rows = [
        (
            row,
            AttendanceForm(
                request.POST if posting else None,
                prefix=f"m{row.member_id}",
                initial={"outcome": row.outcome, "absence_reason": row.absence_reason},
            ),
        )
        for row in visible
    ]
    register_errors: list[tuple[str, str]] = []
    if posting:
        register_errors = _save_register(request, session, rows)
        if not register_errors:
            saved = sum(1 for _, form in rows if form.cleaned_data.get("outcome"))
            messages.success(
                request, f"Attendance recorded for {saved} {'person' if saved == 1 else 'people'}"
            )
            return redirect("programmes:group_session", group_id=found.pk, session_id=session.pk)
    member_choices = [(row.member_id, row.member.referral.person.full_name) for row in visible]
    note_form = NoteForm(request.POST if "note" in request.POST else None, members=member_choices)
    if note_form.is_bound and note_form.is_valid():
        note = run_service(
            note_form,
            lambda: services.add_note(
                acting_user=user,
                session_id=session.pk,
                text=note_form.cleaned_data["text"],
                member_id=note_form.cleaned_data["member"],
            ),
        )
        if note:
            messages.success(request, "Note added")
            return redirect("programmes:group_session", group_id=found.pk, session_id=session.pk)
    audit.record_read(
        "programme session register",
        actor=user,
        obj=session,
        people=[row.member.referral.person.crn for row in visible],
    )
    return render(
        request,
        "programmes/groups/session.html",
        {
            "group": found,
            "session": session,
            "rows": rows,
            "hidden": hidden,
            "register_errors": register_errors,
            "note_form": note_form,
            "notes": selectors.notes_of(user, session),
            "started": session.starts_at is not None and session.starts_at <= timezone.now(),
            "may_record": GROUP.can(found, "record_attendance", user),
        },
        status=400 if register_errors or note_form.errors else 200,
    )


@MANAGE
@require_http_methods(["GET", "POST"])
def session_reschedule(request: HttpRequest, group_id: int, session_id: int) -> HttpResponse:
    user: Any = request.user
    found = selectors.get_group_for(user, group_id)
    session = selectors.session_of(user, found, session_id)
    initial: dict[str, Any] = {"version": session.version}
    if session.starts_at:
        local = timezone.localtime(session.starts_at)
        initial |= {"on": local.strftime("%d/%m/%Y"), "at": local.strftime("%H:%M")}
    form = WhenForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        moved = run_service(
            form,
            lambda: services.reschedule_session(
                acting_user=user,
                session_id=session.pk,
                starts_at=form.starts_at(),
                expected_version=form.cleaned_data["version"],
            ),
            lambda f: "on" if f == "starts_at" else f,
        )
        if moved is not None:
            messages.success(request, f"{len(moved)} session{'s' if len(moved) != 1 else ''} moved")
            return redirect("programmes:group", group_id=found.pk)
    return form_page(
        request,
        form,
        f"Reschedule {session.name}",
        "Reschedule",
        _group_url(found),
        caption=f"Group {found.code}",
        intro="The group sessions after this one move to the weekly times that follow it. "
        "Each person's appointments move with them.",
    )


def _audit_member_page(user: Any, obj: Any, member: Any) -> None:
    """A member's form page names them: the read is audited, as the group page's is."""
    audit.record_read(
        "programme group member", actor=user, obj=obj, people=[member.referral.person.crn] if member else []
    )


def _facilitators(group: Any) -> Any:
    return selectors.staff_for_group(group)


@MANAGE
@require_http_methods(["GET", "POST"])
def session_book(request: HttpRequest, group_id: int, session_id: int) -> HttpResponse:
    user: Any = request.user
    found = selectors.get_group_for(user, group_id)
    session = selectors.session_of(user, found, session_id)
    form = BookForm(request.POST or None, initial={"version": session.version}, staff=_facilitators(found))
    if request.method == "POST" and form.is_valid():
        booked = run_service(
            form,
            lambda: services.book_one_to_one(
                acting_user=user,
                session_id=session.pk,
                starts_at=form.starts_at(),
                facilitator=form.cleaned_data["facilitator"],
                expected_version=form.cleaned_data["version"],
            ),
            lambda f: "on" if f == "starts_at" else f,
        )
        if booked:
            messages.success(request, f"{session.name} booked")
            return redirect("programmes:group", group_id=found.pk)
    who = session.member.referral.person.full_name if session.member else ""
    _audit_member_page(user, session, session.member)
    return form_page(request, form, f"Book {session.name}", "Book", _group_url(found), caption=who)


@MANAGE
@require_http_methods(["GET", "POST"])
def member_catch_up(request: HttpRequest, group_id: int, member_id: int) -> HttpResponse:
    user: Any = request.user
    found = selectors.get_group_for(user, group_id)
    member = selectors.member_of(user, found, member_id)
    missed = [
        (s.pk, f"{s.name}, {timezone.localtime(s.starts_at):%d/%m/%Y}" if s.starts_at else s.name)
        for s in selectors.missed_sessions_of(member)
    ]
    form = CatchUpForm(request.POST or None, missed=missed, staff=_facilitators(found))
    if request.method == "POST" and form.is_valid():
        made = run_service(
            form,
            lambda: services.add_catch_up(
                acting_user=user,
                member_id=member.pk,
                missed_session_id=form.cleaned_data["session"],
                starts_at=form.starts_at(),
                facilitator=form.cleaned_data["facilitator"],
            ),
            lambda f: "on" if f == "starts_at" else f,
        )
        if made:
            messages.success(request, "Catch-up session booked")
            return redirect("programmes:group", group_id=found.pk)
    _audit_member_page(user, member, member)
    return form_page(
        request,
        form,
        "Book a catch-up session",
        "Book catch-up",
        _group_url(found),
        caption=member.referral.person.full_name,
    )


@MANAGE
@require_http_methods(["GET", "POST"])
def member_delivery(request: HttpRequest, group_id: int, member_id: int) -> HttpResponse:
    user: Any = request.user
    found = selectors.get_group_for(user, group_id)
    member = selectors.member_of(user, found, member_id)
    form = DeliveryForm(
        request.POST or None,
        initial={"mode": member.delivery_mode, "delivery_reason": member.delivery_reason},
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.set_delivery(
                acting_user=user,
                member_id=member.pk,
                mode=DeliveryMode(form.cleaned_data["mode"]),
                reason=form.cleaned_data["delivery_reason"],
            ),
        )
        if done:
            messages.success(request, "How they take part is saved")
            return redirect("programmes:group", group_id=found.pk)
    _audit_member_page(user, member, member)
    return form_page(
        request,
        form,
        "Flexible delivery",
        "Save",
        _group_url(found),
        caption=member.referral.person.full_name,
    )


def _leave(request: HttpRequest, group_id: int, member_id: int, *, deselect: bool) -> HttpResponse:
    user: Any = request.user
    found = selectors.get_group_for(user, group_id)
    member = selectors.member_of(user, found, member_id)
    form = LeaveForm(request.POST or None)
    action = services.deselect_member if deselect else services.remove_member
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: action(
                acting_user=user,
                member_id=member.pk,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            ),
        )
        if done:
            messages.success(request, f"{member.referral.person.full_name} has left the group")
            return redirect("programmes:group", group_id=found.pk)
    _audit_member_page(user, member, member)
    title = "Deselect from the group" if deselect else "Take out of the group before they start"
    intro = (
        "Their future sessions are taken off their record. The referral goes back on the waitlist "
        "with the reason you give."
    )
    return form_page(
        request,
        form,
        title,
        "Deselect" if deselect else "Take out",
        _group_url(found),
        caption=member.referral.person.full_name,
        intro=intro,
    )


@MANAGE
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, group_id: int, member_id: int) -> HttpResponse:
    return _leave(request, group_id, member_id, deselect=False)


@MANAGE
@require_http_methods(["GET", "POST"])
def member_deselect(request: HttpRequest, group_id: int, member_id: int) -> HttpResponse:
    return _leave(request, group_id, member_id, deselect=True)


@MANAGE
@require_http_methods(["GET", "POST"])
def group_cancel(request: HttpRequest, group_id: int) -> HttpResponse:
    """Cancels a forming group (the lifecycle's ``cancel``): its people go back on the waitlist."""
    user: Any = request.user
    found = selectors.get_group_for(user, group_id)
    if not GROUP.can(found, "cancel", user):
        messages.error(request, "Only a group that has not started can be cancelled")
        return redirect("programmes:group", group_id=found.pk)
    form = CancelForm(request.POST or None, initial={"version": found.version})
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.cancel_group(
                acting_user=user,
                group_id=found.pk,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            ),
        )
        if done:
            messages.success(request, f"Group {found.code} cancelled; its people are back on the waitlist")
            return redirect("programmes:group", group_id=found.pk)
    return form_page(
        request,
        form,
        f"Cancel group {found.code}",
        "Cancel the group",
        _group_url(found),
        caption=found.programme.name,
        intro="Everyone in it goes back on the waitlist with the reason you give, and their sessions "
        "come off their record.",
    )


def week_of(day: Any) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday, local time, for the week holding ``day``."""
    monday = day - timedelta(days=day.weekday())
    start = timezone.make_aware(datetime.combine(monday, time.min))
    return start, start + timedelta(days=7)


@DELIVER
@require_http_methods(["GET"])
def diary(request: HttpRequest) -> HttpResponse:
    """A facilitator's sessions by week: their own, or (running programmes) anyone's in scope."""
    user: Any = request.user
    manages = user.has_capability(Capability.MANAGE_PROGRAMMES)
    choices = [(s.staff_code, str(s)) for s in selectors.staff_for(user)] if manages else []
    if user.staff_id and user.staff.staff_code not in dict(choices):
        choices.insert(0, (user.staff.staff_code, str(user.staff)))
    form = DiaryForm(request.GET or None, staff=choices)
    valid = form.is_valid() if form.is_bound else True
    code = (form.cleaned_data.get("staff") if form.is_bound and valid else None) or (
        user.staff.staff_code if user.staff_id else ""
    )
    day = (form.cleaned_data.get("week") if form.is_bound and valid else None) or timezone.localdate()
    staff = selectors.facilitator_for(user, code) if code else None
    start, end = week_of(day)
    sessions = selectors.diary_of(user, staff, start, end) if staff else []
    audit.record_read(
        "facilitator diary",
        actor=user,
        people=[s.member.referral.person.crn for s in sessions if s.member],
        details={"staff": code, "week": str(start.date())},
    )
    return render(
        request,
        "programmes/groups/diary.html",
        {
            "form": form,
            "staff": staff,
            "sessions": sessions,
            "start": start,
            "previous": (start - timedelta(days=7)).date(),
            "next": (start + timedelta(days=7)).date(),
            "one_to_one": SessionKind.ONE_TO_ONE,
        },
        status=400 if form.errors else 200,
    )
