"""The embedded broker's transport: a consumer never takes a half-written message file."""

from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path
from queue import Empty
from typing import Any

import pytest
from kombu import Connection

from workers import broker


def _options(folder: Path) -> dict[str, Any]:
    (folder / "control").mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "control_folder": str(folder / "control"),
    }


def test_a_message_is_invisible_until_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At the instant before the rename, the folder holds only the partial file, and a
    consumer finds nothing to take (kombu's own put exposes the file while it is empty)."""
    qname = f"q-{uuid.uuid4().hex}"  # kombu remembers declared queues per process
    with Connection(
        "filesystem://", transport=broker.TRANSPORT, transport_options=_options(tmp_path)
    ) as conn:
        queue = conn.SimpleQueue(qname)
        channel = queue.channel
        seen: list[list[str]] = []
        real_replace = os.replace

        def replace(src: str, dst: str) -> None:
            seen.append(sorted(p.name for p in tmp_path.glob("*.msg*")) + os.listdir(tmp_path))
            with pytest.raises(Empty):
                channel._get(qname)
            real_replace(src, dst)

        monkeypatch.setattr(broker.os, "replace", replace)
        queue.put({"timer": 1})
        monkeypatch.setattr(broker.os, "replace", real_replace)
        assert len(seen) == 1 and any(name.endswith(f".{qname}.msg.part") for name in seen[0])
        message = queue.get(timeout=1)
        assert message.payload == {"timer": 1}
        message.ack()


def test_a_writer_and_a_reader_in_parallel_lose_nothing(tmp_path: Path) -> None:
    count = 1500
    qname = f"q-{uuid.uuid4().hex}"  # kombu remembers declared queues per process
    received: list[int] = []
    failures: list[BaseException] = []
    options = _options(tmp_path)

    def consume() -> None:
        with Connection(
            "filesystem://", transport=broker.TRANSPORT, transport_options=options
        ) as conn:
            queue = conn.SimpleQueue(qname)
            while len(received) < count and not failures:
                try:
                    message = queue.get(timeout=5)
                except queue.Empty:
                    return
                except Exception as error:  # kombu's own transport: JSONDecodeError
                    failures.append(error)
                    return
                received.append(message.payload["n"])
                message.ack()

    # The queue is bound before the reader starts: kombu remembers declared queues per process,
    # so a second declaration in another thread skips the binding (not what this test is about)
    with Connection("filesystem://", transport=broker.TRANSPORT, transport_options=options) as conn:
        queue = conn.SimpleQueue(qname)
        reader = threading.Thread(target=consume)
        reader.start()
        for n in range(count):
            queue.put({"n": n})
    reader.join(timeout=60)
    assert not failures and sorted(received) == list(range(count))


def test_the_exchange_table_is_never_read_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kombu creates the table file empty and then writes it: a publisher in another process
    read it empty (JSONDecodeError, seen in CI). Here a reader sees the old table or the new."""
    options = _options(tmp_path)
    with Connection("filesystem://", transport=broker.TRANSPORT, transport_options=options) as conn:
        channel = conn.default_channel
        channel._queue_bind("tasks", "a", None, "qa")
        read_meanwhile: list[list[str]] = []
        real_replace = os.replace

        def replace(src: str, dst: str) -> None:
            read_meanwhile.append([q.queue for q in channel.get_table("tasks")])
            real_replace(src, dst)

        monkeypatch.setattr(broker.os, "replace", replace)
        channel._queue_bind("tasks", "b", None, "qb")
        monkeypatch.setattr(broker.os, "replace", real_replace)
        assert read_meanwhile == [["qa"]]  # the whole old table while the new one is written
        assert sorted(q.queue for q in channel.get_table("tasks")) == ["qa", "qb"]
