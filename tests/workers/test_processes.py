"""The timers with real processes (DESIGN §4, issue 4 item 7): Celery workers and beats run as
child processes on a real redis-server (and, for the embedded default, on kombu's filesystem
transport), against SQLite and PostgreSQL. The timer rows are the truth: crashes, lost
messages and overlapping sweeps must never apply an expiry twice or lose it."""

from __future__ import annotations

import os
import signal
import sys

import httpx
import pytest
import redis
from sqlmodel import Session, select

from casework.models import Case
from tests.workers.conftest import (
    Stack,
    all_closed,
    assert_closed_exactly_once,
    casework,
    celery,
    closed_and_done,
    expiry_events,
    expiry_timers,
    fire_outcomes,
    free_port,
    ran_at_once,
    task_results,
    unanswered_corrections,
)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def test_redis_worker_and_beat_close_an_unanswered_correction(
    stack: Stack, redis_db: tuple[str, redis.Redis]
) -> None:
    """The whole chain in production shape: `casework beat` → Redis → sweep on a
    `casework worker` (prefork) → one fire task → the case closed by the system."""
    url, _client = redis_db
    stack.base_env["CASEWORK_BROKER_URL"] = url
    unanswered_corrections(stack.engine)
    beat = stack.start("beat", casework("beat"))
    worker = stack.start("worker", casework("worker", "--concurrency", "1"))
    stack.wait_until(closed_and_done, alive=(beat, worker), what="the case closed")
    assert_closed_exactly_once(stack.engine)
    assert f"Connected to redis://:**@{url.removeprefix('redis://')}" in worker.log()
    assert "(prefork)" in worker.log()
    assert (stack.data_dir / "beat.pid").exists()  # beat's state is in the data folder
    assert list(stack.data_dir.glob("celerybeat-schedule*"))
    assert list(stack.cwd.iterdir()) == []


@pytest.mark.parametrize("point", ["fire:before-commit", "fire:after-commit"])
def test_worker_killed_mid_fire_applies_the_expiry_exactly_once_after_restart(
    stack: Stack, redis_db: tuple[str, redis.Redis], point: str
) -> None:
    """SIGKILL at an explicit fault point (the worker kills itself there, once), then a
    restart: before the commit nothing was applied and the restarted worker applies it (the
    unacknowledged message comes back, or the sweep retakes the stale claim); after the commit
    the redelivered task finds the timer done and changes nothing."""
    url, _client = redis_db
    marker = stack.tmp / "fault-fired"
    stack.base_env.update(
        CASEWORK_BROKER_URL=url,
        CASEWORK_FAULT=point,
        CASEWORK_FAULT_ONCE=str(marker),
        CASEWORK_BROKER_VISIBILITY_TIMEOUT="1",  # redeliver the unacknowledged task quickly
    )
    unanswered_corrections(stack.engine)
    worker_argv = celery("worker", "--pool", "solo", "--without-mingle", "--loglevel", "INFO")
    beat = stack.start("beat", casework("beat"))  # a separate beat: it lives on
    first = stack.start("worker", worker_argv)
    assert first.wait(30) == -signal.SIGKILL, first.log()[-3000:]
    assert marker.read_text(encoding="utf-8") == point
    with Session(stack.engine) as s:
        (timer,) = expiry_timers(s)
        if point == "fire:before-commit":  # rolled back with the process
            assert (expiry_events(s), timer.status, all_closed(s)) == (0, "claimed", False)
        else:  # committed; only the acknowledgement was lost
            assert (expiry_events(s), timer.status, all_closed(s)) == (1, "done", True)

    restarted = stack.start("worker-restarted", worker_argv)
    if point == "fire:before-commit":
        stack.wait_until(closed_and_done, alive=(beat, restarted), what="the case closed")
    # the lost message is redelivered: fired once now, or found done ('gone')
    expect = "fired" if point == "fire:before-commit" else "gone"
    stack.wait_until(
        lambda _s: fire_outcomes(restarted.log())[expect] >= 1,
        alive=(beat, restarted),
        what=f"a redelivered fire task returning {expect}",
    )
    assert_closed_exactly_once(stack.engine)
    assert restarted.alive()


