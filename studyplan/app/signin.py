"""签到表: the sign-in sheet of a session, gathered from the record for io/signin.py."""

from __future__ import annotations

from studyplan.app.attendance import AttendanceService
from studyplan.app.planning import PlanningService
from studyplan.app.unit import UnitService
from studyplan.io.signin import (
    CANCELLED_NOTE,
    NO_MEMBERS_NOTE,
    GuestRow,
    SignInRow,
    SignInSheet,
    title_for,
)
from studyplan.model.attendance import LeaveDecision
from studyplan.model.plan import SessionStatus


def build_signin_sheet(
    planning: PlanningService, attendance_service: AttendanceService, session_id: int
) -> SignInSheet:
    """The sign-in sheet of a session; NotFoundError if there is no such session."""
    session = planning.session(session_id)
    org = UnitService(planning.db).unit_name(session.year)
    titles = {t.number: t.title for t in planning.topics(session.year)}
    topic_lines = [
        f"专题{n} {titles[n]}" if n in titles else f"专题{n}" for n in session.topic_numbers
    ]
    leave: dict[int | None, str] = {}
    for entry in attendance_service.leave_requests(session_id=session_id):
        request = entry.request
        if request.decision is LeaveDecision.APPROVED:
            kind = request.kind_label
            leave[request.member_id] = f"{kind}：{request.reason}" if kind else request.reason
    names = attendance_service.display_names()
    rows = [
        SignInRow(
            number=number,
            name=names.get(member.id or 0, member.name),
            position=member.position,
            on_leave=member.id in leave,
            leave_reason=leave.get(member.id, ""),
        )
        for number, member in enumerate(attendance_service.expected_members(session), start=1)
    ]
    notes = []
    if session.status is SessionStatus.CANCELLED:
        notes.append(CANCELLED_NOTE)
    if not rows:
        notes.append(NO_MEMBERS_NOTE)
    return SignInSheet(
        title=title_for(org),
        org=org,
        session_id=session.id,
        date=session.date,
        time_text=session.time_range,
        location=session.location,
        form=session.form,
        topic_lines=topic_lines,
        host=session.host,
        lecturer=session.lecturer,
        rows=rows,
        note="".join(notes),
        guests=[
            GuestRow(number, guest.name, guest.unit)
            for number, guest in enumerate(attendance_service.guests(session_id), start=1)
        ],
    )
