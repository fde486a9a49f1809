"""Benchmark: the HTTP API (``api.app``) against a bare FastAPI endpoint doing equivalent SQL,
on SQLite and on PostgreSQL, in the same run on the same machine. Issue 5, item 7.

Two servers per backend, each ``uvicorn --workers 2`` on 127.0.0.1 (uvicorn[standard]: uvloop,
httptools): **casework** (``api.app:create_app``, a freshly migrated database, an agency and one
clerk per client seeded through the services, bearer tokens from ``POST /api/v1/auth/login``)
and the **baseline** (``create_baseline_app`` below: plain SQLAlchemy Core on the same migrated
schema, no auth, no domain logic, each request one transaction). Two workloads, each with
--clients concurrent keep-alive clients (threads with an ``httpx.Client`` each, spread evenly
over the two worker processes):

- **register + act**: ``POST /api/v1/cases`` then ``POST /api/v1/cases/{id}/actions/assign``
  (``If-Match`` the ETag of the registration); one operation = the pair. The baseline inserts
  an applicant, a case and an event row, then updates the case (compare-and-set on its
  version) and inserts a second event.
- **GET**: ``GET /api/v1/cases/{id}`` on cases registered before. The baseline selects the case
  with its applicant, then its events, and returns them as JSON.

Measured per phase: operations per second, per-request latency p50/p99, errors, and CPU time
per operation of the server processes, of PostgreSQL and of this process (the clients). The
servers' phases are interleaved (their order alternates by round) and the table shows the
median of --repeats rounds. ``--profile N`` runs both apps in-process instead (no uvicorn) and
times where a request's time goes, with the SQL statements it sends.

Needs PostgreSQL binaries (or --postgres-url) for the PostgreSQL rows. Run from the repository
root: ``python benchmarks/api.py`` (about 10 min on 2 CPUs), ``--quick`` (about 1 min),
``--profile 300``. Results and their analysis: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

# benchmarks/calendar.py would shadow the standard library's ``calendar`` (httpx imports it):
# drop this folder from the import path, and import the repository's packages. The baseline
# app is served from this file as ``benchmarks.api`` (a namespace package under the root).
_HERE = Path(__file__).resolve().parent
_ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_ROOT))

import httpx  # noqa: E402
from fastapi import FastAPI, Header  # noqa: E402
from fastapi.responses import JSONResponse  # noqa: E402
from pydantic import BaseModel  # noqa: E402
from sqlalchemy import Engine, create_engine, event, func, insert, select, update  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

import casework.models  # noqa: E402, F401  (the tables, in SQLModel.metadata)
from benchmarks.timers import (  # noqa: E402
    SERVICE_PIDS,
    _children_map,
    drop_database,
    fresh_database,
    postgres_server,
    tree_cpu,
)
from casework import migrate  # noqa: E402
from casework.db import make_engine, read_session, unit_of_work  # noqa: E402
from casework.services import auth, directory  # noqa: E402
from casework.timeutil import utcnow  # noqa: E402
from workflows.actions import WORKFLOW_VERSION  # noqa: E402
from workflows.payloads import PAYLOAD_SCHEMA_VERSION  # noqa: E402
from workflows.roles import Role  # noqa: E402

TODAY = "2026-11-26"  # CASEWORK_TODAY of the casework server
PASSWORD = "correct-horse-1"
AGENCY = "bench"
BASELINE_ENV = "BENCH_API_BASELINE_URL"  # the baseline server's database
TICK = os.sysconf("SC_CLK_TCK")
WORKLOADS = ("register+act", "GET")


def register_body(agency: str) -> dict[str, Any]:
    """What a clerk sends to register a request (as tests/api/conftest.py World.register)."""
    return {
        "agency": agency,
        "applicant": {"kind": "natural_person", "name": "张三", "id_number": "110101199003070011", "phone": "13800000000"},
        "channel": "in_person",
        "submitted_on": "2026-11-20",
        "request": "某项目环境影响评价报告",
    }  # fmt: skip


# ------------------------------------------------------------------------- the baseline app


def baseline_engine(url: str) -> Engine:
    """Connections set up as casework.db.make_engine does, written out here: on SQLite WAL, a
    busy timeout, foreign keys, synchronous=NORMAL and our own BEGIN (IMMEDIATE for writes);
    on PostgreSQL psycopg 3 with pool_pre_ping."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": 10})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "busy_timeout=10000", "foreign_keys=ON",
                       "synchronous=NORMAL"):  # fmt: skip
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql(f"BEGIN {conn.get_execution_options().get('sqlite_begin', '')}")

    return engine


class ApplicantIn(BaseModel):
    kind: str
    name: str
    id_number: str | None = None
    phone: str | None = None


class RegisterIn(BaseModel):
    agency: str
    applicant: ApplicantIn
    channel: str
    submitted_on: date
    request: str


class AssignIn(BaseModel):
    handler: str


def _plain(row: Any) -> dict[str, Any]:
    return {
        k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in row._mapping.items()
    }


