"""Benchmark: importing a big ledger (issue 6, item 6) against replaying the same history.

1. Writes a history file of N cases (default 5,000; ten kinds of case: replies, corrections
   answered or left to expire, consultations, fees paid or not, extensions, withdrawals, open
   cases) received on working days of 2023–2025.
2. Baseline: `casework replay` of that file into a fresh database.
3. `casework ledger export` of the replayed agency (unmasked), then `casework ledger import
   --dry-run` and `casework ledger import` of the ledger into another fresh database, with the
   progress bar drawn (FORCE_COLOR=1; the bar goes to stderr, shown here).
4. Checks that the two databases give the same figures (table 三 and fees) for every year.

Each command runs as its own process through the real console script; its wall time and peak
RSS (os.wait4's ru_maxrss) are reported, and the import's ratios to the replay.

    python benchmarks/ledger.py                         # SQLite, 5,000 cases
    python benchmarks/ledger.py --cases 500             # quicker
    python benchmarks/ledger.py --postgres-url postgresql://postgres@127.0.0.1:5433/postgres
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from casework.db import make_engine  # noqa: E402
from casework.workdays import default_calendar  # noqa: E402

TODAY = "2026-11-26"
KINDS = ("natural_person",) * 6 + (
    "commercial_enterprise",
    "research_institution",
    "public_interest_org",
    "legal_service_org",
    "other_org",
)


def history(cases: int, seed: int = 6) -> dict[str, Any]:
    rng = random.Random(seed)
    cal = default_calendar()
    days = [
        date(2023, 1, 2) + timedelta(days=i)
        for i in range((date(2025, 10, 31) - date(2023, 1, 2)).days)
    ]
    days = [d for d in days if cal.is_workday(d)]
    out = []
    for number in range(1, cases + 1):
        received = rng.choice(days)

        def at(wd: int, start: date = received) -> str:
            return cal.add(start, wd).isoformat()

        template = number % 10
        steps: list[dict[str, Any]] = {
            0: [
                {"on": at(8), "action": "reply", "outcome": "disclosed"},
                {"on": at(9), "action": "deliver", "method": "electronic"},
            ],
            1: [
                {"on": at(2), "action": "request_correction", "period_wd": 15, "items": ["请明确"]}
            ],
            2: [
                {"on": at(2), "action": "request_correction", "period_wd": 15},
                {"on": at(7), "action": "receive_correction"},
                {"on": at(18), "action": "reply", "outcome": "unavailable.not_held"},
                {"on": at(19), "action": "deliver", "method": "post"},
            ],
            3: [
                {"on": at(3), "action": "start_consultation", "party": "某公司"},
                {"on": at(9), "action": "receive_opinion", "opinion": "objection"},
                {"on": at(15), "action": "reply", "outcome": "withheld.third_party_rights"},
            ],
            4: [
                {"on": at(3), "action": "issue_fee_notice", "amount": 100, "basis": "per_item"},
                {"on": at(8), "action": "receive_payment"},
                {"on": at(15), "action": "reply", "outcome": "partially_disclosed"},
            ],
            5: [{"on": at(3), "action": "issue_fee_notice", "amount": 200, "basis": "per_item"}],
            6: [
                {
                    "on": at(15),
                    "action": "extend",
                    "days_wd": 20,
                    "reason": "情况复杂（批准人：李）",
                },
                {"on": at(30), "action": "reply", "outcome": "withheld.deliberative"},
            ],
            7: [{"on": at(4), "action": "withdraw"}],
            8: [{"on": at(6), "action": "reply", "outcome": "not_processed.duplicate"}],
            9: [],
        }[template]
        out.append(
            {
                "ref": f"B-{number:05d}",
                "applicant": {"kind": rng.choice(KINDS), "name": f"申请人{number}"},
                "channel": rng.choice(("online", "in_person", "post")),
                "received_on": received.isoformat(),
                "request": f"申请公开第{number}号文件",
                "actions": steps,
            }
        )
    return {"agency": {"code": "bench", "name": "基准测试局"}, "cases": out}


def run(args: list[str], env: dict[str, str], show_stderr: bool = False) -> tuple[float, int, str]:
    """Run `casework ARGS`: (seconds, peak RSS in MiB, stdout)."""
    exe = str(Path(sys.executable).parent / "casework")
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        began = time.perf_counter()
        proc = subprocess.Popen(
            [exe, *args], env=env, stdout=out, stderr=None if show_stderr else err, text=True
        )
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own peak RSS
        seconds = time.perf_counter() - began
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        output = out.read()
        if proc.returncode != 0:
            sys.exit(f"casework {' '.join(args)} failed:\n{output}\n{err.read()}")
    return seconds, usage.ru_maxrss // 1024, output


def databases(pg_admin: str | None, folder: Path) -> tuple[list[str], list[str]]:
    """Two fresh database URLs (source, target) and the names to drop afterwards."""
    if pg_admin is None:
        return [
            f"sqlite:///{folder / 'source.sqlite'}",
            f"sqlite:///{folder / 'target.sqlite'}",
        ], []
    admin = create_engine(
        make_url(pg_admin).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    names = [f"casework_bench_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    urls = [make_url(pg_admin).set(database=n).render_as_string(hide_password=False) for n in names]
    return urls, names


def drop(pg_admin: str | None, names: list[str]) -> None:
    if pg_admin is None or not names:
        return
    admin = create_engine(
        make_url(pg_admin).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def figures(url: str, code: str) -> dict[int, Any]:
    from sqlmodel import Session

    from casework.services.directory import agency_by_code
    from casework.statistics.figures import report
    from casework.timeutil import utcnow

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            agency = agency_by_code(session, code)
            out = {}
            for year in range(2023, 2027):
                data = report(session, agency, year, utcnow()).as_json()
                out[year] = (data["requests"], data["fees"])
            return out
    finally:
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--postgres-url", help="admin URL: runs on PostgreSQL instead of SQLite")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="casework-ledger-bench-") as scratch:
        folder = Path(scratch)
        source = folder / "history.json"
        source.write_text(json.dumps(history(options.cases), ensure_ascii=False), "utf-8")
        ledger = folder / "ledger.xlsx"
        (src_url, dst_url), names = databases(options.postgres_url, folder)
        base = {**os.environ, "CASEWORK_TODAY": TODAY, "CASEWORK_DATA_DIR": str(folder)}
        src = {**base, "CASEWORK_DATABASE_URL": src_url}
        dst = {**base, "CASEWORK_DATABASE_URL": dst_url, "FORCE_COLOR": "1"}
        backend = "PostgreSQL" if options.postgres_url else "SQLite"
        try:
            run(["init"], src)
            run(["init"], dst)
            replayed = run(["replay", str(source)], src)
            exported = run(
                ["ledger", "export", "--agency", "bench", "--no-mask", "-o", str(ledger)], src
            )
            size = ledger.stat().st_size / 1024 / 1024
            print(f"{options.cases} cases on {backend}; ledger {size:.1f} MiB", flush=True)
            checked = run(
                [
                    "ledger",
                    "import",
                    str(ledger),
                    "--agency",
                    "copy",
                    "--agency-name",
                    "副本",
                    "--dry-run",
                ],
                dst,
                show_stderr=True,
            )
            imported = run(
                ["ledger", "import", str(ledger), "--agency", "copy", "--agency-name", "副本"],
                dst,
                show_stderr=True,
            )
            same = figures(src_url, "bench") == figures(dst_url, "copy")
        finally:
            drop(options.postgres_url, names)
    rows = [
        ("replay (baseline)", replayed),
        ("ledger export", exported),
        ("ledger import --dry-run", checked),
        ("ledger import", imported),
    ]
    print(f"{'step':<26}{'seconds':>9}{'rows/s':>9}{'peak RSS MiB':>14}")
    for name, (seconds, peak, _) in rows:
        print(f"{name:<26}{seconds:>9.1f}{options.cases / seconds:>9.0f}{peak:>14}")
    print(
        f"import / replay: time {imported[0] / replayed[0]:.2f}x, "
        f"peak RSS {imported[1] / max(replayed[1], 1):.2f}x; "
        f"figures 2023–2026 equal: {same}"
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
