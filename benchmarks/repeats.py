"""Benchmark: one repeat-request lookup (and one per-item fee quote) on a database of N
answered cases of N applicants in one agency — the worst case for the lookup, which reads
every answered case of the agency whose applicant could be the same person.

    python benchmarks/repeats.py [--cases 10000] [--url postgresql://…] [--runs 30]

Without --url it builds a SQLite file in a temporary folder; --url must name an empty
database (the script migrates it). The rows are written straight
into the tables (a registration through the services costs ~10 ms; only the columns the
lookup reads matter). 90 % of the applicants give an ID number, some typed full-width.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert
from sqlmodel import Session, select

from casework.db import make_engine
from casework.identity import ApplicantKey
from casework.migrate import upgrade
from casework.models import Agency, Applicant, Case
from casework.services.fee_quote import quote_fee
from casework.services.repeats import find_repeats, repeats_of_case
from casework.timeutil import utcnow
from workflows.actions import WORKFLOW_VERSION

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
TOPICS = ["环境影响评价报告", "征收补偿方案", "道路改造工程合同", "低保发放名单", "年度预算",
          "规划许可证", "行政处罚决定书", "会议纪要", "招标文件", "信访答复意见"]  # fmt: skip
FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def build(url: str, n: int, seed: int = 7) -> int:
    """N applicants with one answered case each, plus 5 for the person looked up; returns
    the id of that person's newest case."""
    rng = random.Random(seed)
    engine = make_engine(url)
    upgrade(engine)
    now = utcnow()
    with Session(engine) as s:
        agency = Agency(code="bench", name="基准测试机关")
        s.add(agency)
        s.flush()
        assert agency.id is not None
        applicants, cases = [], []
        for i in range(n + 6):
            target = i >= n
            name = "张三" if target else rng.choice(SURNAMES) + "".join(
                rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))  # fmt: skip
            id_number = "11010119900307001X" if target else (
                f"{rng.randrange(10**16, 10**17)}{rng.choice('0123456789X')}"
                if rng.random() < 0.9 else None)  # fmt: skip
            if id_number and rng.random() < 0.1:
                id_number = id_number.translate(FULL)
            applicants.append({"id": i + 1, "kind": "natural_person", "name": name,
                               "id_number": id_number, "created_at": now})  # fmt: skip
            received = date(2020, 1, 1) + timedelta(days=rng.randrange(0, 2400))
            last = i == n + 5
            cases.append({
                "id": i + 1, "agency_id": agency.id, "ref": f"R{i + 1:07d}",
                "applicant_id": i + 1, "applicant_kind": "natural_person",
                "channel": "in_person", "received_on": date(2026, 11, 20) if last else received,
                "request_text": f"申请公开{rng.choice(TOPICS)}（{received.year}年）",
                "state": "received" if last else "disclosed",
                "outcome": None if last else "disclosed",
                "concluded_on": None if last else received + timedelta(days=15),
                "workflow_version": WORKFLOW_VERSION, "version": 1, "reply_paused": False,
                "due_provisional": False, "created_at": now, "updated_at": now,
            })  # fmt: skip
        s.execute(insert(Applicant), applicants)
        s.execute(insert(Case), cases)
        s.commit()
    if engine.dialect.name == "postgresql":  # fresh statistics, as a live database has
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    return n + 6


def timed(runs: int, job: Callable[[], object]) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = job()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000, max(times) * 1000, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--url", default=None)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{tmp}/repeats.sqlite"
        began = time.perf_counter()
        case_id = build(url, args.cases)
        print(f"built {args.cases + 6} answered/open cases in {time.perf_counter() - began:.1f} s"
              f" ({url.split(':')[0]})")  # fmt: skip
        engine = make_engine(url)
        with Session(engine) as s:
            case = s.get_one(Case, case_id)
            agency = s.exec(select(Agency).where(Agency.code == "bench")).one()
            by_id = timed(args.runs, lambda: repeats_of_case(s, case, reveal=True))
            no_id = ApplicantKey.of("natural_person", "张 三", None)
            by_name = timed(args.runs, lambda: find_repeats(
                s, agency, no_id, "申请公开环境影响评价报告", date(2026, 11, 26), reveal=True))  # fmt: skip
            fee = timed(args.runs, lambda: quote_fee(s, case, "per_item"))
        engine.dispose()
    for label, (median, worst, result) in (
        ("repeats, applicant with an ID number", by_id),
        ("repeats, applicant without one (name)", by_name),
        ("fee quote per item (one month)", fee),
    ):
        size = len(result) if isinstance(result, list) else "-"
        print(f"{label:40s} median {median:7.1f} ms  max {worst:7.1f} ms  found {size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