def create_baseline_app() -> FastAPI:
    """A bare FastAPI app on the migrated schema's real tables (``cases``, ``case_event``,
    ``applicant``), SQLAlchemy Core, no auth; the database from $BENCH_API_BASELINE_URL. The
    same paths as the real API, so the clients send the same requests to both."""
    engine = baseline_engine(os.environ[BASELINE_ENV])
    writer = engine.execution_options(sqlite_begin="IMMEDIATE")
    tables = SQLModel.metadata.tables
    cases, events, applicants = tables["cases"], tables["case_event"], tables["applicant"]
    agencies, users = tables["agency"], tables["app_user"]
    app = FastAPI(title="baseline")
    app.state.engine = engine

    def event_row(case_id: Any, action: str, from_state: str | None, payload: Any) -> Any:
        return insert(events).values(
            case_id=case_id,
            seq=select(func.coalesce(func.max(events.c.seq), 0) + 1)
            .where(events.c.case_id == case_id)
            .scalar_subquery(),
            action=action,
            from_state=from_state,
            to_state="received",
            effective_on=date.fromisoformat(TODAY),
            recorded_at=utcnow(),
            actor_kind="user",
            actor_name="baseline",
            payload=payload,
            payload_schema=PAYLOAD_SCHEMA_VERSION,
            workflow_version=WORKFLOW_VERSION,
        )

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/api/v1/cases", status_code=201)
    def register(body: RegisterIn) -> JSONResponse:
        now = utcnow()
        with writer.begin() as conn:
            applicant_id = conn.execute(
                insert(applicants)
                .values(**body.applicant.model_dump(), created_at=now)
                .returning(applicants.c.id)
            ).scalar_one()
            case = conn.execute(
                insert(cases)
                .values(
                    agency_id=select(agencies.c.id)
                    .where(agencies.c.code == body.agency)
                    .scalar_subquery(),
                    ref=f"B-{uuid.uuid4().hex[:12]}",
                    applicant_id=applicant_id,
                    applicant_kind=body.applicant.kind,
                    channel=body.channel,
                    submitted_on=body.submitted_on,
                    received_on=body.submitted_on,
                    request_text=body.request,
                    state="received",
                    workflow_version=WORKFLOW_VERSION,
                    version=1,
                    reply_paused=False,
                    due_provisional=False,
                    created_at=now,
                    updated_at=now,
                )
                .returning(*cases.c)
            ).one()
            payload = body.model_dump(mode="json", exclude={"applicant", "agency"})
            conn.execute(event_row(case.id, "register", None, payload))
        headers = {"ETag": f'"{case.version}"', "Location": f"/api/v1/cases/{case.id}"}
        return JSONResponse(_plain(case), status_code=201, headers=headers)

    @app.post("/api/v1/cases/{case_id}/actions/assign")
    def assign(
        case_id: int, body: AssignIn, if_match: str = Header(alias="If-Match")
    ) -> JSONResponse:
        version = int(if_match.strip('"'))
        with writer.begin() as conn:
            case = conn.execute(
                update(cases)
                .where(cases.c.id == case_id, cases.c.version == version)
                .values(
                    handler_id=select(users.c.id)
                    .where(users.c.username == body.handler)
                    .scalar_subquery(),
                    version=cases.c.version + 1,
                    updated_at=utcnow(),
                )
                .returning(*cases.c)
            ).one_or_none()
            if case is None:
                return JSONResponse({"detail": "version"}, status_code=409)
            conn.execute(event_row(case_id, "assign", "received", body.model_dump()))
        return JSONResponse(_plain(case), headers={"ETag": f'"{case.version}"'})

    @app.get("/api/v1/cases/{case_id}")
    def detail(case_id: int) -> JSONResponse:
        with engine.connect() as conn:
            found = conn.execute(
                select(
                    cases,
                    applicants.c.kind,
                    applicants.c.name,
                    applicants.c.id_number,
                    applicants.c.phone,
                )
                .join(applicants, applicants.c.id == cases.c.applicant_id)
                .where(cases.c.id == case_id)
            ).one_or_none()
            if found is None:
                return JSONResponse({"detail": "not found"}, status_code=404)
            history = conn.execute(
                select(events).where(events.c.case_id == case_id).order_by(events.c.seq)
            ).all()
        out = _plain(found)
        out["events"] = [_plain(e) for e in history]
        return JSONResponse(out, headers={"ETag": f'"{found.version}"'})

    return app


# -------------------------------------------------------------------------------- servers


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    name: str  # casework, baseline
    backend: str
    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    workers: list[int] = field(default_factory=list)  # the uvicorn worker processes
    # registered by the benchmark, by agency code (a clerk sees their own agency's cases only)
    case_ids: dict[str, list[int]] = field(default_factory=dict)
    tokens: list[str] = field(default_factory=list)  # one per client (casework only)
    stack: str = ""  # the HTTP parser and event loop the workers loaded

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start_server(
    name: str, backend: str, factory: str, env: dict[str, str], tmp: Path, workers: int
) -> Server:
    port = _free_port()
    log = tmp / f"{backend}-{name}.log"
    argv = [sys.executable, "-m", "uvicorn", factory, "--factory", "--host", "127.0.0.1",
            "--port", str(port), "--workers", str(workers), "--no-access-log"]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, cwd=_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(name, backend, f"http://127.0.0.1:{port}", port, process, log)
    deadline = time.monotonic() + 60
    while server.text().count("Application startup complete.") < workers:
        if process.poll() is not None or time.monotonic() > deadline:
            stop_server(server)
            raise SystemExit(f"{name} ({backend}) did not start:\n{server.text()[-3000:]}")
        time.sleep(0.1)
    children = _children_map().get(process.pid, [])
    server.workers = [pid for pid in children if b"spawn_main" in _cmdline(pid)]
    if len(server.workers) != workers:
        raise SystemExit(f"{name}: expected {workers} worker processes, found {children}")
    maps = Path(f"/proc/{server.workers[0]}/maps").read_text()
    server.stack = ", ".join(m for m in ("httptools", "uvloop") if m in maps) or "h11, asyncio"
    return server


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def stop_server(server: Server) -> None:
    if server.process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.process.wait(timeout=20)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait()


