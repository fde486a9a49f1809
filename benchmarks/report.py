"""Benchmark: the annual report's statistics on a big database (issue 7, item 9).

1. Generates N cases (default 1,000,000) across A agencies (default 100: a district office and
   99 departments under it, sizes skewed 1/√rank) received on working days of Y years
   (default 10, up to last year), written straight into the tables with bulk inserts
   (executemany on SQLite, COPY on PostgreSQL): one applicant per case, ~5 events per case
   (register, assign, corrections, consultations, fee notices and payments, extensions,
   replies, deliveries, services, withdrawals, expiries, voids), the conclusion ledger (with
   amended outcomes, expiries voided and concluded again, voided cases) and appeals (filed,
   answered, decided) — what `perform` and the appeal services would have written. Events are
   recorded during office hours of their effective day, some days later (back-dated entries).
   Cases still open: the recent ones and a few stuck for long.
2. Times (best of --runs, warm, in a fresh process) `report(agency, Y, now)` for the largest
   agency and `report(district, Y, now, subtree=True)` for the whole tree, each also as of a
   frozen instant (the report's publication, 20 January of Y+1), and their parts (table 三,
   table 四, the fee statement), against bare GROUP BYs over the same agencies' rows, each
   given a covering index of its own (bench-only, created here): the conclusion rows by
   column × outcome — all of them (the issue's "bare scan"), and those concluded in Y only
   (table 三 the naive way: no as-of, amendments counted twice, no 一/二/四) — the appeals by
   kind × result, and the fee events of Y by action. A report is compared with the sum of
   the three. Also the per-case reference path (every case's standing to Python, then
   `compute_period`), once, and checks it gives the same table.
3. Reports the timing process's peak RSS (VmHWM) before and after the reports, and after
   the reference path.

    python benchmarks/report.py                                     # SQLite, var/bench/report.sqlite
    python benchmarks/report.py --reuse                             # time again, no generation
    python benchmarks/report.py --backend postgresql \\
        --url postgresql://postgres@127.0.0.1:5433/bench_report     # created if missing
    python benchmarks/report.py --cases 20000 --agencies 10         # a quick look
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.progress import (  # noqa: E402
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from sqlalchemy import Engine, create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from casework.db import make_engine  # noqa: E402
from casework.migrate import upgrade  # noqa: E402
from casework.models import Agency  # noqa: E402
from workflows.actions import WORKFLOW_VERSION  # noqa: E402
from workflows.outcomes import OUTCOME_BY_CODE, ApplicantKind  # noqa: E402
from workflows.payloads import PAYLOAD_SCHEMA_VERSION  # noqa: E402
from workflows.states import State  # noqa: E402

console = Console(stderr=True)


def words(line: str) -> tuple[str, ...]:
    return tuple(line.split())


PREFIX = "bench-"
CHUNK = 20_000  # cases per transaction / COPY batch
SQLITE_DEFAULT = ROOT / "var" / "bench" / "report.sqlite"

# Reply outcomes and their weights (roughly a district's published tables)
REPLIES: dict[str, float] = {
    "disclosed": 36,
    "partially_disclosed": 9,
    "withheld.state_secret": 0.3,
    "withheld.prohibited_by_law": 0.5,
    "withheld.security_stability": 0.3,
    "withheld.third_party_rights": 1.5,
    "withheld.internal_affairs": 1.2,
    "withheld.deliberative": 1.5,
    "withheld.enforcement_file": 0.8,
    "withheld.administrative_inquiry": 1.4,
    "unavailable.not_held": 24,
    "unavailable.needs_creation": 3,
    "unavailable.still_unclear": 1.5,
    "not_processed.petition_complaint": 3,
    "not_processed.duplicate": 3,
    "not_processed.publication": 0.5,
    "not_processed.excessive": 1,
    "not_processed.confirm_or_reissue": 1,
}
KINDS = [k.value for k in ApplicantKind]
KIND_WEIGHTS = [88, 5, 1, 1, 2, 3]
TOPICS = words(
    "征收补偿方案 规划许可证 环境影响评价报告 行政处罚决定书 会议纪要 低保发放名单 道路改造工程合同"
    " 年度预算 招标文件 信访答复意见 土地出让合同 拆迁安置协议 建设工程竣工验收备案表 房屋安全鉴定报告"
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
CHANNELS = ["online", "post", "in_person"]
APPEAL_KINDS = [
    ("reconsideration", 70),
    ("litigation_direct", 20),
    ("litigation_after_reconsideration", 10),
]
ANSWER_DAYS = {
    "reconsideration": 10,
    "litigation_direct": 15,
    "litigation_after_reconsideration": 15,
}

OPEN = State.RECEIVED.value
CASE_COLUMNS = words(
    "id agency_id ref applicant_id applicant_kind channel submitted_on signed_on confirmed_on"
    " received_on request_text delivery state outcome concluded_on handler_id workflow_version"
    " version reply_due reply_paused next_due next_clock due_provisional origin_case_id"
    " origin_appeal_id created_at updated_at"
)
EVENT_COLUMNS = words(
    "id case_id seq action from_state to_state effective_on recorded_at actor_kind actor_name"
    " actor_user_id payload payload_schema workflow_version"
)
CONCLUSION_COLUMNS = words(
    "id case_id agency_id applicant_kind received_on outcome concluded_on voided event_seq"
    " recorded_at"
)
APPLICANT_COLUMNS = words("id kind name id_number phone email address created_at erased_at")
APPEAL_COLUMNS = words(
    "id agency_id case_id kind role filed_on received_on answer_due answered_on decided_on"
    " result created_at"
)
APPEAL_EVENT_COLUMNS = words("id appeal_id seq action effective_on payload actor_name recorded_at")
TABLES = (
    ("applicant", APPLICANT_COLUMNS),
    ("cases", CASE_COLUMNS),
    ("case_event", EVENT_COLUMNS),
    ("case_conclusion", CONCLUSION_COLUMNS),
    ("appeal", APPEAL_COLUMNS),
    ("appeal_event", APPEAL_EVENT_COLUMNS),
)


# --- generation --------------------------------------------------------------------------


@dataclass
class Rows:
    """One batch of rows, per table, as tuples in the tables' column order."""

    by_table: dict[str, list[tuple[Any, ...]]] = field(
        default_factory=lambda: {name: [] for name, _ in TABLES}
    )

    def count(self) -> int:
        return sum(len(rows) for rows in self.by_table.values())


