"""Benchmark: the timer sweep (DESIGN §4) on PostgreSQL + Redis with real Celery workers,
against the ETA-task design it replaces (DESIGN §8). Issue 4, item 8.

For each size N (default 1,000 / 100,000 / 1,000,000 pending timers), a fresh database is
filled in SQL (INSERT … SELECT generate_series): clones of two real cases made through
``perform`` — "A" cases whose reply-clock reminder "5 working days before" is due now, and "B"
cases received today whose reminders are all in the future — so min(N, --due) timers are due
at once and the rest are pending for later. Then 2 Celery worker processes (``python -m celery
-A workers.app worker --concurrency 1`` ×2) fire them, the sweep triggered by ``celery beat``
(every --sweep-seconds) or, with ``--trigger loop``, by calling the sweep task from this
process whenever the queue is short. Measured: time until every due timer is done, effects per
timer (alerts, inbox rows, 'fired' task results: duplicates must be 0), and the workers' RSS
(main processes and pool children) while N timers are pending.

Baseline in the same run: the same kind of reminders (--eta-count, default 50,000) sent as
Celery ETA tasks (``casework.fire`` with ``eta`` = now + --eta-seconds) to the same workers with a
short Redis ``visibility_timeout``: the workers' RSS and how often each task is delivered.

Needs PostgreSQL binaries (or --postgres-url) and redis-server (or --redis-url). Run from the
repository root: ``python benchmarks/timers.py`` (about 35 min on 2 CPUs), ``--quick`` (under
a minute), ``--profile 2000`` (where the time of one fire goes, in-process). Results and their
analysis: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import cProfile
import io
import math
import os
import platform
import pstats
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

# benchmarks/calendar.py would shadow the standard library's ``calendar`` (httpx imports it):
# drop this folder from the import path, and import the repository's packages.
_HERE = Path(__file__).resolve().parent
_ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_ROOT))

from sqlalchemy import Engine, event, inspect, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from casework import migrate  # noqa: E402
from casework.db import make_engine, unit_of_work  # noqa: E402
from casework.services.directory import add_user, ensure_agency, grant  # noqa: E402
from casework.services.perform import perform  # noqa: E402
from casework.timeutil import china_instant  # noqa: E402
from workflows.roles import Actor, Role  # noqa: E402

MIB = 1024 * 1024
A_RECEIVED = date(2026, 3, 2)  # the due cases: received on a Monday, reply due 20 wd later
DUE_CLOCK, DUE_THRESHOLD = "reply", "before:5"  # the reminder that is due "now"
SWEEP_LIMIT = 500  # claim_due's default batch
SERVICE_PIDS: dict[str, int] = {}  # postgres (the postmaster), redis: when we started them


# --------------------------------------------------------------------------------- services


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def postgres_server(url: str | None, port: int, tmp: Path) -> Iterator[str]:
    """A throw-away cluster of our own (fsync off, like .ci/start-postgres), or the given URL."""
    if url:
        yield url
        return
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    bindir = found[-1] if found else Path(shutil.which("initdb") or "initdb").parent
    tmp.mkdir()
    data = tmp / "pgdata"
    data.mkdir()
    as_root = os.geteuid() == 0

    def run(command: str) -> None:
        if as_root:
            subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", command], check=True)
        else:
            subprocess.run(command, shell=True, check=True)

    if as_root:
        shutil.chown(tmp, "postgres")
        shutil.chown(data, "postgres")
    pg_ctl = f"{bindir / 'pg_ctl'} -D {data}"
    run(f"{bindir / 'initdb'} -D {data} -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null")
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {tmp} -c fsync=off -c max_connections=200"
    )
    run(f"{pg_ctl} -l {tmp / 'postgres.log'} -w -o '{options}' start >/dev/null")
    SERVICE_PIDS["postgres"] = int((data / "postmaster.pid").read_text().split()[0])
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        run(f"{pg_ctl} -m fast -w stop >/dev/null")


@contextlib.contextmanager
def redis_server(url: str | None, tmp: Path) -> Iterator[str]:
    if url:
        yield url
        return
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server not found: apt-get install redis-server, or --redis-url")
    port = _free_port()
    log = (tmp / "redis.log").open("wb")
    options = f"--port {port} --bind 127.0.0.1 --appendonly no --daemonize no --dir {tmp}"
    argv = [binary, *options.split(), "--save", ""]
    process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
    SERVICE_PIDS["redis"] = process.pid
    try:
        url = f"redis://127.0.0.1:{port}/0"
        client = _redis(url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except Exception as error:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit(f"redis-server did not start (see {tmp})") from error
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def _redis(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url)


def fresh_database(admin_url: str, name: str) -> str:
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, name: str) -> None:
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


# ------------------------------------------------------------------------------ the data


@dataclass(frozen=True)
class Templates:
    a_case: int
    b_case: int
    today: date  # the day the A cases' due reminder fires on (CASEWORK_TODAY)
    now: datetime  # noon of that day, China time (CASEWORK_NOW): the due timers are due


def make_templates(engine: Engine) -> Templates:
    """Two real cases through the one door: A (received A_RECEIVED) and B (received on the day
    A's reminder fires), each assigned to a handler; their synced timer rows are the models."""
    replay = Actor.replay("benchmark")
    applicant = {"kind": "natural_person", "name": "张三", "id_number": "610113199001011234"}

    def register(ref: str, received: date) -> int:
        with unit_of_work(engine) as s:
            case = perform(
                s,
                action="register",
                actor=replay,
                today=received,
                payload={
                    "agency": "bench",
                    "ref": ref,
                    "applicant": applicant,
                    "channel": "in_person",
                    "received_on": received.isoformat(),
                    "request": "申请公开某文件",
                },
            ).case
            assert case.id is not None
            perform(
                s,
                case_id=case.id,
                action="assign",
                payload={"handler": "handler"},
                actor=replay,
                on=received,
                today=received,
            )
            return case.id

    with unit_of_work(engine) as s:
        agency = ensure_agency(s, "bench", "基准测试机关")
        grant(s, add_user(s, "handler", "经办人"), agency, Role.CLERK)
        grant(s, add_user(s, "approver", "负责人"), agency, Role.APPROVER)
    a_case = register("TPL-A", A_RECEIVED)
    with engine.connect() as conn:
        today = conn.execute(
            text("SELECT fire_on FROM timer WHERE case_id = :c AND clock = :k AND threshold = :t"),
            {"c": a_case, "k": DUE_CLOCK, "t": DUE_THRESHOLD},
        ).scalar_one()
    b_case = register("TPL-B", today)
    now = china_instant(today, clock_time(12))
    with engine.connect() as conn:
        early = conn.execute(
            text("SELECT count(*) FROM timer WHERE case_id = :b AND fire_at <= :now"),
            {"b": b_case, "now": now},
        ).scalar_one()
    assert early == 0, "a B template timer is due already"
    return Templates(a_case, b_case, today, now)


def _columns(engine: Engine, table: str, skip: set[str]) -> list[str]:
    return [c["name"] for c in inspect(engine).get_columns(table) if c["name"] not in skip]


@dataclass(frozen=True)
class Plan:
    pending: int  # N
    due: int  # A cases, one due timer each
    a_future: int  # A's later reply reminders (before:2, due, overdue)
    b_cases: int
    b_timers: int


def plan(pending: int, due_max: int, a_later: int, b_each: int) -> Plan:
    due = min(pending, due_max)
    rest = pending - due
    a_future = min(rest, a_later * due)
    rest -= a_future
    b_cases = math.ceil(rest / b_each) if rest else 0
    return Plan(pending, due, a_future, b_cases, rest)


def bulk_fill(engine: Engine, t: Templates, pending: int, due_max: int) -> Plan:
    """Clone the templates in SQL: cases, their events, their timer rows (keys as `sync` makes
    them: '{case}:{clock}:{threshold}:{anchor}'); then drop the templates' own timers."""
    case_cols = _columns(engine, "cases", {"id", "ref", "created_at", "updated_at"})
    event_cols = _columns(engine, "case_event", {"id", "case_id", "payload", "recorded_at"})
    own = "id case_id key status attempts last_error claimed_at done_at created_at"
    timer_cols = _columns(engine, "timer", set(own.split()))
    ccols, ecols, tcols = (", ".join(c) for c in (case_cols, event_cols, timer_cols))
    tsel = ", ".join(f"t.{c}" for c in timer_cols)
    with engine.begin() as conn:
        a_later = conn.execute(
            text("SELECT count(*) FROM timer WHERE case_id = :a AND fire_at > :now"),
            {"a": t.a_case, "now": t.now},
        ).scalar_one()
        b_each = conn.execute(
            text("SELECT count(*) FROM timer WHERE case_id = :b"), {"b": t.b_case}
        ).scalar_one()
        p = plan(pending, due_max, a_later, b_each)
        base = conn.execute(text("SELECT max(id) FROM cases")).scalar_one()

        def clone_cases(template: int, first: int, count: int, prefix: str) -> None:
            if not count:
                return
            params = {"tpl": template, "first": first, "n": count, "prefix": prefix}
            conn.execute(
                text(f"""
                INSERT INTO cases (id, ref, created_at, updated_at, {ccols})
                SELECT :first + g, :prefix || g, now(), now(), {ccols}
                FROM cases, generate_series(1, :n) AS g WHERE cases.id = :tpl"""),
                params,
            )
            conn.execute(
                text(f"""
                INSERT INTO case_event (case_id, payload, recorded_at, {ecols})
                SELECT :first + g,
                       CASE WHEN e.action = 'register'
                            THEN (e.payload::jsonb || jsonb_build_object('ref', :prefix || g))::json
                            ELSE e.payload END,
                       now(), {", ".join(f"e.{c}" for c in event_cols)}
                FROM case_event e, generate_series(1, :n) AS g WHERE e.case_id = :tpl"""),
                params,
            )

        def clone_timers(template: int, first: int, count: int, where: str, limit: int) -> None:
            if not count or not limit:
                return
            conn.execute(
                text(f"""
                INSERT INTO timer (case_id, key, status, attempts, created_at, {tcols})
                SELECT :first + g,
                       (:first + g)::text || substr(t.key, length(t.case_id::text) + 1),
                       'pending', 0, now(), {tsel}
                FROM timer t, generate_series(1, :n) AS g
                WHERE t.case_id = :tpl AND {where}
                ORDER BY g, t.fire_at LIMIT :limit"""),
                {
                    "tpl": template,
                    "first": first,
                    "n": count,
                    "now": t.now,
                    "limit": limit,
                    "clock": DUE_CLOCK,
                    "threshold": DUE_THRESHOLD,
                },
            )

        clone_cases(t.a_case, base, p.due, "A-")
        clone_cases(t.b_case, base + p.due, p.b_cases, "B-")
        due_where = "t.clock = :clock AND t.threshold = :threshold"
        clone_timers(t.a_case, base, p.due, due_where, p.due)
        clone_timers(t.a_case, base, p.due, "t.fire_at > :now", p.a_future)
        clone_timers(t.b_case, base + p.due, p.b_cases, "true", p.b_timers)
        conn.execute(
            text("DELETE FROM timer WHERE case_id IN (:a, :b)"), {"a": t.a_case, "b": t.b_case}
        )
        conn.execute(
            text("SELECT setval(pg_get_serial_sequence('cases', 'id'), max(id)) FROM cases")
        )
        counts = conn.execute(
            text(
                "SELECT count(*), count(*) FILTER (WHERE fire_at <= :now) FROM timer "
                "WHERE status = 'pending'"
            ),
            {"now": t.now},
        ).one()
        assert tuple(counts) == (p.pending, p.due), (tuple(counts), p)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    return p


def build(
    admin_url: str, name: str, pending: int, due_max: int
) -> tuple[str, Templates, Plan, float]:
    url = fresh_database(admin_url, name)
    engine = make_engine(url)
    migrate.upgrade(engine)
    templates = make_templates(engine)
    began = time.perf_counter()
    p = bulk_fill(engine, templates, pending, due_max)
    seconds = time.perf_counter() - began
    engine.dispose()
    return url, templates, p, seconds


# ------------------------------------------------------------------------- processes, RSS


def _children_map() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        out.setdefault(ppid, []).append(int(entry.name))
    return out


def _rss_proc(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss(pids: list[int]) -> tuple[int, int]:
    """RSS in bytes of the given processes and of all their descendants: (mains, children)."""
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        mains = kids = 0
        for pid in pids:
            with contextlib.suppress(psutil.Error):
                proc = psutil.Process(pid)
                mains += proc.memory_info().rss
                for child in proc.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        kids += child.memory_info().rss
        return mains, kids
    children = _children_map()
    mains = sum(_rss_proc(pid) for pid in pids)
    kids, stack = 0, [c for pid in pids for c in children.get(pid, [])]
    while stack:
        pid = stack.pop()
        kids += _rss_proc(pid)
        stack.extend(children.get(pid, []))
    return mains, kids


TICK = os.sysconf("SC_CLK_TCK")


def _cpu_proc(pid: int) -> float:
    """CPU seconds of a process, with those of its children that have exited and been reaped."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(f) for f in fields[11:15]) / TICK  # utime, stime, cutime, cstime


def tree_cpu(pids: list[int], children: dict[int, list[int]]) -> tuple[float, float]:
    """CPU seconds of the given processes and of all their live descendants: (roots, rest)."""
    roots = sum(_cpu_proc(pid) for pid in pids)
    rest, stack = 0.0, [c for pid in pids for c in children.get(pid, [])]
    while stack:
        pid = stack.pop()
        rest += _cpu_proc(pid)
        stack.extend(children.get(pid, []))
    return roots, rest


def cpu_snapshot(workers: list[int], beat: list[int]) -> dict[str, float]:
    children = _children_map()
    mains, kids = tree_cpu(workers, children)
    own = os.times()
    out = {
        "worker pool children (the fire/sweep task code)": kids,
        "worker main processes (Celery consumer: Redis, pool IPC, acks)": mains,
        "celery beat": sum(tree_cpu(beat, children)),
        "this driver (polling; the loop trigger's sweep)": own.user + own.system,
    }
    for name, label in (("postgres", "PostgreSQL (all backends)"), ("redis", "redis-server")):
        if name in SERVICE_PIDS:
            out[label] = sum(tree_cpu([SERVICE_PIDS[name]], children))
    return out


@dataclass
class Sampler:
    """Samples the workers' RSS every `every` seconds in a thread."""

    pids: list[int]
    every: float = 0.5
    samples: list[tuple[float, int, int]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> Sampler:
        def loop() -> None:
            while not self._stop.is_set():
                mains, kids = tree_rss(self.pids)
                self.samples.append((time.monotonic(), mains, kids))
                self._stop.wait(self.every)

        self._thread = threading.Thread(target=loop, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()

    def peak(self, since: float = 0.0) -> tuple[int, int, int]:
        """(total, mains, children) of the sample with the highest total."""
        rows = [(m + k, m, k) for at, m, k in self.samples if at >= since] or [(0, 0, 0)]
        return max(rows)

    def last(self) -> tuple[int, int, int]:
        _, m, k = self.samples[-1]
        return m + k, m, k


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@dataclass
class Processes:
    tmp: Path
    env: dict[str, str]
    children: list[Child] = field(default_factory=list)

    def start(self, name: str, argv: list[str]) -> Child:
        log = self.tmp / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                argv,
                env=self.env,
                cwd=_ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        child = Child(name, process, log)
        self.children.append(child)
        return child

    def stop(self, child: Child, grace: float = 20) -> None:
        """Warm shutdown (SIGTERM to its group), then SIGKILL."""
        if child.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.process.wait(timeout=grace)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.process.pid, signal.SIGKILL)
        child.process.wait()

    def stop_all(self) -> None:
        for child in reversed(self.children):
            self.stop(child)


def celery(*args: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "workers.app", *args]


def start_workers(procs: Processes, args: argparse.Namespace, tag: str) -> list[Child]:
    workers = [
        procs.start(
            f"{tag}-worker{i}",
            celery(
                *f"worker --pool {args.pool} --concurrency {args.concurrency}".split(),
                *f"-n bench{i}@%h --loglevel INFO".split(),
                *("--pidfile", str(procs.tmp / f"{tag}-worker{i}.pid")),
            ),
        )
        for i in range(1, args.workers + 1)
    ]
    deadline = time.monotonic() + 60
    while not all(" ready." in w.text() for w in workers):
        for w in workers:
            if w.process.poll() is not None:
                raise SystemExit(f"{w.name} exited:\n{w.text()[-3000:]}")
        if time.monotonic() > deadline:
            raise SystemExit("workers not ready in 60 s:\n" + workers[0].text()[-3000:])
        time.sleep(0.2)
    return workers


def worker_env(db_url: str, broker: str, t: Templates, data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORK_")}
    env.update(
        PYTHONUNBUFFERED="1",
        CASEWORK_DATABASE_URL=db_url,
        CASEWORK_BROKER_URL=broker,
        CASEWORK_TODAY=t.today.isoformat(),
        CASEWORK_NOW=t.now.isoformat(),
        CASEWORK_DATA_DIR=str(data),
    )
    env.update(extra)
    return env


SUCCEEDED = re.compile(r"Task (casework\.\w+)\[([0-9a-f-]+)\] succeeded in ([0-9.e-]+)s: (.+)")
RECEIVED = re.compile(r"Task (casework\.\w+)\[([0-9a-f-]+)\] received")


def task_log(workers: list[Child]) -> tuple[Counter[str], dict[str, list[float]], Counter[str]]:
    """(outcomes of the timers casework.fire fired, run times per task name, receipts per
    fire task id)."""
    outcomes: Counter[str] = Counter()
    runtimes: dict[str, list[float]] = {}
    received: Counter[str] = Counter()
    for w in workers:
        body = w.text()
        for name, _tid, seconds, result in SUCCEEDED.findall(body):
            runtimes.setdefault(name, []).append(float(seconds))
            if name == "casework.fire":  # a batch's counts, e.g. {'fired': 98, 'gone': 2}
                outcomes.update(ast.literal_eval(result.strip()))
        for name, tid in RECEIVED.findall(body):
            if name == "casework.fire":
                received[tid] += 1
    return outcomes, runtimes, received


# ---------------------------------------------------------------------------- the runs


@dataclass
class SizeResult:
    pending: int
    due: int
    cases: int
    fill_s: float
    claimed_s: float | None
    fired_s: float | None
    rate: float
    rss_idle: tuple[int, int, int]
    rss_peak: tuple[int, int, int]
    rss_end: tuple[int, int, int]
    alerts: int
    dup_alerts: int
    notifications: int
    fired: int
    gone: int
    other: dict[str, int]
    attempts_gt1: int
    fire_ms: float  # fire tasks' run time per timer
    fire_tasks: int
    sweep_ms: float
    sweeps: int
    queue_peak: int
    cpu: dict[str, float]  # CPU seconds per component from the trigger to the last fire


def _counts(conn: Any, now: datetime) -> tuple[int, int, int]:
    """(done, claimed, due and unclaimed): three index scans (a filtered scan of the whole
    table took 66 ms at 1M rows, and it runs every second)."""
    row = conn.execute(
        text(
            "SELECT (SELECT count(*) FROM timer WHERE status = 'done'), "
            "(SELECT count(*) FROM timer WHERE status = 'claimed'), "
            "(SELECT count(*) FROM timer WHERE status = 'pending' AND fire_at <= :now)"
        ),
        {"now": now},
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def run_size(
    args: argparse.Namespace, admin_url: str, broker: str, tmp: Path, pending: int
) -> SizeResult:
    name = f"bench_timers_{pending}"
    print(f"\n== {pending:,} pending timers: building {name} …", flush=True)
    db_url, t, p, fill_s = build(admin_url, name, pending, args.due)
    cases = p.due + p.b_cases
    print(
        f"   filled in {fill_s:.1f} s: {p.due:,} due (A cases), {p.a_future:,} later "
        f"reminders of A, {p.b_timers:,} of {p.b_cases:,} B cases; today {t.today}",
        flush=True,
    )
    client = _redis(broker)
    client.flushdb()
    data = tmp / name
    data.mkdir()
    env = worker_env(db_url, broker, t, data, CASEWORK_SWEEP_SECONDS=str(args.sweep_seconds))
    procs = Processes(data, env)
    engine = make_engine(db_url)
    queue_peak = 0
    try:
        workers = start_workers(procs, args, "size")
        sampler = Sampler([w.process.pid for w in workers]).start()
        time.sleep(args.settle)
        rss_idle = sampler.last()
        worker_pids = [w.process.pid for w in workers]
        cpu_before = cpu_snapshot(worker_pids, [])
        began = time.monotonic()
        stop_loop = threading.Event()
        loop_thread: threading.Thread | None = None
        if args.trigger == "beat":
            beat_argv = ("beat", "--loglevel", "INFO", "-s", str(data / "schedule"))
            procs.start("beat", celery(*beat_argv, "--pidfile", str(data / "beat.pid")))
        else:
            loop_thread = threading.Thread(
                target=sweep_loop, args=(env, client, stop_loop), daemon=True
            )
            loop_thread.start()
        claimed_s = fired_s = None
        cpu_after = cpu_before
        deadline = began + args.timeout
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            while time.monotonic() < deadline:
                done, claimed, waiting = _counts(conn, t.now)
                queue_peak = max(queue_peak, int(client.llen("celery")))
                elapsed = time.monotonic() - began
                if claimed_s is None and waiting == 0:
                    claimed_s = elapsed
                if done >= p.due:
                    fired_s = elapsed
                    beat_pids = [c.process.pid for c in procs.children if c.name == "beat"]
                    cpu_after = cpu_snapshot(worker_pids, beat_pids)
                    break
                if int(elapsed) % 10 == 0:
                    print(
                        f"   {elapsed:6.1f} s: done {done:,}, claimed {claimed:,}, "
                        f"due and unclaimed {waiting:,}",
                        flush=True,
                    )
                for c in procs.children:
                    if c.process.poll() is not None:
                        raise SystemExit(f"{c.name} exited:\n{c.text()[-3000:]}")
                time.sleep(1 - (time.monotonic() - began) % 1)
        stop_loop.set()
        if loop_thread:
            loop_thread.join()
        time.sleep(args.settle)  # let redundant deliveries, if any, show up in the logs
        rss_peak, rss_end = sampler.peak(), sampler.last()
        sampler.stop()
    finally:
        procs.stop_all()
    outcomes, runtimes, _received = task_log(workers)
    with engine.connect() as conn:
        alerts, dup = conn.execute(
            text("SELECT count(*), count(*) - count(DISTINCT key) FROM alert")
        ).one()
        notifications = conn.execute(text("SELECT count(*) FROM notification")).scalar_one()
        attempts_gt1 = conn.execute(
            text("SELECT count(*) FROM timer WHERE attempts > 1")
        ).scalar_one()
    engine.dispose()
    if not args.keep:
        drop_database(admin_url, name)
    fires = runtimes.get("casework.fire", [])
    sweeps = runtimes.get("casework.sweep", [])
    fired = outcomes.pop("fired", 0)
    gone = outcomes.pop("gone", 0)
    return SizeResult(
        pending=p.pending,
        due=p.due,
        cases=cases,
        fill_s=fill_s,
        claimed_s=claimed_s,
        fired_s=fired_s,
        rate=p.due / fired_s if fired_s else 0.0,
        rss_idle=rss_idle,
        rss_peak=rss_peak,
        rss_end=rss_end,
        alerts=alerts,
        dup_alerts=dup,
        notifications=notifications,
        fired=fired,
        gone=gone,
        other=dict(outcomes),
        attempts_gt1=attempts_gt1,
        fire_ms=1000 * sum(fires) / max(1, sum(outcomes.values()) + fired + gone),
        fire_tasks=len(fires),
        sweep_ms=1000 * statistics.fmean(sweeps) if sweeps else 0.0,
        sweeps=len(sweeps) if args.trigger == "beat" else -1,
        queue_peak=queue_peak,
        cpu={k: cpu_after[k] - cpu_before[k] for k in cpu_before},
    )


def sweep_loop(env: dict[str, str], client: Any, stop: threading.Event) -> None:
    """`--trigger loop`: call the sweep task (in this process) whenever fewer than one batch of
    fire tasks waits in the queue, so the workers never starve and the queue stays short."""
    tasks = _tasks(env)
    while not stop.is_set():
        if client.llen("celery") < SWEEP_LIMIT:
            if tasks.sweep() == 0:
                stop.wait(0.5)
        else:
            stop.wait(0.05)


def _tasks(env: dict[str, str]) -> Any:
    """workers.tasks with this process's settings pointed at the run's database and broker."""
    for key in [k for k in os.environ if k.startswith("CASEWORK_")]:
        del os.environ[key]
    os.environ.update({k: v for k, v in env.items() if k.startswith("CASEWORK_")})
    from casework.settings import get_settings

    get_settings.cache_clear()
    from workers import tasks

    return tasks


@dataclass
class EtaResult:
    count: int
    enqueue_s: float
    visibility: int
    observed_s: float
    rss_idle: tuple[int, int, int]
    rss_peak: tuple[int, int, int]
    rss_end: tuple[int, int, int]
    receipts: int
    distinct: int
    redelivered: int
    max_copies: int
    unacked_end: int
    queued_end: int
    executed: int
    timeline: list[tuple[float, int, int]]


def run_eta(args: argparse.Namespace, admin_url: str, broker: str, tmp: Path) -> EtaResult:
    name = "bench_timers_eta"
    count = args.eta_count
    print(f"\n== baseline: {count:,} reminders as Celery ETA tasks …", flush=True)
    db_url, t, _p, _fill = build(admin_url, name, count, count)
    client = _redis(broker)
    client.flushdb()
    data = tmp / name
    data.mkdir()
    env = worker_env(
        db_url, broker, t, data, CASEWORK_BROKER_VISIBILITY_TIMEOUT=str(args.eta_visibility)
    )
    procs = Processes(data, env)
    engine = make_engine(db_url)
    with engine.connect() as conn:
        ids = [int(i) for i in conn.execute(text("SELECT id FROM timer ORDER BY id")).scalars()]
    engine.dispose()
    try:
        workers = start_workers(procs, args, "eta")
        sampler = Sampler([w.process.pid for w in workers], every=1.0).start()
        time.sleep(args.settle)
        rss_idle = sampler.last()
        tasks = _tasks(env)
        eta = datetime.now(UTC) + timedelta(seconds=args.eta_seconds)
        began = time.monotonic()
        for timer_id in ids:
            tasks.fire.apply_async(([timer_id],), eta=eta)  # one reminder per task
        enqueue_s = time.monotonic() - began
        print(
            f"   sent {count:,} ETA tasks in {enqueue_s:.1f} s; observing for "
            f"{args.eta_observe:.0f} s (visibility_timeout {args.eta_visibility} s)",
            flush=True,
        )
        while time.monotonic() - began < args.eta_observe:
            time.sleep(5)
            total, _m, _k = sampler.last()
            print(
                f"   {time.monotonic() - began:6.1f} s: workers' RSS {total / MIB:.0f} MiB, "
                f"queued {client.llen('celery'):,}, unacked {client.hlen('unacked'):,}",
                flush=True,
            )
        observed_s = time.monotonic() - began
        rss_peak, rss_end = sampler.peak(), sampler.last()
        timeline = [(at - began, m, k) for at, m, k in sampler.samples]
        sampler.stop()
        unacked_end, queued_end = int(client.hlen("unacked")), int(client.llen("celery"))
    finally:
        procs.stop_all()
    outcomes, _runtimes, received = task_log(workers)
    client.flushdb()
    if not args.keep:
        drop_database(admin_url, name)
    copies = list(received.values())
    return EtaResult(
        count=count,
        enqueue_s=enqueue_s,
        visibility=args.eta_visibility,
        observed_s=observed_s,
        rss_idle=rss_idle,
        rss_peak=rss_peak,
        rss_end=rss_end,
        receipts=sum(copies),
        distinct=len(copies),
        redelivered=sum(1 for c in copies if c > 1),
        max_copies=max(copies, default=0),
        unacked_end=unacked_end,
        queued_end=queued_end,
        executed=sum(outcomes.values()),
        timeline=timeline,
    )


# ------------------------------------------------------------------------------ profile


PHASES = {
    "fire_timers": "fire_timers (one batch)",
    "contexts_for": "  contexts_for (the cases' events, calendars, clocks)",
    "calendar_for": "    calendar_for (2 queries per agency, then the cache key)",
    "compute_clocks": "    compute_clocks",
    "reminder": "  texts.reminder",
    "alert_cases": "  alert_cases (recipients; INSERT alerts … ON CONFLICT; inbox rows)",
    "rest": "  the rest (lock the cases and timers, mark them done, flush)",
    "commit": "commit",
    "uow": "unit of work (session, connection checkout with pre-ping, close)",
    "sql": "of all the above, in SQL statements (round trip + server)",
}


def run_profile(args: argparse.Namespace, admin_url: str, tmp: Path) -> None:
    """In this process, no Celery: claim due timers and fire `--profile` of them in batches of
    --batch per unit of work, as the fire task does. Each phase is timed by a wrapper (no
    profiler overhead), SQL statements are counted and timed; then cProfile; then batch
    sizes compared in interleaved rounds."""
    from casework.alerts import texts
    from casework.services import snapshots, sweep

    n, per = args.profile, args.batch
    name = "bench_timers_profile"
    print(f"\n== profile: firing {n:,} due reminders, {per} per transaction, in-process …")
    db_url, t, _p, _fill = build(admin_url, name, 7 * n, 7 * n)
    engine = make_engine(db_url)
    spent: Counter[str] = Counter()
    statements: Counter[str] = Counter()
    started: list[float] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _before(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        words = statement.split()
        table = next((w for w in words[1:] if w.islower() and w.isidentifier()), "")
        statements[f"{words[0]} {table}".strip()] += 1
        started.append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def _after(*_args: Any) -> None:
        spent["sql"] += time.perf_counter() - started.pop()

    originals: list[tuple[Any, str, Any]] = []

    def timed(owner: Any, attr: str) -> None:
        inner = getattr(owner, attr)

        def wrapper(*a: Any, **k: Any) -> Any:
            began = time.perf_counter()
            try:
                return inner(*a, **k)
            finally:
                spent[attr] += time.perf_counter() - began

        originals.append((owner, attr, inner))
        setattr(owner, attr, wrapper)

    for owner, attr in ((sweep, "contexts_for"), (snapshots, "calendar_for"),
                        (snapshots, "compute_clocks"), (texts, "reminder"),
                        (sweep, "alert_cases")):  # fmt: skip
        timed(owner, attr)
    with unit_of_work(engine) as s:
        began = time.perf_counter()
        ids = sweep.claim_due(s, t.now, limit=7 * n)
        claim_s = time.perf_counter() - began
    batches = [ids[i * n : (i + 1) * n] for i in range(3)]

    def fire_all(timer_ids: list[int], per_transaction: int) -> float:
        began = time.perf_counter()
        for i in range(0, len(timer_ids), per_transaction):
            with unit_of_work(engine) as s:
                before = time.perf_counter()
                chunk = timer_ids[i : i + per_transaction]
                outcomes = [f.outcome for f in sweep.fire_timers(s, chunk, t.today)]
                assert outcomes == ["fired"] * len(chunk), Counter(outcomes)
                spent["fire_timers"] += time.perf_counter() - before
                before = time.perf_counter()
                s.commit()
                spent["commit"] += time.perf_counter() - before
        return time.perf_counter() - began

    fire_all(batches[0][:200], per)  # warm up: imports, caches, prepared statements
    statements.clear()
    spent.clear()
    seconds = fire_all(batches[1], per)
    print(f"   claim_due({7 * n}): {claim_s * 1000:.0f} ms")
    print(f"   fire: {seconds / n * 1000:.2f} ms per timer, {n / seconds:.0f}/s in one process")
    print(
        f"   SQL per timer: {sum(statements.values()) / n:.2f} statements + commit: "
        + ", ".join(f"{k} {v / n:.2f}" for k, v in statements.most_common())
    )
    inner = ("contexts_for", "reminder", "alert_cases")
    spent["rest"] = spent["fire_timers"] - sum(spent[k] for k in inner)
    spent["uow"] = seconds - spent["fire_timers"] - spent["commit"]
    print("   time per timer by phase (ms; indented: part of the line above):")
    for key, label in PHASES.items():
        print(f"     {spent[key] / n * 1000:6.3f}  {label}")
    profiler = cProfile.Profile()
    profiler.enable()
    fire_all(batches[2], per)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    print("   cProfile of another batch, by own time:")
    print("\n".join(out.getvalue().splitlines()[4:]))
    for owner, attr, original in reversed(originals):
        setattr(owner, attr, original)
    sizes = (1, 10, 100, 500)
    rounds, chunk = 5, n // 5
    remaining = iter(ids[3 * n :])
    wall: dict[int, list[float]] = {k: [] for k in sizes}
    cpu: dict[int, list[float]] = {k: [] for k in sizes}
    for _round in range(rounds):  # interleaved, so a busy moment does not hit one size only
        for size in sizes:
            timer_ids = [next(remaining) for _ in range(chunk)]
            before = time.process_time()
            wall[size].append(fire_all(timer_ids, size) / chunk)
            cpu[size].append((time.process_time() - before) / chunk)
    print(f"   timers per transaction, {rounds} interleaved rounds of {chunk} (median ms/timer):")
    print("       wall  this process's CPU")
    for size in sizes:
        print(f"     {statistics.median(wall[size]) * 1000:6.3f}  "
              f"{statistics.median(cpu[size]) * 1000:6.3f}  {size} per transaction")  # fmt: skip
    engine.dispose()
    if not args.keep:
        drop_database(admin_url, name)


# ------------------------------------------------------------------------------ report


def mib(value: int) -> str:
    return f"{value / MIB:.0f}"


def secs(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else "timeout"


def report(args: argparse.Namespace, sizes: list[SizeResult], eta: EtaResult | None) -> int:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    print(
        f"\nmachine: {platform.node()}, {os.cpu_count()} CPUs, {mem / 1024**3:.0f} GiB RAM, "
        f"Python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
    print(
        f"workers: {args.workers} × `celery worker --pool {args.pool} --concurrency "
        f"{args.concurrency}`; sweep: {args.trigger}"
        + (f" every {args.sweep_seconds:g} s" if args.trigger == "beat" else "")
    )
    print(
        "\n| pending | due | fill s | all claimed s | all fired s | fired/s | fire ms per timer "
        "| alerts | duplicates | 'gone' | RSS idle MiB | RSS peak MiB (main+children) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in sizes:
        dup = r.dup_alerts + max(0, r.fired - r.due) + r.attempts_gt1
        print(
            f"| {r.pending:,} | {r.due:,} | {r.fill_s:.1f} | {secs(r.claimed_s)} "
            f"| {secs(r.fired_s)} | {r.rate:.0f} | {r.fire_ms:.2f} | {r.alerts:,} | {dup} "
            f"| {r.gone} | {mib(r.rss_idle[0])} | {mib(r.rss_peak[0])} "
            f"({mib(r.rss_peak[1])}+{mib(r.rss_peak[2])}) |"
        )
    for r in sizes:
        extra = f", other outcomes {r.other}" if r.other else ""
        sweeps = f", {r.sweeps} sweep tasks ({r.sweep_ms:.0f} ms each)" if r.sweeps >= 0 else ""
        print(
            f"  {r.pending:,}: {r.notifications:,} inbox rows, 'fired' results {r.fired:,} "
            f"in {r.fire_tasks:,} fire tasks, "
            f"timers with attempts > 1: {r.attempts_gt1}, queue peak {r.queue_peak:,}"
            f"{sweeps}{extra}"
        )
    print("\nCPU per fired timer (ms), from the trigger to the last fire:")
    labels = list(sizes[0].cpu) if sizes else []
    print("| component | " + " | ".join(f"{r.pending:,} pending" for r in sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    for label in [*labels, "total"]:
        cells = []
        for r in sizes:
            value = sum(r.cpu.values()) if label == "total" else r.cpu.get(label, 0.0)
            cells.append(f"{1000 * value / r.due:.2f}")
        print(f"| {label} | " + " | ".join(cells) + " |")
    busy = [sum(r.cpu.values()) / (r.fired_s * (os.cpu_count() or 1)) for r in sizes if r.fired_s]
    print("CPUs busy (all components): " + ", ".join(f"{b:.0%}" for b in busy))
    if eta:
        print(
            f"\nETA baseline: {eta.count:,} tasks, eta +{args.eta_seconds:g} s, "
            f"visibility_timeout {eta.visibility} s, observed {eta.observed_s:.0f} s "
            f"(sent in {eta.enqueue_s:.1f} s)"
        )
        print(
            f"  workers' RSS: idle {mib(eta.rss_idle[0])} MiB → peak {mib(eta.rss_peak[0])} "
            f"MiB (main {mib(eta.rss_peak[1])} + children {mib(eta.rss_peak[2])}); "
            f"end {mib(eta.rss_end[0])} MiB"
        )
        print(
            f"  deliveries: {eta.receipts:,} receipts of {eta.distinct:,} tasks; "
            f"{eta.redelivered:,} tasks delivered more than once (max {eta.max_copies}×); "
            f"at the end {eta.unacked_end:,} unacked, {eta.queued_end:,} queued; "
            f"executed {eta.executed}"
        )
        marks = [m for m in (10, 30, 60, 90, 120, 180, 240) if m <= eta.observed_s]
        points = []
        for m in marks:
            at = min(eta.timeline, key=lambda s, m=m: abs(s[0] - m))
            points.append(f"{m} s {mib(at[1] + at[2])}")
        print("  RSS timeline (MiB): " + ", ".join(points))
    print("\ngoals:")
    ok = True
    big = [r for r in sizes if r.due >= args.due]
    for r in big:
        met = r.fired_s is not None and r.fired_s <= args.goal_seconds
        ok &= met
        print(
            f"  {r.due:,} fired within {args.goal_seconds:g} s at {r.pending:,} pending: "
            f"{secs(r.fired_s)} s → {'met' if met else 'MISSED'}"
        )
    dups = sum(r.dup_alerts + max(0, r.fired - r.due) + r.attempts_gt1 for r in sizes)
    complete = all(r.alerts == r.due for r in sizes)
    print(
        f"  0 duplicates: {dups} → {'met' if dups == 0 else 'MISSED'}; every due timer "
        f"alerted once: {'yes' if complete else 'NO'}"
    )
    ok &= dups == 0 and complete
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        for label, pick in (("idle", 0), ("peak", 1)):
            a = (small.rss_idle, small.rss_peak)[pick][0]
            b = (large.rss_idle, large.rss_peak)[pick][0]
            ratio = b / a if a else float("inf")
            met = ratio <= 1.2
            ok &= met
            print(
                f"  RSS {label} at {large.pending:,} ≤ 1.2× at {small.pending:,}: "
                f"{mib(b)} / {mib(a)} MiB = {ratio:.2f}× → {'met' if met else 'MISSED'}"
            )
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,100000,1000000", help="pending timers per run")
    parser.add_argument("--due", type=int, default=100_000, help="due at once (at most)")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--concurrency", type=int, default=1, help="pool size per worker")
    parser.add_argument("--pool", default="prefork")
    parser.add_argument("--trigger", choices=["beat", "loop"], default="beat")
    parser.add_argument(
        "--sweep-seconds", type=float, default=30.0, help="beat's sweep interval (the default)"
    )
    parser.add_argument("--timeout", type=float, default=3600, help="per size, seconds")
    parser.add_argument("--goal-seconds", type=float, default=120)
    parser.add_argument("--eta-count", type=int, default=50_000, help="0: no baseline")
    parser.add_argument("--eta-seconds", type=float, default=7200, help="ETA from now")
    parser.add_argument("--eta-visibility", type=int, default=10, help="Redis visibility_timeout")
    parser.add_argument("--eta-observe", type=float, default=150, help="seconds to watch")
    parser.add_argument("--profile", type=int, default=0, help="fire N in-process under cProfile")
    parser.add_argument("--batch", type=int, default=100, help="--profile: timers per unit")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds before/after a run")
    parser.add_argument("--postgres-url", help="an existing server (admin URL); else our own")
    parser.add_argument("--pgport", type=int, default=5440, help="port of our own cluster")
    parser.add_argument("--redis-url", help="an existing Redis database (it is FLUSHed)")
    parser.add_argument("--keep", action="store_true", help="keep databases and logs")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.due = "100,2000", min(args.due, 300)
        args.eta_count, args.eta_observe, args.eta_visibility = 300, 8, 2
        args.settle = 0.5
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    tmp = Path(tempfile.mkdtemp(prefix="bench-timers-"))
    os.chmod(tmp, 0o755)
    print(f"logs in {tmp}", flush=True)
    try:
        with (
            postgres_server(args.postgres_url, args.pgport, tmp / "pg") as admin,
            redis_server(args.redis_url, tmp) as broker,
        ):
            if args.profile:
                run_profile(args, admin, tmp)
                return 0
            results = [run_size(args, admin, broker, tmp, n) for n in sizes]
            eta = run_eta(args, admin, broker, tmp) if args.eta_count else None
            code = report(args, results, eta)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