def _socket_inode(server_port: int, client_port: int) -> str | None:
    """The inode of the server side of the TCP connection from `client_port` (IPv4)."""
    want_local, want_remote = f"{server_port:04X}", f"{client_port:04X}"
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        parts = line.split()
        if parts[1].endswith(":" + want_local) and parts[2].endswith(":" + want_remote):
            return parts[9]
    return None


def worker_of(server: Server, client_port: int) -> int | None:
    """Which worker process accepted the connection from `client_port`."""
    inode = _socket_inode(server.port, client_port)
    if inode is None:
        return None
    target = f"socket:[{inode}]"
    for pid in server.workers:
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd) == target:
                        return pid
    return None


def balanced_clients(server: Server, count: int) -> tuple[list[httpx.Client], Counter[int]]:
    """`count` keep-alive clients, each on its own connection, spread evenly over the worker
    processes: the kernel gives each new connection to whichever worker accepts first, and a
    keep-alive connection stays with that worker, so 8 connections may land unevenly."""
    cap = -(-count // len(server.workers))
    per: Counter[int] = Counter()
    clients: list[httpx.Client] = []
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=120)
    for i in range(count):
        headers = {"Authorization": f"Bearer {server.tokens[i]}"} if server.tokens else {}
        for attempt in range(1, 501):
            client = httpx.Client(base_url=server.url, headers=headers, limits=limits, timeout=60)
            answer = client.get("/healthz")
            answer.raise_for_status()
            stream = answer.extensions["network_stream"]
            pid = worker_of(server, int(stream.get_extra_info("client_addr")[1]))
            if (pid is not None and per[pid] < cap) or attempt == 500:
                break  # after 500 tries, keep it anyway (the split is reported)
            client.close()
            if attempt > 50:  # a busy machine may favour one worker: give the other a moment
                time.sleep(0.005)
        per[pid or 0] += 1
        clients.append(client)
    return clients, per


# ------------------------------------------------------------------------------ databases


@dataclass(frozen=True)
class Clerk:
    username: str
    agency: str  # the code of the agency the clerk registers in


def seed(url: str, clerks: int, agencies: int) -> list[Clerk]:
    """Migrate, then `agencies` agencies and `clerks` clerks spread over them (clerk i in
    agency i mod `agencies`), through the services as the API tests' `world` fixture does."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    out = [Clerk(f"clerk{i + 1}", f"{AGENCY}{i % agencies + 1}") for i in range(clerks)]
    with unit_of_work(engine) as s:
        for a in range(1, agencies + 1):
            directory.ensure_agency(s, f"{AGENCY}{a}", f"基准测试机关{a}")
        for i, clerk in enumerate(out, 1):
            user = directory.add_user(s, clerk.username, f"经办人{i}")
            auth.set_password(s, user, PASSWORD, utcnow())
            directory.grant(s, user, directory.agency_by_code(s, clerk.agency), Role.CLERK)
    engine.dispose()
    return out


@contextlib.contextmanager
def databases(
    backend: str, admin_url: str | None, tmp: Path, keep: bool
) -> Iterator[tuple[str, str]]:
    """Two fresh databases with the migrated schema: casework's and the baseline's."""
    if backend == "sqlite":
        yield (f"sqlite:///{tmp / 'casework.sqlite'}", f"sqlite:///{tmp / 'baseline.sqlite'}")
        return
    assert admin_url is not None
    names = ("bench_api_casework", "bench_api_baseline")
    urls = [fresh_database(admin_url, n) for n in names]
    try:
        yield urls[0], urls[1]
    finally:
        if not keep:
            for n in names:
                drop_database(admin_url, n)


# ------------------------------------------------------------------------------ workloads


@dataclass
class Phase:
    """One measured run of one workload against one server."""

    server: str
    workload: str
    ops: int  # attempted
    ok: int  # every request of the operation answered as expected
    seconds: float
    latencies: list[float]  # seconds, every request
    by_kind: dict[str, list[float]]
    errors: Counter[str]
    samples: list[str]  # an unexpected answer of each kind
    cpu: dict[str, float]  # CPU seconds during the phase
    split: Counter[int]  # clients per worker process
    response_bytes: float

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def pct(self, q: float, kind: str | None = None) -> float:
        return percentile(self.by_kind[kind] if kind else self.latencies, q)


def percentile(values: list[float], q: float) -> float:
    """Nearest rank, in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank] * 1000


def cpu_now(server: Server) -> dict[str, float]:
    children = _children_map()
    out = {"server": sum(tree_cpu([server.process.pid], children))}
    if "postgres" in SERVICE_PIDS:
        out["postgres"] = sum(tree_cpu([SERVICE_PIDS["postgres"]], children))
    own = os.times()
    out["clients"] = own.user + own.system
    out["machine"] = machine_busy()
    return out