@dataclass
class Ids:
    case: int = 0
    event: int = 0
    conclusion: int = 0
    appeal: int = 0
    appeal_event: int = 0


class Generator:
    """Case histories as `perform` writes them, drawn from a seeded RNG; `stamp` and `day`
    turn an instant (naive UTC) and a date into what the backend's bulk insert takes."""

    def __init__(
        self,
        rng: random.Random,
        horizon: date,
        now: datetime,
        stamp: Callable[[datetime], Any],
        day: Callable[[date], Any],
    ) -> None:
        self.rng = rng
        self.horizon = horizon  # the last effective date (yesterday)
        self.now = now.replace(tzinfo=None)
        self.stamp, self.day = stamp, day
        self.ids = Ids()
        self.replies = list(REPLIES)
        self.reply_cum = _cumulative(REPLIES.values())
        self.kind_cum = _cumulative(KIND_WEIGHTS)
        self.appeal_cum = _cumulative(w for _, w in APPEAL_KINDS)
        self.refs: dict[tuple[int, int], int] = {}

    def _pick(self, items: Sequence[Any], cum: list[float]) -> Any:
        return items[bisect.bisect_right(cum, self.rng.random() * cum[-1])]

    def _instant(self, on: date, after: datetime) -> datetime:
        """Recorded during office hours (China) of its effective day, or days later."""
        lag = 0 if self.rng.random() < 0.85 else self.rng.randint(1, 14)
        at = datetime(on.year, on.month, on.day, 1) + timedelta(
            days=lag,
            seconds=self.rng.randint(0, 8 * 3600),
            microseconds=self.rng.randint(1, 999_999),
        )
        at = max(at, after + timedelta(milliseconds=self.rng.randint(1, 5000)))
        return min(at, self.now - timedelta(seconds=1))

    def case(self, out: Rows, agency_id: int, received: date) -> None:
        rng, ids = self.rng, self.ids
        ids.case += 1
        case_id = ids.case
        kind = self._pick(KINDS, self.kind_cum)
        key = (agency_id, received.year)
        self.refs[key] = self.refs.get(key, 0) + 1
        ref = f"{received.year}-{self.refs[key]:05d}"
        name = (
            rng.choice(SURNAMES)
            + rng.choice(GIVEN)
            + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
        )
        request = f"申请公开{rng.choice(TOPICS)}（{received.year - rng.randint(0, 5)}年）"
        channel = rng.choice(CHANNELS)

        events: list[tuple[str, str | None, str, date, dict[str, Any]]] = []
        standing: list[tuple[str | None, date | None, bool, int, date]] = []  # ledger rows
        state, outcome, concluded = OPEN, None, None
        on = received

        def step(action: str, to: str, when: date, payload: dict[str, Any]) -> bool:
            nonlocal state
            if when > self.horizon:
                return False
            events.append((action, state if events else None, to, when, payload))
            state = to
            return True

        def conclude(
            action: str, code: str | None, to: str, when: date, payload: dict[str, Any]
        ) -> bool:
            nonlocal outcome, concluded
            if not step(action, to, when, payload):
                return False
            concluded = None if code is None else (concluded if outcome is not None else when)
            outcome = code
            standing.append((outcome, concluded, False, len(events), when))
            return True

        step(
            "register",
            OPEN,
            received,
            {
                "ref": ref,
                "channel": channel,
                "received_on": received.isoformat(),
                "request": request,
                "applicant_id": case_id,
                "applicant_kind": kind,
            },
        )
        on += timedelta(days=rng.randint(0, 3))
        step("assign", OPEN, on, {"handler_id": 1 + case_id % 7})
        stuck = rng.random() < 0.004  # handled for months or years (carried across years)
        r = rng.random()
        if r < 0.005:  # a registration error
            if step(
                "void",
                State.VOID.value,
                on + timedelta(days=rng.randint(0, 5)),
                {"reason": "重复登记"},
            ):
                standing.append((None, None, True, len(events), events[-1][3]))
        elif r < 0.055:  # withdrawn
            conclude(
                "withdraw",
                "other.other",
                State.CLOSED.value,
                on + timedelta(days=rng.randint(1, 20)),
                {"posted_on": None},
            )
        else:
            ok = True
            if r < 0.175:  # a correction notice
                on += timedelta(days=rng.randint(1, 5))
                ok = step(
                    "request_correction",
                    State.CORRECTION_REQUESTED.value,
                    on,
                    {"period_wd": 15, "items": ["请明确所需信息的名称或文号"]},
                )
                if ok and rng.random() < 0.4:  # not answered: the expiry closes it
                    on += timedelta(days=rng.randint(21, 30))
                    ok = conclude(
                        "correction_deadline_passed",
                        "other.correction_not_submitted",
                        State.CLOSED.value,
                        on,
                        {},
                    )
                    if ok and rng.random() < 0.1:  # posted in time after all: reopened
                        on += timedelta(days=rng.randint(1, 20))
                        ok = conclude(
                            "void_expiry",
                            None,
                            State.CORRECTION_REQUESTED.value,
                            on,
                            {"posted_on": on.isoformat()},
                        )
                    else:
                        ok = False
                if ok:
                    on += timedelta(days=rng.randint(2, 20))
                    ok = step("receive_correction", OPEN, on, {"posted_on": on.isoformat()})
            elif r < 0.205:  # a fee
                on += timedelta(days=rng.randint(3, 15))
                amount = f"{rng.choice([30, 50, 100, 150, 200, 300, 500])}.00"
                ok = step(
                    "issue_fee_notice",
                    State.FEE_PENDING.value,
                    on,
                    {"amount": amount, "basis": "per_item", "items": 2, "quoted_amount": amount},
                )
                if ok and rng.random() < 0.2:
                    on += timedelta(days=rng.randint(15, 25))
                    conclude(
                        "payment_deadline_passed", "other.fee_not_paid", State.CLOSED.value, on, {}
                    )
                    ok = False
                elif ok:
                    on += timedelta(days=rng.randint(1, 14))
                    ok = step("receive_payment", OPEN, on, {"posted_on": on.isoformat()})
            elif r < 0.255:  # a third party consulted
                on += timedelta(days=rng.randint(2, 8))
                ok = step(
                    "start_consultation",
                    State.CONSULTING.value,
                    on,
                    {"party": "某置业有限公司", "parties": []},
                )
                on += timedelta(days=rng.randint(5, 15))
                ok = ok and step(
                    "receive_opinion",
                    OPEN,
                    on,
                    {"opinion": rng.choice(["consent", "objection"]), "party": "某置业有限公司"},
                )
            if ok and rng.random() < 0.1:
                on += timedelta(days=rng.randint(10, 25))
                ok = step("extend", OPEN, on, {"days_wd": 20, "reason": "需调阅档案"})
            if ok:
                on += timedelta(days=rng.randint(500, 1100) if stuck else rng.randint(2, 30))
                code = self._pick(self.replies, self.reply_cum)
                reply_state = OUTCOME_BY_CODE[code].state.value
                ok = conclude(
                    "reply",
                    code,
                    reply_state,
                    on,
                    {"outcome": code, "basis": OUTCOME_BY_CODE[code].basis},
                )
                if ok and rng.random() < 0.9:
                    on += timedelta(days=rng.randint(1, 5))
                    step(
                        "deliver",
                        State.CLOSED.value,
                        on,
                        {"method": rng.choice(["post", "electronic", "pickup"])},
                    )
                if ok and rng.random() < 0.3:
                    step(
                        "record_service",
                        state,
                        on + timedelta(days=rng.randint(0, 5)),
                        {"notice": "reply", "served_on": (on + timedelta(days=3)).isoformat()},
                    )
                if ok and rng.random() < 0.02:  # the outcome amended later
                    new = self._pick(self.replies, self.reply_cum)
                    if new != code:
                        conclude(
                            "amend_outcome",
                            new,
                            state,
                            on + timedelta(days=rng.randint(5, 200)),
                            {"outcome": new, "reason": "更正办理结果"},
                        )

        # the rows: applicant, case, events, ledger, appeal
        first_at = self._instant(received, datetime(received.year, received.month, received.day))
        out.by_table["applicant"].append(
            (case_id, kind, name, None, None, None, None, self.stamp(first_at), None)
        )
        at = first_at
        seq_at: list[datetime] = []
        for seq, (action, from_state, to_state, when, payload) in enumerate(events, 1):
            at = first_at if seq == 1 else self._instant(when, at)
            seq_at.append(at)
            ids.event += 1
            out.by_table["case_event"].append(
                (
                    ids.event,
                    case_id,
                    seq,
                    action,
                    from_state,
                    to_state,
                    self.day(when),
                    self.stamp(at),
                    "user",
                    "经办人",
                    None,
                    json.dumps(payload),
                    PAYLOAD_SCHEMA_VERSION,
                    WORKFLOW_VERSION,
                )
            )
        for code, concluded_on, voided, event_seq, _when in standing:
            ids.conclusion += 1
            out.by_table["case_conclusion"].append(
                (
                    ids.conclusion,
                    case_id,
                    agency_id,
                    kind,
                    self.day(received),
                    code,
                    None if concluded_on is None else self.day(concluded_on),
                    voided,
                    event_seq,
                    self.stamp(seq_at[event_seq - 1]),
                )
            )
        open_case = outcome is None and state != State.VOID.value
        due = received + timedelta(days=28)
        out.by_table["cases"].append(
            (
                case_id,
                agency_id,
                ref,
                case_id,
                kind,
                channel,
                self.day(received) if channel == "in_person" else None,
                self.day(received) if channel == "post" else None,
                self.day(received) if channel == "online" else None,
                self.day(received),
                request,
                None,
                state,
                outcome,
                None if concluded is None else self.day(concluded),
                None,
                WORKFLOW_VERSION,
                len(events),
                self.day(due) if open_case else None,
                False,
                self.day(due) if open_case else None,
                "reply" if open_case else None,
                False,
                None,
                None,
                self.stamp(first_at),
                self.stamp(at),
            )
        )
        if concluded is not None and outcome is not None and not outcome.startswith("other."):
            chance = 0.01 if outcome in ("disclosed", "partially_disclosed") else 0.04
            if rng.random() < chance:
                self._appeal(out, agency_id, case_id, concluded, at)

    def _appeal(
        self, out: Rows, agency_id: int, case_id: int, concluded: date, after: datetime
    ) -> None:
        rng, ids = self.rng, self.ids
        filed = concluded + timedelta(days=rng.randint(5, 60))
        if filed > self.horizon:
            return
        kind = self._pick([k for k, _ in APPEAL_KINDS], self.appeal_cum)
        role = "respondent" if kind == "reconsideration" else "defendant"
        received = filed + timedelta(days=rng.randint(0, 5))
        answered: date | None = received + timedelta(days=rng.randint(2, ANSWER_DAYS[kind]))
        decided = filed + timedelta(days=rng.randint(20, 200))
        result = None
        ids.appeal += 1
        log: list[tuple[str, date, dict[str, Any]]] = [
            ("filed", filed, {"kind": kind, "role": role, "received_on": received.isoformat()})
        ]
        if answered is not None and answered <= self.horizon:
            log.append(("answered", answered, {}))
        else:
            answered = None
        if answered is not None and decided <= self.horizon and rng.random() < 0.9:
            result = rng.choices(["upheld", "corrected", "other"], [70, 15, 15])[0]
            log.append(("decided", max(decided, answered), {"result": result}))
        at = after
        for seq, (action, on, payload) in enumerate(log, 1):
            at = self._instant(on, at)
            ids.appeal_event += 1
            out.by_table["appeal_event"].append(
                (
                    ids.appeal_event,
                    ids.appeal,
                    seq,
                    action,
                    self.day(on),
                    json.dumps(payload),
                    "法制科",
                    self.stamp(at),
                )
            )
        decided_on = log[-1][1] if result else None
        out.by_table["appeal"].append(
            (
                ids.appeal,
                agency_id,
                case_id,
                kind,
                role,
                self.day(filed),
                self.day(received),
                self.day(received + timedelta(days=ANSWER_DAYS[kind])),
                None if answered is None else self.day(answered),
                None if decided_on is None else self.day(decided_on),
                result,
                self.stamp(self._instant(filed, after)),
            )
        )


