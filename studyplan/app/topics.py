"""The plan's topics edited in the app: add, edit, remove and reorder them, retitle the plan,
start next year's plan from this one's. Each is a change 编辑 → 撤销 takes back, and the
audit triggers note every row it writes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from studyplan.app.changes import Rules, undoable
from studyplan.model.clock import SYSTEM_CLOCK, Clock
from studyplan.model.errors import NotFoundError, ValidationError
from studyplan.model.plan import Plan, Session, SessionStatus, Topic
from studyplan.model.planning import NeedsConfirmation
from studyplan.model.settings import UNIT_NAME
from studyplan.model.text import printable_text, refuse_unprintable
from studyplan.model.unit import GROUP, unit_from_plan_title
from studyplan.model.years import check_year
from studyplan.store import audit as audit_store
from studyplan.store import plans as plan_store
from studyplan.store import sessions as session_store
from studyplan.store import settings
from studyplan.store.db import Database, transaction
from studyplan.store.rowlog import Refusals

#: Longest topic title: a heading, not a paragraph pasted by mistake.
MAX_TITLE_LENGTH = 200
#: Where a plan made in the app (not read from a file) says it came from.
SOURCE_TYPED = "在本软件中录入"
SOURCE_COPIED = "复制自 {year} 年计划"


class TopicHasSessions(NeedsConfirmation):
    """Removing the topic takes it from planned sessions, which the sentence names; the user
    may confirm (`detach`)."""

    title = "专题已有安排"
    permission = "detach"


@dataclass(frozen=True)
class TopicFields:
    """What the secretary types for a topic (the topic dialog, the command line)."""

    title: str
    description: str = ""
    readings: tuple[str, ...] = ()
    form: str = ""
    month: int | None = None
    quarter: int | None = None

    def cleaned(self) -> TopicFields:
        """Trimmed, control characters dropped; ValidationError with a sentence if wrong."""
        title = " ".join(printable_text(self.title).split())
        if not title:
            raise ValidationError("请填写专题名称。")
        if len(title) > MAX_TITLE_LENGTH:
            raise ValidationError(f"专题名称过长（不超过 {MAX_TITLE_LENGTH} 个字）。")
        if self.month is not None and self.quarter is not None:
            raise ValidationError("计划时间请只选月份或季度中的一项。")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValidationError("计划月份应在 1 到 12 之间。")
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise ValidationError("计划季度应在 1 到 4 之间。")
        readings = tuple(
            text for text in (" ".join(printable_text(r).split()) for r in self.readings) if text
        )
        cleaned = TopicFields(
            title,
            printable_text(self.description).strip(),
            readings,
            " ".join(printable_text(self.form).split()),
            self.month,
            self.quarter,
        )
        refuse_unprintable(cleaned.printed())
        return cleaned

    def printed(self) -> dict[str, str]:
        """The fields the plan prints, by what the user calls them: what is refused when a
        character in one cannot be printed (the dialog asks the same at OK)."""
        return {
            "专题名称": self.title,
            "专题说明": self.description,
            "学习篇目": "\n".join(self.readings),
            "学习形式": self.form,
        }

    def on(self, topic: Topic) -> Topic:
        return replace(
            topic,
            title=self.title,
            description=self.description,
            readings=self.readings,
            form=self.form,
            month=self.month,
            quarter=self.quarter,
        )


def default_plan_title(unit: str, year: int) -> str:
    """The title of a plan begun in the app: `市某某局2027年理论学习中心组学习计划`."""
    return f"{unit}{year}年{GROUP}学习计划"


def title_for_year(title: str, source_year: int, year: int) -> str:
    """A copied plan's title: the source's with its year replaced (`2026年` → `2027年`)."""
    renamed, count = re.subn(rf"{source_year}(\s*年)", rf"{year}\1", title)
    return renamed if count else f"{title}（{year}年）"


def title_with_unit(title: str, unit: str) -> str:
    """The plan title as shown once the secretary set the unit's name: the unit the title
    names replaced by theirs (a plan of another unit then reads as their own)."""
    named = unit_from_plan_title(title)
    if not unit or not named or named == unit:
        return title
    return title.replace(named, unit, 1)


_CHANGED = "这一专题此后又有改动，无法{doing}。"
_GONE = "这一专题已被删除，无法{doing}。"


class TopicService:
    """The topics of each year's plan, one change at a time."""

    def __init__(self, db: Database, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.db = db
        self.clock = clock

    # -- reading ------------------------------------------------------------------------
    def topic(self, year: int, number: int) -> Topic:
        """The topic `number` of `year`'s plan; NotFoundError with a sentence if none."""
        for each in plan_store.topics(self.db, year):
            if each.number == number:
                return each
        raise NotFoundError(f"{year} 年的学习计划中没有专题 {number}。")

    def plan_title(self, year: int) -> str:
        """The title shown for `year`'s plan: the unit the secretary set takes the place of
        the one the title names ("" when the year has no plan)."""
        title = plan_store.plan_title(self.db, year)
        if title is None:
            return ""
        return title_with_unit(title, settings.text(self.db, UNIT_NAME) or "")

    def sessions_of(self, topic: Topic) -> list[Session]:
        if topic.id is None:
            return []
        return [session_store.get(self.db, i) for i in plan_store.topic_sessions(self.db, topic.id)]

    # -- changes ------------------------------------------------------------------------
    @undoable(
        lambda _service, topic, _log: Rules(
            f"新增专题（{topic.year}年专题{topic.number}）",
            Refusals(
                {"*": _CHANGED},
                dependents="这一专题此后已安排学习场次，无法{doing}“新增专题”。",
                gone={"topics": _GONE},
            ),
        )
    )
    def add_topic(self, year: int, fields: TopicFields, position: int | None = None) -> Topic:
        """Add a topic at the end of `year`'s plan (or at `position`, 1 first), making the
        plan when the year has none yet; the topic as stored."""
        check_year(year)
        cleaned = fields.cleaned()
        with transaction(self.db):
            if not plan_store.has_plan(self.db, year):
                plan_store.create_plan(self.db, year, self._new_title(year), SOURCE_TYPED)
            current = plan_store.topics(self.db, year)
            place = len(current) + 1 if position is None else position
            if not 1 <= place <= len(current) + 1:
                raise ValidationError(f"位置应在 1 到 {len(current) + 1} 之间。")
            new = cleaned.on(Topic(year, 0, cleaned.title))
            plan_store.arrange(self.db, year, [*current[: place - 1], new, *current[place - 1 :]])
            audit_store.record(
                self.db, "新增专题", f"{year}年 专题{place} {cleaned.title}", at=self.clock.now()
            )
            return self.topic(year, place)

    @undoable(
        lambda _service, topic, _log: Rules(
            f"修改专题（{topic.year}年专题{topic.number}）",
            Refusals({"*": _CHANGED}, gone={"topics": _GONE}),
        )
    )
    def edit_topic(self, year: int, number: int, fields: TopicFields) -> Topic:
        """Change a topic's title, description, readings, form and planned time."""
        cleaned = fields.cleaned()
        with transaction(self.db):
            topic = cleaned.on(self.topic(year, number))
            plan_store.update_topic(self.db, topic)
            return topic

    @undoable(
        lambda _service, topic, _log: Rules(
            f"删除专题（{topic.year}年专题{topic.number}）",
            Refusals({"*": "计划的专题此后又有改动，无法{doing}“删除专题”。"}),
        )
    )
    def delete_topic(self, year: int, number: int, *, detach: bool = False) -> Topic:
        """Remove a topic; the ones after it move up a place. Refused when a held session
        covers it (the record of what was studied stays); when planned ones do, refused with
        a TopicHasSessions naming them unless `detach`. Returns the topic as it was."""
        with transaction(self.db):
            topic = self.topic(year, number)
            question = self.deletion_question(year, number)
            if question and not detach:
                raise TopicHasSessions(question)
            current = plan_store.topics(self.db, year)
            plan_store.arrange(self.db, year, [t for t in current if t.number != number])
            return topic

    def deletion_question(self, year: int, number: int) -> str:
        """What to ask before removing the topic when planned sessions cover it ("" when
        none do); ValidationError when a held one does (the record of what was studied
        stays)."""
        sessions = self.sessions_of(self.topic(year, number))
        held = [s for s in sessions if s.status is SessionStatus.HELD]
        if held:
            raise ValidationError(
                f"专题{number}已有 {_days(held)} 举行的学习场次，为保留学习记录，不能删除。"
            )
        planned = [s for s in sessions if s.status is not SessionStatus.HELD]
        if not planned:
            return ""
        return (
            f"{_days(planned)}的学习场次安排了专题{number}，删除后这些场次将不再关联它。"
            "确定删除吗？"
        )

    @undoable(
        lambda _service, moved, _log: Rules(
            f"调整专题顺序（{moved[0]}年专题{moved[1]}→第{moved[2]}位）",
            Refusals({"*": "计划的专题此后又有改动，无法{doing}“调整专题顺序”。"}),
        )
    )
    def move_topic(self, year: int, number: int, to: int) -> tuple[int, int, int]:
        """Put topic `number` at place `to` (1 first); its sessions go with it and the topics
        between move a place. Returns (year, number, to)."""
        with transaction(self.db):
            current = plan_store.topics(self.db, year)
            topic = self.topic(year, number)
            if not 1 <= to <= len(current):
                raise ValidationError(f"位置应在 1 到 {len(current)} 之间。")
            rest = [t for t in current if t.number != number]
            rest.insert(to - 1, topic)
            plan_store.arrange(self.db, year, rest)
        return (year, number, to)

    @undoable(
        lambda _service, year, _log: Rules(
            f"修改计划标题（{year}年）",
            Refusals({"*": "计划标题此后又有改动，无法{doing}。"}),
        )
    )
    def set_plan_title(self, year: int, title: str) -> int:
        """Rename `year`'s plan (making an empty one if it has none); returns the year."""
        check_year(year)
        cleaned = " ".join(printable_text(title).split())
        if not cleaned:
            raise ValidationError("请填写计划标题。")
        if len(cleaned) > MAX_TITLE_LENGTH:
            raise ValidationError(f"计划标题过长（不超过 {MAX_TITLE_LENGTH} 个字）。")
        refuse_unprintable({"计划标题": cleaned})
        with transaction(self.db):
            if plan_store.has_plan(self.db, year):
                plan_store.set_plan_title(self.db, year, cleaned)
            else:
                plan_store.create_plan(self.db, year, cleaned, SOURCE_TYPED)
        return year

    @undoable(
        lambda _service, plan, _log: Rules(
            f"新建{plan.year}年计划",
            Refusals(
                {"*": "新计划此后又有改动，无法{doing}“新建计划”。"},
                dependents="新计划的专题此后已安排学习场次，无法{doing}“新建计划”。",
            ),
        )
    )
    def copy_plan(self, source: int, year: int) -> Plan:
        """Start `year`'s plan as a draft of `source`'s: the same title (its year changed)
        and topics, no sessions. Refused when `year` has topics already."""
        check_year(source)
        check_year(year)
        if source == year:
            raise ValidationError("请选择另一个年度作为新计划的年度。")
        with transaction(self.db):
            title = plan_store.plan_title(self.db, source)
            topics = plan_store.topics(self.db, source)
            if title is None or not topics:
                raise NotFoundError(f"{source} 年还没有学习计划，无从复制。")
            if plan_store.topics(self.db, year):
                raise ValidationError(
                    f"{year} 年已有学习计划；如要重新开始，请先删除其专题或导入新计划。"
                )
            new_title = title_for_year(title, source, year)
            # A plan kept from before the record refused such characters is not copied on.
            refuse_unprintable({f"{source} 年计划的标题": new_title})
            for topic in topics:
                refuse_unprintable({f"{source} 年计划第 {topic.number} 个专题": topic.title})
            if plan_store.has_plan(self.db, year):
                plan_store.set_plan_title(self.db, year, new_title)
            else:
                plan_store.create_plan(self.db, year, new_title, SOURCE_COPIED.format(year=source))
            plan_store.arrange(self.db, year, [replace(t, id=None, year=year) for t in topics])
            return Plan(year, new_title, tuple(plan_store.topics(self.db, year)))

    def start_empty_plan(self, year: int) -> None:
        """Make an empty plan for `year` that the secretary fills in (the first-run wizard);
        refused when the year has topics already, which this never throws away."""
        check_year(year)
        with transaction(self.db):
            if plan_store.topics(self.db, year):
                raise ValidationError(
                    f"{year} 年已有学习计划，未清空；可在日历右侧的专题栏中逐个修改专题。"
                )
            if not plan_store.has_plan(self.db, year):
                plan_store.create_plan(self.db, year, self._new_title(year), SOURCE_TYPED)

    def load_bundled_plan(self, year: int) -> bool:
        """Make the plan shipped with the app `year`'s plan when the year has none (the
        first-run wizard, asked for it again later); True if it was loaded now."""
        from studyplan.io.bundled import load_bundled_plan

        plan = load_bundled_plan(year)
        with transaction(self.db):
            if plan_store.has_plan(self.db, year):
                return False
            plan_store.save_plan(self.db, plan)
        return True

    def drop_untouched_plan(self, year: int, source: str) -> bool:
        """Remove `year`'s plan if it is still the one read from `source` (the bundled plan
        loaded on first start) and no session of the year was made; True if removed."""
        with transaction(self.db):
            if plan_store.plan_source(self.db, year) != source:
                return False
            if session_store.in_year(self.db, year):
                return False
            plan_store.delete_plan(self.db, year)
        return True

    def _new_title(self, year: int) -> str:
        return default_plan_title(settings.text(self.db, UNIT_NAME) or "", year)


def _days(sessions: Sequence[Session]) -> str:
    shown = "、".join(f"{s.date.month}月{s.date.day}日" for s in sessions[:5])
    return shown + (f"等 {len(sessions)} 场" if len(sessions) > 5 else "")