def machine_busy() -> float:
    """CPU seconds all processes of the machine have used since boot (from /proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / TICK


@dataclass
class Recorder:
    """Per-thread results (no locks while measuring)."""

    latencies: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    samples: dict[str, str] = field(default_factory=dict)  # the first answer of each error
    created: list[int] = field(default_factory=list)
    response_bytes: int = 0

    def request(
        self, kind: str, send: Callable[[], httpx.Response], expected: int
    ) -> httpx.Response | None:
        began = time.perf_counter()
        try:
            answer = send()
        except httpx.HTTPError as error:
            self.errors[f"{kind}: {type(error).__name__}"] += 1
            return None
        spent = time.perf_counter() - began
        self.latencies.append(spent)
        self.by_kind.setdefault(kind, []).append(spent)
        self.response_bytes += len(answer.content)
        if answer.status_code != expected:
            key = f"{kind}: {answer.status_code}"
            self.errors[key] += 1
            if key not in self.samples:
                request = answer.request
                self.samples[key] = (
                    f"{request.method} {request.url.path} → {answer.status_code} "
                    f"{answer.text[:400]}"
                )
            return None
        return answer


def register_and_act(client: httpx.Client, rec: Recorder, clerk: Clerk) -> bool:
    body = register_body(clerk.agency)
    answer = rec.request("register", lambda: client.post("/api/v1/cases", json=body), 201)
    if answer is None:
        return False
    case_id = int(answer.json()["id"])
    rec.created.append(case_id)
    etag = answer.headers.get("ETag", '"1"')
    assigned = rec.request(
        "act",
        lambda: client.post(
            f"/api/v1/cases/{case_id}/actions/assign",
            headers={"If-Match": etag},
            json={"handler": clerk.username},
        ),
        200,
    )
    return assigned is not None


def run_phase(
    server: Server,
    workload: str,
    ops: int,
    clients: int,
    clerks: list[Clerk],
    rng: random.Random,
) -> Phase:
    """`ops` operations from `clients` threads (each its own keep-alive client), all started
    together; each thread takes the next operation until none is left."""
    pool, split = balanced_clients(server, clients)
    # what each GET asks for: a case of the agency of the client that will send it
    seeds = [rng.random() for _ in pool]
    counter = itertools.count()
    lock = threading.Lock()
    recorders = [Recorder() for _ in pool]
    ok = [0] * len(pool)
    start = threading.Barrier(len(pool) + 1)

    def take() -> int | None:
        with lock:
            i = next(counter)
        return i if i < ops else None

    def loop(n: int) -> None:
        client, rec = pool[n], recorders[n]
        pick = random.Random(seeds[n])
        own = server.case_ids.get(clerks[n].agency, [])
        start.wait()
        while take() is not None:
            if workload == "GET":
                path = f"/api/v1/cases/{pick.choice(own)}"
                done = rec.request("get", partial(client.get, path), 200) is not None
            else:
                done = register_and_act(client, rec, clerks[n])
            ok[n] += done

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(len(pool))]
    for thread in threads:
        thread.start()
    before = cpu_now(server)
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    after = cpu_now(server)
    for client in pool:
        client.close()
    by_kind: dict[str, list[float]] = {}
    for rec in recorders:
        for kind, values in rec.by_kind.items():
            by_kind.setdefault(kind, []).extend(values)
    for rec, clerk in zip(recorders, clerks, strict=False):
        server.case_ids.setdefault(clerk.agency, []).extend(rec.created)
    latencies = [x for rec in recorders for x in rec.latencies]
    return Phase(
        server=server.name,
        workload=workload,
        ops=ops,
        ok=sum(ok),
        seconds=seconds,
        latencies=latencies,
        by_kind=by_kind,
        errors=sum((rec.errors for rec in recorders), Counter()),
        samples=list({k: v for rec in recorders for k, v in rec.samples.items()}.values()),
        cpu={k: after[k] - before[k] for k in after},
        split=split,
        response_bytes=sum(rec.response_bytes for rec in recorders) / max(1, len(latencies)),
    )


def login_all(server: Server, users: list[str]) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        for name in users:
            answer = client.post(
                "/api/v1/auth/login", json={"username": name, "password": PASSWORD}
            )
            if answer.status_code != 200:
                raise SystemExit(f"login of {name} failed: {answer.status_code} {answer.text}")
            server.tokens.append(str(answer.json()["token"]))


def report_log(server: Server, kept: bool) -> None:
    """Tracebacks in a server's log: how many, and the exceptions' last lines."""
    lines = server.text().splitlines()
    count = sum(line.startswith("Traceback") for line in lines)
    if not count:
        return
    last = Counter(
        line[:200] for line in lines if line and not line[0].isspace() and "Error:" in line
    )
    where = str(server.log) if kept else "(--keep keeps the log)"
    print(f"   !! {server.name} ({server.backend}) logged {count} tracebacks {where}:")
    for line, n in last.most_common(4):
        print(f"      {n} × {line}")


def run_backend(
    args: argparse.Namespace, backend: str, admin_url: str | None, tmp: Path
) -> list[Phase]:
    """Both servers on fresh databases of one backend; warm-up; then --repeats rounds, each
    running every workload on both servers (the order alternating by round)."""
    folder = tmp / backend
    folder.mkdir()
    results: list[Phase] = []
    with databases(backend, admin_url, folder, args.keep) as (cw_url, bl_url):
        clerks = seed(cw_url, args.clients, args.agencies)
        seed(bl_url, args.clients, args.agencies)
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORK_")}
        cw_env = base_env | {
            "CASEWORK_DATABASE_URL": cw_url,
            "CASEWORK_TODAY": TODAY,
            "CASEWORK_DATA_DIR": str(folder / "data"),
        }
        bl_env = base_env | {BASELINE_ENV: bl_url}
        servers: list[Server] = []
        try:
            servers.append(
                start_server("casework", backend, "api.app:create_app", cw_env, folder, 2)
            )
            servers.append(
                start_server(
                    "baseline", backend, "benchmarks.api:create_baseline_app", bl_env, folder, 2
                )
            )
            print(f"   {backend}: uvicorn workers run on " + "; ".join(
                f"{s.name} {s.stack}" for s in servers))  # fmt: skip
            login_all(servers[0], [c.username for c in clerks])
            servers[1].tokens = list(servers[0].tokens)  # sent, and ignored: the same bytes
            rng = random.Random(5)
            cpus = os.cpu_count() or 1
            for server in servers:  # warm-up: connections, imports, caches, some cases to GET
                for workload in WORKLOADS:
                    run_phase(server, workload, args.warmup, args.clients, clerks, rng)
            for round_ in range(args.repeats):
                order = servers if round_ % 2 == 0 else servers[::-1]
                for workload in WORKLOADS:
                    ops = args.ops if workload == "register+act" else args.gets
                    for server in order:
                        phase = run_phase(server, workload, ops, args.clients, clerks, rng)
                        results.append(phase)
                        print(
                            f"   {backend} round {round_ + 1} {server.name:8} {workload:12} "
                            f"{phase.rate:7.1f} ops/s  p50 {phase.pct(50):6.1f} ms  "
                            f"p99 {phase.pct(99):6.1f} ms  errors {sum(phase.errors.values())}"
                            f"  clients per worker {sorted(phase.split.values())}"
                            f"  machine busy {phase.cpu['machine'] / phase.seconds / cpus:.0%}",
                            flush=True,
                        )
        finally:
            for server in servers:
                stop_server(server)
                report_log(server, args.keep)
    return results


# ------------------------------------------------------------------------ in-process profile


@dataclass
class Spent:
    """Time per named phase and SQL statements, summed over the profiled requests."""

    times: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    statements: Counter[str] = field(default_factory=Counter)
    started: list[float] = field(default_factory=list)


@contextlib.contextmanager
def instrument(engine: Engine, spent: Spent) -> Iterator[None]:
    """Count and time the SQL statements and commits sent through `engine`, and on SQLite the
    time the write lock is held (from BEGIN IMMEDIATE to the COMMIT or ROLLBACK)."""
    held: dict[int, float] = {}
    sqlite = engine.dialect.name == "sqlite"

    def before(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        words = statement.split()
        if words[0] == "BEGIN":  # "BEGIN IMMEDIATE" takes SQLite's write lock
            key = " ".join(words)
        else:
            table = next((w for w in words[1:] if w.islower() and w.isidentifier()), "")
            key = f"{words[0]} {table}".strip()
        spent.statements[key] += 1
        spent.started.append(time.perf_counter())

    def after(*_args: Any) -> None:
        spent.times["sql"] += time.perf_counter() - spent.started.pop()

    def begun(conn: Any) -> None:  # after casework's own listener has sent BEGIN
        if sqlite and conn.get_execution_options().get("sqlite_begin") == "IMMEDIATE":
            held[id(conn)] = time.perf_counter()

    def ended(conn: Any, key: str = "lock") -> None:
        began = held.pop(id(conn), None)
        if began is not None:
            spent.times[key] += time.perf_counter() - began
            spent.times["lock.all"] += time.perf_counter() - began

    def rolled_back(conn: Any) -> None:
        ended(conn, "lock.rollback")

    listeners = [("before_cursor_execute", before), ("after_cursor_execute", after),
                 ("begin", begun), ("commit", ended), ("rollback", rolled_back)]  # fmt: skip
    for name, fn in listeners:
        event.listen(engine, name, fn)
    commit = engine.dialect.do_commit

    def timed_commit(dbapi_connection: Any) -> None:
        began = time.perf_counter()
        try:
            commit(dbapi_connection)
        finally:
            spent.times["sql"] += time.perf_counter() - began
            spent.statements["COMMIT"] += 1

    engine.dialect.do_commit = timed_commit  # type: ignore[method-assign]
    try:
        yield
    finally:
        engine.dialect.do_commit = commit  # type: ignore[method-assign]
        for name, fn in listeners:
            event.remove(engine, name, fn)


@contextlib.contextmanager
def wrapped(spent: Spent, targets: list[tuple[Any, str, str]]) -> Iterator[None]:
    """Time calls of `owner.attr` under `label` (nested labels are counted in both)."""
    originals: list[tuple[Any, str, Any]] = []
    for owner, attr, label in targets:
        inner = getattr(owner, attr)

        def wrapper(*a: Any, _inner: Any = inner, _label: str = label, **k: Any) -> Any:
            began = time.perf_counter()
            try:
                return _inner(*a, **k)
            finally:
                spent.times[_label] += time.perf_counter() - began

        originals.append((owner, attr, inner))
        setattr(owner, attr, wrapper)
    try:
        yield
    finally:
        for owner, attr, inner in reversed(originals):
            setattr(owner, attr, inner)


PROFILE_LABELS = {
    "request": "whole request, as the in-process client sees it",
    "auth.authenticate": "  login: token → user (2 SELECTs)",
    "scope_of": "  visibility: the user's roles and every agency (2 SELECTs)",
    "visible_case": "  load the case",
    "perform": "  perform (register / assign; commit not included)",
    "run_due": "    expiries due before the action (assign only)",
    "context_for": "    context_for: events, calendar, clocks",
    "compute_clocks": "    compute_clocks after the new event",
    "timers.sync": "    timers.sync: the case's timer rows",
    "detail": "  the detail answer (case_detail + CaseDetail.model_validate)",
    "case_detail": "    case_detail",
    "detail.context_for": "      context_for: events, calendar, clocks (again)",
    "actions_allowed": "      actions_allowed",
    "sql": "SQL: statements + commits, wherever they run",
    "lock.all": "SQLite write lock held (BEGIN IMMEDIATE → COMMIT or ROLLBACK)",
    "lock": "  in transactions that commit",
    "lock.rollback": "  in transactions that end without a commit (the answer, after the commit)",
}


@dataclass
class Profiler:
    """One app in-process: requests one at a time, each request's phases and SQL recorded."""

    name: str
    client: Any  # fastapi.testclient.TestClient
    clerk: Clerk
    targets: list[tuple[Any, str, str]]
    live: Spent = field(default_factory=Spent)
    spent: dict[str, Spent] = field(
        default_factory=lambda: {kind: Spent() for kind in ("register", "act", "get")}
    )
    sizes: Counter[str] = field(default_factory=Counter)
    ids: list[int] = field(default_factory=list)

    def reset(self) -> None:
        for s in self.spent.values():
            s.times.clear()
            s.statements.clear()
        self.sizes.clear()

    def send(self, kind: str, call: Callable[[], httpx.Response], expected: int) -> Any:
        self.live.times.clear()
        self.live.statements.clear()
        with wrapped(self.live, self.targets):
            began = time.perf_counter()
            answer = call()
            self.live.times["request"] += time.perf_counter() - began
        assert answer.status_code == expected, (kind, answer.status_code, answer.text)
        for key, value in self.live.times.items():
            self.spent[kind].times[key] += value
        self.spent[kind].statements.update(self.live.statements)
        self.sizes[kind] += len(answer.content)
        return answer.json()

    def one(self) -> None:
        """Register a case and assign it."""
        body = register_body(self.clerk.agency)
        case = self.send("register", lambda: self.client.post("/api/v1/cases", json=body), 201)
        path = f"/api/v1/cases/{case['id']}/actions/assign"
        headers = {"If-Match": f'"{case["version"]}"'}
        handler = {"handler": self.clerk.username}
        self.send("act", lambda: self.client.post(path, headers=headers, json=handler), 200)
        self.ids.append(int(case["id"]))

    def get(self, case_id: int) -> None:
        self.send("get", lambda: self.client.get(f"/api/v1/cases/{case_id}"), 200)