def _cumulative(weights: Iterable[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def working_days(first: date, last: date) -> list[date]:
    return [
        first + timedelta(days=i)
        for i in range((last - first).days + 1)
        if (first + timedelta(days=i)).weekday() < 5
    ]


# --- writing -----------------------------------------------------------------------------


class SqliteWriter:
    def __init__(self, engine: Engine) -> None:
        self.raw = engine.raw_connection()
        self.conn: Any = self.raw.driver_connection
        self.conn.execute("PRAGMA synchronous=OFF")
        self.conn.execute("PRAGMA foreign_keys=OFF")  # the rows are consistent by construction
        self.conn.execute("PRAGMA cache_size=-1000000")  # 1 GB while loading

    @staticmethod
    def stamp(at: datetime) -> str:
        return at.isoformat(" ", timespec="microseconds")  # as SQLAlchemy stores it

    @staticmethod
    def day(on: date) -> str:
        return on.isoformat()

    def write(self, rows: Rows) -> None:
        self.conn.execute("BEGIN")
        for name, columns in TABLES:
            batch = rows.by_table[name]
            if batch:
                marks = ", ".join("?" * len(columns))
                self.conn.executemany(
                    f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})", batch
                )
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.raw.close()


class PostgresWriter:
    def __init__(self, engine: Engine) -> None:
        self.raw = engine.raw_connection()
        self.conn: Any = self.raw.driver_connection
        self.conn.autocommit = False

    @staticmethod
    def stamp(at: datetime) -> datetime:
        return at.replace(tzinfo=UTC)

    @staticmethod
    def day(on: date) -> date:
        return on

    def write(self, rows: Rows) -> None:
        with self.conn.cursor() as cur:
            for name, columns in TABLES:
                batch = rows.by_table[name]
                if batch:
                    with cur.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in batch:
                            copy.write_row(row)
        self.conn.commit()

    def close(self) -> None:
        with self.conn.cursor() as cur:
            for name, _ in TABLES:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {name}))"
                )
        self.conn.commit()
        self.raw.close()