def test_flushall_loses_nothing(stack: Stack, redis_db: tuple[str, redis.Redis]) -> None:
    """A sweep claims the timer and enqueues its fire task while no worker runs; Redis is
    then emptied (FLUSHALL). The claim goes stale, a later sweep retakes it: closed once."""
    url, client = redis_db
    stack.base_env["CASEWORK_BROKER_URL"] = url
    unanswered_corrections(stack.engine)
    swept = stack.run([sys.executable, "-c", "from workers.tasks import sweep; print(sweep())"])
    assert swept.returncode == 0, swept.stderr
    assert swept.stdout.split()[-1] == "1"
    assert client.llen("celery") == 1  # the fire task waits in Redis
    with Session(stack.engine) as s:
        assert [t.status for t in expiry_timers(s)] == ["claimed"]
    client.flushall()
    assert client.dbsize() == 0

    worker = stack.start("worker", casework("worker", "--concurrency", "1", "--beat"))
    stack.wait_until(closed_and_done, alive=(worker,), what="the case closed")
    assert_closed_exactly_once(stack.engine)
    # the stale claim was retaken by exactly one later sweep (its log line may trail the commit)
    stack.wait_until(
        lambda _s: sum(int(n) for n in task_results(worker.log(), "casework.sweep")) >= 1,
        alive=(worker,),
        what="the retaking sweep logged",
    )
    assert sum(int(n) for n in task_results(worker.log(), "casework.sweep")) == 1


def test_two_beats_never_fire_a_timer_twice(
    stack: Stack, redis_db: tuple[str, redis.Redis]
) -> None:
    """Two beats (two machines: each its own data folder) send sweeps every half second; the
    worker starts once both have sent, so its two processes begin with sweeps queued from both
    at once — overlapping sweeps: each timer is claimed by one sweep only and fired once."""
    url, _client = redis_db
    stack.base_env.update(
        CASEWORK_BROKER_URL=url,
        CASEWORK_SWEEP_SECONDS="0.5",
        CASEWORK_STALE_CLAIM_SECONDS="300",  # no retaking here: a second claim would be a bug
    )
    cases = 10
    unanswered_corrections(stack.engine, cases)
    with Session(stack.engine) as s:
        claimable = sum(t.status == "pending" for t in expiry_timers(s))
    assert claimable == cases
    beats = [
        stack.start(f"beat-{i}", casework("beat"), CASEWORK_DATA_DIR=str(stack.tmp / f"beat-{i}"))
        for i in (1, 2)
    ]
    stack.wait_until(
        lambda _s: all("Sending due task sweep" in beat.log() for beat in beats),
        alive=tuple(beats),
        what="both beats sending",
    )
    worker = stack.start("worker", casework("worker", "--concurrency", "2"))
    stack.wait_until(closed_and_done, alive=(*beats, worker), what="all cases closed")
    assert_closed_exactly_once(stack.engine, cases)

    def claimed(_s: Session) -> int:  # the worker logs a task's result after it commits
        return sum(int(n) for n in task_results(worker.log(), "casework.sweep"))

    stack.wait_until(lambda s: claimed(s) >= claimable, alive=(worker,), what="sweeps logged")
    stack.wait_until(
        lambda _s: fire_outcomes(worker.log())["fired"] >= cases,
        alive=(worker,),
        what="fire tasks logged",
    )
    sweeps = [int(n) for n in task_results(worker.log(), "casework.sweep")]
    fires = fire_outcomes(worker.log())
    assert sum(sweeps) == claimable, sweeps  # no timer claimed by two sweeps
    assert fires == {"fired": cases}, fires  # nor fired twice
    assert ran_at_once(worker.log(), "casework.sweep")  # two sweeps did overlap