def run_profile(args: argparse.Namespace, backend: str, admin_url: str | None, tmp: Path) -> None:
    """Both apps in this process through Starlette's TestClient (no uvicorn, no network), one
    request at a time: where the time of a casework request goes, against the baseline's."""
    with warnings.catch_warnings():  # Starlette would rather have httpx2 for its TestClient
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    import api.deps
    import api.routers.actions
    import api.routers.cases
    from casework.db import engine_for
    from casework.services import perform as perform_module
    from casework.services import queries, timers
    from casework.settings import get_settings

    n = args.profile
    folder = tmp / f"profile-{backend}"
    folder.mkdir()
    print(f"\n== profile ({backend}): {n} register+act and {n} GET, in-process, one at a time")
    with databases(backend, admin_url, folder, args.keep) as (cw_url, bl_url):
        clerk = seed(cw_url, 1, 1)[0]
        seed(bl_url, 1, 1)
        saved = dict(os.environ)
        os.environ.update(
            CASEWORK_DATABASE_URL=cw_url,
            CASEWORK_TODAY=TODAY,
            CASEWORK_DATA_DIR=str(folder / "data"),
        )
        os.environ[BASELINE_ENV] = bl_url
        get_settings.cache_clear()
        engines: dict[str, Engine] = {}
        try:
            from api.app import create_app

            cw_client = TestClient(create_app())
            token = cw_client.post(
                "/api/v1/auth/login", json={"username": clerk.username, "password": PASSWORD}
            ).json()["token"]
            cw_client.headers["Authorization"] = f"Bearer {token}"
            baseline = create_baseline_app()
            bl_client = TestClient(baseline)
            engines.update(casework=engine_for(get_settings()), baseline=baseline.state.engine)
            targets: list[tuple[Any, str, str]] = [
                (auth, "authenticate", "auth.authenticate"),
                (api.deps, "scope_of", "scope_of"),
                (api.routers.cases, "visible_case", "visible_case"),
                (api.routers.actions, "visible_case", "visible_case"),
                (api.routers.cases, "perform", "perform"),
                (api.routers.actions, "perform", "perform"),
                (timers, "run_due", "run_due"),
                (perform_module, "context_for", "context_for"),
                (perform_module, "compute_clocks", "compute_clocks"),
                (timers, "sync", "timers.sync"),
                (api.routers.cases, "detail", "detail"),
                (api.routers.actions, "detail", "detail"),
                (api.routers.cases, "case_detail", "case_detail"),
                (queries, "context_for", "detail.context_for"),
                (queries, "actions_allowed", "actions_allowed"),
            ]
            profilers = [
                Profiler("casework", cw_client, clerk, targets),
                Profiler("baseline", bl_client, clerk, []),
            ]
            with contextlib.ExitStack() as stack:
                for profiler in profilers:
                    stack.enter_context(instrument(engines[profiler.name], profiler.live))
                    for _ in range(20):  # warm-up: imports, caches, prepared statements
                        profiler.one()
                    profiler.reset()
                rng = random.Random(7)
                chunk = max(1, n // 5)
                for start in range(0, n, chunk):  # interleaved: a busy moment hits both apps
                    for profiler in profilers:
                        for _ in range(min(chunk, n - start)):
                            profiler.one()
                        for case_id in rng.choices(profiler.ids, k=min(chunk, n - start)):
                            profiler.get(case_id)
            table = {
                (p.name, kind): (p.spent[kind], n, p.sizes[kind] / n)
                for p in profilers
                for kind in p.spent
            }
            print_profile(table)
            profile_services(engines["casework"], clerk, n)
        finally:
            os.environ.clear()
            os.environ.update(saved)
            get_settings.cache_clear()
            for engine in engines.values():
                engine.dispose()


def profile_services(engine: Engine, clerk: Clerk, n: int) -> None:
    """cProfile of what the casework routes call, in this thread (the HTTP layer left out):
    `n` times register + assign through `perform`, then `n` times what a GET does (the token,
    the scope, the case detail). Own time grouped by package."""
    import cProfile
    import pstats

    from casework.services import auth as auth_service
    from casework.services.access import scope_of
    from casework.services.perform import perform
    from casework.services.queries import case_detail
    from casework.settings import get_settings
    from workflows.roles import Actor, ActorKind

    today = get_settings().current_day()
    with unit_of_work(engine) as s:
        user = directory.user_by_name(s, clerk.username)
        token = auth_service.login(
            s, clerk.username, PASSWORD, kind="bearer", remote=None, now=utcnow(),
            settings=get_settings(),
        )  # fmt: skip
    assert token is not None
    actor = Actor(ActorKind.USER, clerk.username, frozenset({Role.CLERK}), user.id)
    ids: list[int] = []

    def write() -> None:
        with unit_of_work(engine) as s:
            body = register_body(clerk.agency)
            case = perform(s, action="register", payload=body, actor=actor, today=today).case
            assert case.id is not None
            ids.append(case.id)
        with unit_of_work(engine) as s:
            payload = {"handler": clerk.username}
            perform(s, case_id=case.id, action="assign", payload=payload, actor=actor,
                    today=today, expected_version=1)  # fmt: skip

    def read(case_id: int) -> None:
        from casework.models import Case

        with read_session(engine) as s:
            found = auth_service.authenticate(s, token.token, utcnow())
            assert found is not None
            scope_of(s, found[0], today)
            case = s.get(Case, case_id)
            assert case is not None
            case_detail(s, case, actor, today)

    for _ in range(10):
        write()
    groups: dict[str, Counter[str]] = {}
    for label, work in (("register+assign", write), ("GET", lambda: read(ids[-1]))):
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(n):
            work()
        profiler.disable()
        own: Counter[str] = Counter()
        stats: Any = pstats.Stats(profiler)
        for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
            own[package_of(filename, name)] += tottime
        groups[label] = own
    print("\ncProfile of the services the routes call (no HTTP layer), own time by package:")
    for label, own in groups.items():
        total = sum(own.values())
        parts = ", ".join(f"{k} {v / total:.0%}" for k, v in own.most_common(8))
        print(f"  {label} ({total / n * 1000:.1f} ms per op under the profiler): {parts}")


def package_of(filename: str, name: str) -> str:
    if "site-packages/" in filename:
        parts = filename.split("site-packages/")[1].split("/")
        if parts[0] == "sqlalchemy":
            return "sqlalchemy.orm" if parts[1] == "orm" else "sqlalchemy (core, engine)"
        return parts[0].removesuffix(".py")
    if filename.startswith(str(_ROOT)):
        return filename[len(str(_ROOT)) + 1 :].split("/")[0]
    if "sqlite3" in name or "psycopg" in name:
        return "driver (C)"
    return "Python itself (stdlib, builtins)"


def print_profile(table: dict[tuple[str, str], tuple[Spent, int, float]]) -> None:
    kinds = ("register", "act", "get")
    print("\nms per request (median not available in-process: these are means)")
    print("| | " + " | ".join(f"casework {k}" for k in kinds) + " | "
          + " | ".join(f"baseline {k}" for k in kinds) + " |")  # fmt: skip
    print("|---|" + "---:|" * 6)
    for key, label in PROFILE_LABELS.items():
        cells = []
        for name in ("casework", "baseline"):
            for kind in kinds:
                spent, n, _size = table[(name, kind)]
                value = spent.times.get(key)
                cells.append(f"{value / n * 1000:.2f}" if value else "")
        if any(cells):
            depth = (len(label) - len(label.lstrip())) // 2
            print(f"| {'· ' * depth}{label.strip()} | " + " | ".join(cells) + " |")
    rows = []
    for name in ("casework", "baseline"):
        for kind in kinds:
            spent, n, _size = table[(name, kind)]
            rows.append(f"{sum(spent.statements.values()) / n:.1f}")
    print("| SQL statements (with COMMIT) | " + " | ".join(rows) + " |")
    rows = [f"{table[(name, kind)][2]:,.0f}" for name in ("casework", "baseline") for kind in kinds]
    print("| response bytes | " + " | ".join(rows) + " |")
    for name in ("casework", "baseline"):
        for kind in kinds:
            spent, n, _size = table[(name, kind)]
            per = ", ".join(f"{k} {v / n:.1f}" for k, v in spent.statements.most_common())
            print(f"  {name} {kind}: {per}")


# --------------------------------------------------------------------------------- report


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(args: argparse.Namespace, results: dict[str, list[Phase]], versions: str) -> None:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    print(
        f"\nmachine: {platform.node()}, {os.cpu_count()} CPUs, {mem / 1024**3:.0f} GiB RAM, "
        f"Python {platform.python_version()}, {versions}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
    print(
        f"{args.clients} clients (threads, keep-alive httpx), uvicorn --workers 2; "
        f"register+act: {args.ops:,} operations, GET: {args.gets:,} requests per phase; "
        f"median of {args.repeats} round(s)\n"
    )
    print(
        "| backend | workload | casework ops/s | baseline ops/s | ops/s casework/baseline "
        "| casework p50 / p99 ms | baseline p50 / p99 ms | p50 casework/baseline "
        "| p99 casework/baseline | errors |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for backend, phases in results.items():
        for workload in WORKLOADS:
            mine = {
                name: [p for p in phases if p.server == name and p.workload == workload]
                for name in ("casework", "baseline")
            }
            rate = {k: med([p.rate for p in v]) for k, v in mine.items()}
            p50 = {k: med([p.pct(50) for p in v]) for k, v in mine.items()}
            p99 = {k: med([p.pct(99) for p in v]) for k, v in mine.items()}
            errors = sum(sum(p.errors.values()) for v in mine.values() for p in v)
            print(
                f"| {backend} | {workload} | {rate['casework']:,.0f} | {rate['baseline']:,.0f} "
                f"| {rate['casework'] / rate['baseline']:.2f} "
                f"| {p50['casework']:.1f} / {p99['casework']:.1f} "
                f"| {p50['baseline']:.1f} / {p99['baseline']:.1f} "
                f"| {p50['casework'] / p50['baseline']:.1f} "
                f"| {p99['casework'] / p99['baseline']:.1f} | {errors} |"
            )
    print("\nper request kind, p50 / p99 ms (median of rounds):")
    for backend, phases in results.items():
        for name in ("casework", "baseline"):
            runs = [p for p in phases if p.server == name and p.workload == "register+act"]
            parts = [
                f"{kind} {med([p.pct(50, kind) for p in runs]):.1f} / "
                f"{med([p.pct(99, kind) for p in runs]):.1f}"
                for kind in ("register", "act")
            ]
            print(f"  {backend} {name}: " + ", ".join(parts))
    print("\nCPU ms per operation (median of rounds): server processes + PostgreSQL + clients")
    print("| backend | workload | CPU of | casework | baseline | response bytes cw / bl |")
    print("|---|---|---|---:|---:|---:|")
    for backend, phases in results.items():
        for workload in WORKLOADS:
            for part in ("server", "postgres", "clients"):
                cells, sizes = [], []
                for name in ("casework", "baseline"):
                    runs = [p for p in phases if p.server == name and p.workload == workload]
                    values = [p.cpu.get(part, 0.0) / max(1, p.ok) * 1000 for p in runs]
                    cells.append(f"{med(values):.2f}")
                    sizes.append(f"{med([p.response_bytes for p in runs]):,.0f}")
                if part == "postgres" and backend == "sqlite":
                    continue
                size = " / ".join(sizes) if part == "server" else ""
                print(f"| {backend} | {workload} | {part} | {cells[0]} | {cells[1]} | {size} |")
    for backend, phases in results.items():
        for p in phases:
            if p.errors:
                print(f"\n{backend} {p.server} {p.workload}: errors {dict(p.errors)}")
                for sample in p.samples:
                    print(f"   {sample}")
        cpus = (os.cpu_count() or 1) * 1.0
        ours = [sum(v for k, v in p.cpu.items() if k != "machine") / p.seconds for p in phases]
        everything = [p.cpu["machine"] / p.seconds for p in phases]
        print(
            f"{backend}: both CPUs busy during each phase, ours (servers, PostgreSQL, clients) "
            "/ the whole machine: "
            + ", ".join(
                f"{a / cpus:.0%}/{b / cpus:.0%}" for a, b in zip(ours, everything, strict=True)
            )
        )


def versions() -> str:
    import fastapi
    import sqlalchemy
    import uvicorn

    return (
        f"FastAPI {fastapi.__version__}, uvicorn {uvicorn.__version__}, "
        f"SQLAlchemy {sqlalchemy.__version__}, httpx {httpx.__version__}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgres", help="sqlite, postgres")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument(
        "--agencies", type=int, default=8, help="agencies the clients' clerks belong to"
    )
    parser.add_argument("--ops", type=int, default=2000, help="register+act pairs per phase")
    parser.add_argument("--gets", type=int, default=4000, help="GET requests per phase")
    parser.add_argument("--repeats", type=int, default=3, help="rounds (the median is shown)")
    parser.add_argument("--warmup", type=int, default=100, help="operations before measuring")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 200 / 400, 1 round")
    parser.add_argument("--profile", type=int, default=0, help="N requests of each kind in-process")
    parser.add_argument("--postgres-url", help="an existing server (admin URL); else our own")
    parser.add_argument("--pgport", type=int, default=0, help="port of our own cluster (0: free)")
    parser.add_argument("--keep", action="store_true", help="keep the databases and logs")
    args = parser.parse_args()
    if args.quick:
        args.ops, args.gets, args.repeats, args.warmup = 200, 400, 1, 20
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    tmp = Path(tempfile.mkdtemp(prefix="bench-api-"))
    os.chmod(tmp, 0o755)
    print(f"logs in {tmp}", flush=True)
    try:
        pg = (
            postgres_server(args.postgres_url, args.pgport or _free_port(), tmp / "pg")
            if "postgres" in backends
            else contextlib.nullcontext(None)
        )
        with pg as admin:
            if args.profile:
                for backend in backends:
                    run_profile(args, backend, admin, tmp)
                return 0
            results = {b: run_backend(args, b, admin, tmp) for b in backends}
            report(args, results, versions())
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