def create_agencies(engine: Engine, n: int, seed: int) -> list[tuple[int, float]]:
    """A district office and n - 1 departments under it; (id, share of the cases)."""
    rng = random.Random(seed)
    weights = [1 / (rank**0.5) for rank in range(1, n + 1)]
    rng.shuffle(weights)
    with Session(engine) as s:
        district = Agency(
            code=f"{PREFIX}district", name="基准测试区人民政府办公室", supervises_subtree=True
        )
        s.add(district)
        s.flush()
        agencies = [district]
        for i in range(1, n):
            agency = Agency(
                code=f"{PREFIX}{i:03d}", name=f"基准测试区第{i}局", parent_id=district.id
            )
            s.add(agency)
            agencies.append(agency)
        s.flush()
        out = [(a.id or 0, w) for a, w in zip(agencies, weights, strict=True)]
        s.commit()
    return out


def generate(
    url: str, backend: str, cases: int, n_agencies: int, years: int, seed: int
) -> dict[str, Any]:
    now = datetime.now(UTC)
    horizon = now.date() - timedelta(days=1)
    last_year = now.year - 1
    first_year = last_year - years + 1
    engine = make_engine(url)
    upgrade(engine)
    agencies = create_agencies(engine, n_agencies, seed)
    writer: SqliteWriter | PostgresWriter = (
        SqliteWriter(engine) if backend == "sqlite" else PostgresWriter(engine)
    )
    rng = random.Random(seed)
    gen = Generator(rng, horizon, now, writer.stamp, writer.day)
    days = working_days(date(first_year, 1, 1), date(last_year, 12, 31))
    # a little more every year, as requests grew
    day_weights = _cumulative(1 + 0.08 * (d.year - first_year) for d in days)
    received = sorted(
        days[bisect.bisect_right(day_weights, rng.random() * day_weights[-1])] for _ in range(cases)
    )
    agency_cum = _cumulative(w for _, w in agencies)
    agency_ids = [a for a, _ in agencies]
    began = time.perf_counter()
    rows_written = 0
    with _progress() as progress:
        task = progress.add_task("cases", total=cases)
        for start in range(0, cases, CHUNK):
            batch = Rows()
            for on in received[start : start + CHUNK]:
                agency_id = agency_ids[
                    bisect.bisect_right(agency_cum, rng.random() * agency_cum[-1])
                ]
                gen.case(batch, agency_id, on)
            writer.write(batch)
            rows_written += batch.count()
            progress.update(task, advance=len(received[start : start + CHUNK]))
        writer.close()
        load = time.perf_counter() - began
        task = progress.add_task("checkpoint" if backend == "sqlite" else "VACUUM ANALYZE", total=1)
        began = time.perf_counter()
        if backend == "postgresql":  # what autovacuum does on a live database
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        else:
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        progress.update(task, advance=1)
    engine.dispose()
    ids = gen.ids
    return {
        "cases": cases,
        "agencies": n_agencies,
        "years": f"{first_year}–{last_year}",
        "events": ids.event,
        "conclusion_rows": ids.conclusion,
        "appeals": ids.appeal,
        "appeal_events": ids.appeal_event,
        "rows": rows_written,
        "load_s": round(load, 1),
        "finish_s": round(time.perf_counter() - began, 1),
    }


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description:>16}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
    )