def test_embedded_worker_closes_the_case_without_redis(stack: Stack) -> None:
    """`casework worker` with no broker URL: one process, solo pool, beat inside, messages
    through kombu's filesystem transport in the data folder."""
    unanswered_corrections(stack.engine)
    worker = stack.start("worker", casework("worker"))
    stack.wait_until(closed_and_done, alive=(worker,), what="the case closed")
    assert_closed_exactly_once(stack.engine)
    log = worker.log()
    assert "Connected to workers.broker:Transport://" in log  # filesystem, atomic put
    assert "(solo)" in log and "redis://" not in log
    assert (stack.data_dir / "broker" / "queue").is_dir()
    assert (stack.data_dir / "worker.pid").read_text().strip() == str(worker.process.pid)
    assert list(stack.data_dir.glob("worker-celerybeat-schedule*"))
    assert list(stack.cwd.iterdir()) == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_serve_runs_the_api_and_the_embedded_worker_and_ctrl_c_stops_both(stack: Stack) -> None:
    """`casework serve` (what `make run` ends with) starts the HTTP API and the embedded
    worker as its children and makes the first administrator, who can log in; Ctrl-C — SIGINT
    to the whole foreground group, so each child gets it twice: from the terminal and
    forwarded as SIGTERM — stops both warmly. (SIGTERM to serve alone is forwarded the same
    way: tests/casework/cli/test_cli_worker.py.)"""
    port = free_port()
    stack.base_env.update(CASEWORK_PORT=str(port), CASEWORK_ADMIN_PASSWORD="first-admin-1")
    unanswered_corrections(stack.engine)
    serve = stack.start("serve", casework("serve"))
    stack.wait_until(closed_and_done, alive=(serve,), what="the case closed")
    pidfile = stack.data_dir / "worker.pid"
    child_pid = int(pidfile.read_text().strip())
    assert child_pid != serve.process.pid
    url = f"http://127.0.0.1:{port}"
    stack.wait_until(
        lambda _s: _answers(f"{url}/healthz"), alive=(serve,), what="the API answering"
    )
    login = httpx.post(
        f"{url}/api/v1/auth/login", json={"username": "admin", "password": "first-admin-1"}
    )
    assert login.status_code == 200, login.text
    me = httpx.get(
        f"{url}/api/v1/auth/me", headers={"Authorization": f"Bearer {login.json()['token']}"}
    )
    assert [r["role"] for r in me.json()["roles"]] == ["admin", "calendar_admin"]
    os.killpg(serve.process.pid, signal.SIGINT)
    assert serve.wait(30) == 0, serve.log()[-3000:]
    assert not pidfile.exists()  # the worker shut down warmly and removed its pidfile
    log = serve.log()
    assert "已启动定时任务工作进程" in log and "Warm shutdown" in log and "Cold shutdown" not in log
    assert "已启动HTTP 接口" in log and "Application shutdown complete" in log
    assert f"接口文档：http://127.0.0.1:{port}/docs" in log and "已创建首个管理员 admin" in log
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{url}/healthz", timeout=2)
    with Session(stack.engine) as s:
        assert s.exec(select(Case)).one().state == "closed"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_readiness_checks_the_broker_when_one_is_set(
    stack: Stack, redis_db: tuple[str, redis.Redis]
) -> None:
    """With CASEWORK_BROKER_URL `casework serve` runs the API alone; /readyz pings Redis, and a
    broker that does not answer makes it 503 (a load balancer stops sending requests)."""
    url, _client = redis_db
    port, dead = free_port(), free_port()
    serve = stack.start("serve", casework("serve", "--port", str(port)), CASEWORK_BROKER_URL=url)
    base = f"http://127.0.0.1:{port}"
    stack.wait_until(lambda _s: _answers(f"{base}/healthz"), alive=(serve,), what="the API")
    ready = httpx.get(f"{base}/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "broker": "ok"}
    assert "定时任务工作进程" not in serve.log()  # the workers run on their own with a broker
    os.killpg(serve.process.pid, signal.SIGINT)
    assert serve.wait(30) == 0, serve.log()[-3000:]
    broken = stack.start(
        "serve-dead-broker",
        casework("serve", "--port", str(port)),
        CASEWORK_BROKER_URL=f"redis://127.0.0.1:{dead}/0",
    )
    stack.wait_until(lambda _s: _answers(f"{base}/healthz"), alive=(broken,), what="the API")
    unready = httpx.get(f"{base}/readyz")
    assert unready.status_code == 503, unready.text
    assert (
        unready.json()["checks"]["broker"].startswith("不可用")
        and unready.json()["checks"]["database"] == "ok"
    )