BASELINE_INDEXES = {
    # bench-only: the bare GROUP BYs at their best, each reading one covering index
    "bench_bare_all": "case_conclusion (agency_id, applicant_kind, outcome)",
    "bench_bare_year": "case_conclusion (agency_id, concluded_on, applicant_kind, outcome)",
}


def prepare_baselines(url: str) -> float:
    """Creates the baselines' covering indexes where missing; seconds taken."""
    began = time.perf_counter()
    engine = make_engine(url)
    with engine.begin() as conn:
        for name, what in BASELINE_INDEXES.items():
            conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON {what}")
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE case_conclusion")
    engine.dispose()
    return time.perf_counter() - began


def existing(url: str, cases: int, n_agencies: int) -> bool:
    """Whether the database holds a generated history of this size (for --reuse)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT count(*) FROM agency WHERE code LIKE :p"), {"p": f"{PREFIX}%"}
            ).scalar_one()
            n = conn.execute(text("SELECT count(*) FROM cases")).scalar_one()
    except Exception:
        return False
    finally:
        engine.dispose()
    return bool(found == n_agencies and n == cases)


def fresh_database(url: str, backend: str) -> None:
    if backend == "sqlite":
        path = Path(make_url(url).database or "")
        for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            stale.unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    target = make_url(url)
    admin = create_engine(
        target.set(drivername="postgresql+psycopg", database="postgres"),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def drop_database(url: str) -> None:
    target = make_url(url)
    admin = create_engine(
        target.set(drivername="postgresql+psycopg", database="postgres"),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    admin.dispose()


# --- measuring (in a fresh process) ------------------------------------------------------


def peak_rss_mib() -> float:
    """This process's peak resident set (VmHWM: unlike ru_maxrss, not carried over from the
    parent that forked it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def best_of(runs: int, job: Callable[[], object]) -> tuple[float, float, object]:
    """(best, median) in ms of `runs` warm runs, after one warm-up; and the last result."""
    result = job()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        result = job()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return times[0], times[len(times) // 2], result


def measure(url: str, year: int, runs: int, reference: bool) -> dict[str, Any]:
    from casework.services.appeals import period_appeals
    from casework.statistics.figures import (
        _standing_rows,
        agency_ids,
        compute_period,
        fee_figures,
        period_table,
        report,
    )
    from casework.timeutil import end_of_china_day, utcnow

    engine = make_engine(url)
    first, last = date(year, 1, 1), date(year, 12, 31)
    frozen = end_of_china_day(date(year + 1, 1, 20))
    out: dict[str, Any] = {
        "year": year,
        "frozen": frozen.isoformat(),
        "rss_start_mib": peak_rss_mib(),
    }
    with Session(engine) as s:
        district = s.exec(select(Agency).where(Agency.code == f"{PREFIX}district")).one()
        sizes = dict(
            s.execute(text("SELECT agency_id, count(*) FROM cases GROUP BY agency_id")).all()  # type: ignore[arg-type]
        )
        largest_id = max((a for a in sizes if a != district.id), key=lambda a: sizes[a])
        largest = s.get_one(Agency, largest_id)
        scopes = {
            "agency": (largest, False, agency_ids(s, largest, False)),
            "district": (district, True, agency_ids(s, district, True)),
        }
        now = utcnow()
        for scope, (agency, subtree, ids) in scopes.items():
            marks = ", ".join(str(i) for i in ids)
            bare_all = text(
                f"SELECT applicant_kind, outcome, count(*) FROM case_conclusion "
                f"WHERE agency_id IN ({marks}) GROUP BY applicant_kind, outcome"
            )
            bare_year = text(
                f"SELECT applicant_kind, outcome, count(*) FROM case_conclusion "
                f"WHERE agency_id IN ({marks}) AND concluded_on BETWEEN :first AND :last "
                f"GROUP BY applicant_kind, outcome"
            )
            bare_appeals = text(
                f"SELECT kind, result, count(*) FROM appeal WHERE agency_id IN ({marks}) "
                f"GROUP BY kind, result"
            )
            bare_fees = text(
                f"SELECT e.action, count(*) FROM case_event e JOIN cases c ON c.id = e.case_id "
                f"WHERE c.agency_id IN ({marks}) "
                f"AND e.action IN ('issue_fee_notice', 'receive_payment') "
                f"AND e.effective_on BETWEEN :first AND :last GROUP BY e.action"
            )
            params = {"first": first, "last": last}
            res: dict[str, Any] = {
                "code": agency.code,
                "cases": sum(sizes.get(i, 0) for i in ids),
                "conclusion_rows": s.execute(
                    text(f"SELECT count(*) FROM case_conclusion WHERE agency_id IN ({marks})")
                ).scalar_one(),
            }
            timings = {
                "report": lambda a=agency, sub=subtree: report(s, a, year, now, sub),
                "report_frozen": lambda a=agency, sub=subtree: report(s, a, year, frozen, sub),
                "table_3": lambda ids=ids: period_table(s, ids, first, last, now),
                "table_3_frozen": lambda ids=ids: period_table(s, ids, first, last, frozen),
                "table_4": lambda ids=ids: period_appeals(s, ids, first, last, now),
                "fees": lambda ids=ids: fee_figures(s, ids, year, now),
                "bare_all": lambda q=bare_all: s.execute(q).all(),
                "bare_year": lambda q=bare_year, p=params: s.execute(q, p).all(),
                "bare_appeals": lambda q=bare_appeals: s.execute(q).all(),
                "bare_fees": lambda q=bare_fees, p=params: s.execute(q, p).all(),
            }
            for name, job in timings.items():
                best, median, result = best_of(runs, job)
                res[name] = {"best_ms": round(best, 2), "median_ms": round(median, 2)}
                if name == "report":
                    t = result.requests  # type: ignore[attr-defined]
                    res["table"] = {
                        "new": t.new[-1],
                        "carried_in": t.carried_in[-1],
                        "concluded": t.concluded_total[-1],
                        "carried_out": t.carried_out[-1],
                    }
                if name.startswith("bare"):
                    res[name]["rows"] = sum(int(r[-1]) for r in result)  # type: ignore[attr-defined]
            out[scope] = res
        out["rss_after_reports_mib"] = peak_rss_mib()
        if reference:
            for scope, (_agency, _subtree, ids) in scopes.items():
                for label, as_of in (("now", now), ("frozen", frozen)):
                    began = time.perf_counter()
                    expected = compute_period(_standing_rows(s, ids, as_of), first, last)
                    took = (time.perf_counter() - began) * 1000
                    same = expected == period_table(s, ids, first, last, as_of)
                    out[scope][f"reference_{label}"] = {"ms": round(took, 1), "same_table": same}
            out["rss_after_reference_mib"] = peak_rss_mib()
    engine.dispose()
    return out


# --- output ------------------------------------------------------------------------------


LABELS = {
    "report": "report(Y, now)",
    "report_frozen": "report(Y, T = 20 Jan Y+1)",
    "table_3": "· table 三 (now)",
    "table_3_frozen": "· table 三 (T)",
    "table_4": "· table 四 (now)",
    "fees": "· fee statement (now)",
    "bare_all": "bare: conclusion rows by column × outcome",
    "bare_year": "bare: the same, concluded in Y only",
    "bare_appeals": "bare: appeals by kind × result",
    "bare_fees": "bare: fee events of Y by action",
}
# what each is compared with: (the bare GROUP BYs over all rows, … with the year-only one)
BARES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "report": (
        ("bare_all", "bare_appeals", "bare_fees"),
        ("bare_year", "bare_appeals", "bare_fees"),
    ),
    "table_3": (("bare_all",), ("bare_year",)),
    "table_4": (("bare_appeals",), ("bare_appeals",)),
    "fees": (("bare_fees",), ("bare_fees",)),
}


def show(meta: dict[str, Any], m: dict[str, Any], backend: str) -> None:
    """A Markdown table (for benchmarks/README.md)."""
    print(f"\n{backend}, {meta.get('cases', 0):,} cases, report year {m['year']}\n")
    print("| scope | what | best ms | median ms | × bare | × bare (year-only) |")
    print("|---|---|---:|---:|---:|---:|")
    for scope in ("agency", "district"):
        res = m[scope]
        where = f"{scope} `{res['code']}` ({res['cases']:,} cases)"
        for name, label in LABELS.items():
            best, median = res[name]["best_ms"], res[name]["median_ms"]
            bares = BARES.get(name.removesuffix("_frozen"))
            ratios = ["", ""]
            if bares:
                ratios = [f"{best / sum(res[b]['best_ms'] for b in group):.2f}" for group in bares]
            print(
                f"| {where} | {label} | {best:,.1f} | {median:,.1f} | {ratios[0]} | {ratios[1]} |"
            )
        for label in ("now", "frozen"):
            ref = res.get(f"reference_{label}")
            if ref:
                same = "same table" if ref["same_table"] else "**DIFFERENT TABLE**"
                print(
                    f"| {where} | per-case reference path, table 三 ({label}; {same}) | "
                    f"{ref['ms']:,.0f} | | {ref['ms'] / res['bare_all']['best_ms']:.2f} | "
                    f"{ref['ms'] / res['bare_year']['best_ms']:.2f} |"
                )
    print(
        f"\npeak RSS of the timing process: {m['rss_start_mib']:.0f} MiB before the reports, "
        f"{m['rss_after_reports_mib']:.0f} MiB after them"
        + (
            f", {m['rss_after_reference_mib']:.0f} MiB after the per-case reference path"
            if "rss_after_reference_mib" in m
            else ""
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--url", default=None, help="the database (PostgreSQL: created if missing)")
    parser.add_argument(
        "--reuse", action="store_true", help="keep a generated database of this size"
    )
    parser.add_argument(
        "--drop", action="store_true", help="drop the PostgreSQL database at the end"
    )
    parser.add_argument(
        "--year", type=int, default=None, help="the report year (default: the last)"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-reference", action="store_true", help="skip the per-case path")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    if args.url is None:
        if args.backend == "postgresql":
            parser.error("--backend postgresql needs --url")
        args.url = f"sqlite:///{SQLITE_DEFAULT}"
    year = args.year or datetime.now(UTC).year - 1
    if args.measure:  # the child process: only the reports, for an honest peak RSS
        print(json.dumps(measure(args.url, year, args.runs, not args.no_reference)))
        return 0

    meta: dict[str, Any] = {"cases": args.cases}
    if args.reuse and existing(args.url, args.cases, args.agencies):
        console.print(f"reusing {args.url}")
    else:
        fresh_database(args.url, args.backend)
        meta = generate(args.url, args.backend, args.cases, args.agencies, args.years, args.seed)
        console.print(meta)
    console.print(f"baseline indexes ready ({prepare_baselines(args.url):.1f} s)")
    child = [
        sys.executable,
        __file__,
        "--measure",
        "--url",
        args.url,
        "--year",
        str(year),
        "--runs",
        str(args.runs),
    ] + (["--no-reference"] if args.no_reference else [])
    console.print("timing the reports in a fresh process …")
    done = subprocess.run(child, check=True, capture_output=True, text=True, env=os.environ)
    m = json.loads(done.stdout)
    show(meta, m, args.backend)
    if args.json:
        args.json.write_text(
            json.dumps({"meta": meta, "measured": m}, indent=1, ensure_ascii=False)
        )
    if args.drop and args.backend == "postgresql":
        drop_database(args.url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
