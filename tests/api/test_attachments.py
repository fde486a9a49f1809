"""Attachments through HTTP against a real server: multipart upload streamed into the store,
download with the right headers, dedup, limits refused early, type by content, the virus
hook with a real scanner program, withdrawal, and who may do what."""

from __future__ import annotations

import hashlib
import socket
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.api.conftest import Server, World, make_world, problem, running_server
from tests.casework.attachments import samples

LIMIT = 1024 * 1024  # the guarded server's upload limit
NAME = "送达回证（张三）.pdf"
BREAKS = b"MAKE-THE-SCANNER-FAIL"  # the test scanner exits 2 on this, like clamd unreachable

SCANNER = samples.SCANNER.replace(
    'print(path + ": OK")',
    'if b"' + BREAKS.decode() + '" in data:\n'
    '    print("ERROR: Could not connect to clamd", file=sys.stderr)\n'
    "    sys.exit(2)\n"
    'print(path + ": OK")',
)


def url(case: dict[str, Any], *rest: object) -> str:
    return "/".join([f"/api/v1/cases/{case['id']}/attachments", *map(str, rest)])


def upload(
    client: httpx.Client,
    case: dict[str, Any],
    data: bytes,
    name: str = NAME,
    kind: str = "service_evidence",
    **fields: str,
) -> httpx.Response:
    return client.post(
        url(case), files={"file": (name, data, "application/octet-stream")},
        data={"kind": kind, **fields},
    )  # fmt: skip


def created(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def stored(server: Server) -> list[Path]:
    """Every file under the server's attachment store (objects and temporaries)."""
    root = server.log.parent / "data" / "attachments"
    return sorted(p for p in root.rglob("*") if p.is_file())


def objects_with(server: Server, data: bytes) -> list[Path]:
    digest = hashlib.sha256(data).hexdigest()
    return [p for p in stored(server) if p.name == digest]


def unique_pdf() -> bytes:
    return samples.pdf(uuid.uuid4().hex)  # unique bytes: the session server's store is shared


# --- the session server (default settings: 50 MB, no scanner) -------------------------------


def test_upload_and_download_round_trip_with_a_chinese_name(world: World) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk)
    data = unique_pdf()
    answer = upload(clerk, case, data, note="挂号信 XA123456789CN 签收", event_seq="1")
    body = created(answer)
    digest = hashlib.sha256(data).hexdigest()
    assert answer.headers["location"] == url(case, body["id"])
    assert answer.headers["etag"] == f'"{digest}"'
    assert (body["filename"], body["media_type"], body["size"], body["sha256"]) == (
        NAME, "application/pdf", len(data), digest)  # fmt: skip
    assert (body["kind"], body["kind_label"]) == (
        "service_evidence",
        "送达凭证（送达回证、邮寄凭证等）",
    )
    assert (body["uploaded_by"], body["event_seq"], body["scan"]) == (
        world.user("clerk"),
        1,
        "not_scanned",
    )

    got = clerk.get(answer.headers["location"])
    assert got.status_code == 200 and got.content == data
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["etag"] == f'"{digest}"'
    assert got.headers["x-content-type-options"] == "nosniff"
    disposition = got.headers["content-disposition"]
    assert disposition.startswith(f'attachment; filename="attachment-{body["id"]}.pdf"')
    assert f"filename*=UTF-8''{quote(NAME, safe='')}" in disposition
    again = clerk.get(answer.headers["location"], headers={"If-None-Match": got.headers["etag"]})
    assert again.status_code == 304 and again.content == b""

    listed = clerk.get(url(case))
    assert listed.status_code == 200 and listed.json() == [body]
    detail = clerk.get(f"/api/v1/cases/{case['id']}").json()
    assert detail["attachments"] == [body]
    assert detail["version"] == case["version"] == 1  # attaching does not change the case


def test_the_same_bytes_twice_are_two_attachments_and_one_stored_file(
    world: World, server: Server
) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk)
    data = samples.png() + uuid.uuid4().bytes  # PNG readers ignore bytes after IEND
    first = created(upload(clerk, case, data, "回执.png"))
    second = created(upload(clerk, case, data, "回执-副本.png", kind="other"))
    assert first["id"] != second["id"] and first["sha256"] == second["sha256"]
    assert len(objects_with(server, data)) == 1
    assert [a["id"] for a in clerk.get(url(case)).json()] == [first["id"], second["id"]]


def test_a_file_over_the_json_body_limit_is_fine(world: World) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk)
    data = ("政府信息" * 100_000).encode("gb18030") + uuid.uuid4().hex.encode()  # 800 KB
    body = created(upload(clerk, case, data, "公开的信息.txt", kind="provided_information"))
    assert body["media_type"] == "text/plain; charset=gb18030" and body["size"] == len(data)
    got = clerk.get(url(case, body["id"]))
    assert got.headers["content-type"] == "text/plain; charset=gb18030"
    assert got.content.decode("gb18030").startswith("政府信息")


def test_the_type_is_decided_by_content(world: World, server: Server) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk)
    png = samples.png() + uuid.uuid4().bytes
    refused = problem(upload(clerk, case, png, "送达回证.pdf"), 415, "unsupported-media-type")
    assert "扩展名 .pdf 与文件内容（PNG 图片）不符" in refused["detail"]
    exe = samples.exe() + uuid.uuid4().bytes
    refused = problem(upload(clerk, case, exe, "申请书.pdf"), 415, "unsupported-media-type")
    assert "Windows 可执行程序" in refused["detail"]
    assert objects_with(server, png) == objects_with(server, exe) == []
    named = created(upload(clerk, case, png, "扫描件"))  # no extension: the content's is added
    assert (named["filename"], named["media_type"]) == ("扫描件.png", "image/png")
    assert clerk.get(url(case)).json() == [named]


def test_the_body_must_be_a_proper_multipart_form(world: World) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk)
    problem(clerk.post(url(case), json={"kind": "other"}), 415, "unsupported-media-type")
    missing = problem(clerk.post(url(case), files={"kind": (None, "other")}), 422)
    assert missing["errors"][0]["field"] == "file"
    no_kind = problem(clerk.post(url(case), files={"file": ("a.pdf", unique_pdf())}), 422)
    assert no_kind["errors"][0]["field"] == "kind"
    bad_kind = problem(upload(clerk, case, unique_pdf(), kind="photo"), 422)
    assert "未知的附件类别“photo”" in bad_kind["detail"]
    problem(upload(clerk, case, unique_pdf(), event_seq="第一项"), 422)
    problem(upload(clerk, case, unique_pdf(), event_seq="9"), 422)
    broken = clerk.post(url(case), content=b"--xyz\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nother",
                        headers={"Content-Type": "multipart/form-data; boundary=xyz"})  # fmt: skip
    problem(broken, 400, "bad-request")
    two = clerk.post(url(case), files=[("file", ("a.pdf", unique_pdf())), ("file", ("b.pdf", unique_pdf()))],
                     data={"kind": "other"})  # fmt: skip
    assert "一次只能上传一个文件" in problem(two, 400)["detail"]
    assert clerk.get(url(case)).json() == []


def test_an_extended_filename_parameter_is_read(world: World) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk)
    data = unique_pdf()
    body = (
        b'--b1\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n'
        b'--b1\r\nContent-Disposition: form-data; name="file"; filename="x.pdf"; '
        + f"filename*=UTF-8''{quote('征求意见函.pdf')}".encode()
        + b"\r\nContent-Type: application/pdf\r\n\r\n"
        + data
        + b"\r\n--b1--\r\n"
    )
    answer = clerk.post(
        url(case), content=body, headers={"Content-Type": "multipart/form-data; boundary=b1"}
    )
    assert created(answer)["filename"] == "征求意见函.pdf"


def test_withdrawal_keeps_the_record_the_bytes_and_the_history(world: World) -> None:
    clerk, approver = world.login("clerk"), world.login("approver")
    case = world.register(clerk)
    data = unique_pdf()
    body = created(upload(clerk, case, data, "传错的.pdf", kind="other"))
    withdraw = url(case, body["id"], "withdraw")
    problem(world.login("auditor").post(withdraw, json={"reason": "x"}), 403, "forbidden")
    problem(approver.post(withdraw, json={"reason": ""}), 422)
    answer = approver.post(withdraw, json={"reason": "传错了案件，应为 2026-002 的材料"})
    assert answer.status_code == 200, answer.text
    out = answer.json()
    assert out["withdrawn"] and out["withdrawn_by"] == world.user("approver")
    assert out["withdrawal_reason"] == "传错了案件，应为 2026-002 的材料"
    assert out["filename"] == "传错的.pdf" and out["uploaded_by"] == world.user("clerk")
    assert clerk.get(url(case)).json() == [out]
    assert clerk.get(url(case, body["id"])).content == data  # still there for a court
    again = problem(approver.post(withdraw, json={"reason": "再撤"}), 409, "conflict")
    assert "已于" in again["detail"] and world.user("approver") in again["detail"]


def test_who_may_list_download_and_upload(world: World) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk)
    data = unique_pdf()
    body = created(
        upload(clerk, case, data, "张三身份证复印件.pdf", kind="request_scan", note="张三本人")
    )
    # an auditor of the agency reads with personal data masked (DESIGN §1): the list without
    # names, no file, no upload
    auditor = world.login("auditor")
    (listed,) = auditor.get(url(case)).json()
    assert listed["filename"] == f"申请材料扫描件-{body['id']}.pdf" and listed["note"] is None
    assert listed["sha256"] == body["sha256"]
    assert "个人信息" in problem(auditor.get(url(case, body["id"])), 403, "forbidden")["detail"]
    problem(upload(auditor, case, unique_pdf()), 403, "forbidden")
    # the district office: the list, masked; no file, no upload
    district = world.login("district")
    (masked,) = district.get(url(case)).json()
    assert masked["filename"] == f"申请材料扫描件-{body['id']}.pdf" and masked["note"] is None
    assert "张三" not in str(district.get(f"/api/v1/cases/{case['id']}").json()["attachments"])
    refused = problem(district.get(url(case, body["id"])), 403, "forbidden")
    assert "个人信息" in refused["detail"]
    problem(upload(district, case, unique_pdf()), 403, "forbidden")
    # the agency's administrator manages users, not evidence
    problem(world.login("street_admin").get(url(case, body["id"])), 403, "forbidden")
    # another agency: nothing exists
    for outsider in (world.login("stranger"), world.login("stranger_approver")):
        for answer in (
            outsider.get(url(case)),
            outsider.get(url(case, body["id"])),
            upload(outsider, case, unique_pdf()),
            outsider.post(url(case, body["id"], "withdraw"), json={"reason": "x"}),
        ):
            assert "张三" not in problem(answer, 404, "not-found")["detail"]


def test_an_attachment_is_reached_through_its_own_case_only(world: World) -> None:
    clerk = world.login("clerk")
    first, second = world.register(clerk), world.register(clerk)
    body = created(upload(clerk, first, unique_pdf()))
    problem(clerk.get(url(second, body["id"])), 404, "not-found")
    problem(clerk.post(url(second, body["id"], "withdraw"), json={"reason": "x"}), 404)


# --- a server with a scanner and a 1 MB limit -------------------------------------------------


@pytest.fixture(scope="module")
def guarded(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A second server on the same database: a 1 MB upload limit and a real scanner program
    (flags the EICAR test string, exits 2 — as when clamd is unreachable — on another)."""
    tmp = tmp_path_factory.mktemp("guarded")
    script = tmp / "scanner.py"
    script.write_text(SCANNER, encoding="utf-8")
    env = {
        "CASEWORK_ATTACHMENT_MAX_BYTES": str(LIMIT),
        "CASEWORK_VIRUS_SCAN_COMMAND": f"{sys.executable} {script} {{path}}",
    }
    with running_server(server.db_url, tmp, env=env) as running:
        yield running


def _chunks(total: int, sent: list[int], boundary: str = "up") -> Iterator[bytes]:
    yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nother\r\n"
           f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
           "\r\n").encode()  # fmt: skip
    block = b"a" * 65536
    while sum(sent) < total:
        sent.append(len(block))
        yield block
    yield f"\r\n--{boundary}--\r\n".encode()


def test_an_upload_over_the_limit_is_refused_early_and_leaves_nothing(guarded: Server) -> None:
    world = make_world(guarded)
    clerk = world.login("clerk")
    case = world.register(clerk)
    before = stored(guarded)
    sent: list[int] = []
    total = 200 * 1024 * 1024  # a client that would send 200 MB, chunked (no Content-Length)
    answer = clerk.post(url(case), content=_chunks(total, sent),
                        headers={"Content-Type": "multipart/form-data; boundary=up"})  # fmt: skip
    body = problem(answer, 413, "payload-too-large")
    assert "文件超过大小上限 1 MB" in body["detail"]
    assert sum(sent) < 64 * 1024 * 1024, sum(sent)  # the server stopped reading long before
    assert stored(guarded) == before  # no object, no temporary file
    # a declared length over the limit is answered before any of the body is sent
    host, port = guarded.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(
            f"POST {url(case)} HTTP/1.1\r\nHost: {host}\r\n"
            f"Authorization: {clerk.headers['Authorization']}\r\n"
            "Content-Type: multipart/form-data; boundary=up\r\n"
            f"Content-Length: {50 * 1024 * 1024}\r\n\r\n".encode()
        )
        received = b""
        while chunk := raw.recv(65536):  # the server closes the connection after its answer
            received += chunk
        head = received.decode("utf-8", "replace")
    assert head.startswith("HTTP/1.1 413 "), head
    assert "connection: close" in head.lower() and "payload-too-large" in head
    assert clerk.get(url(case)).json() == []
    at_limit = b"a" * LIMIT
    assert created(upload(clerk, case, at_limit, "limit.txt", kind="other"))["size"] == LIMIT
    problem(upload(clerk, case, at_limit + b"a", "over.txt", kind="other"), 413)


def test_the_scanner_refuses_an_infected_file_and_a_failing_scanner_refuses_all(
    guarded: Server,
) -> None:
    world = make_world(guarded)
    clerk = world.login("clerk")
    case = world.register(clerk)
    before = stored(guarded)
    infected = problem(
        upload(clerk, case, samples.EICAR, "eicar.txt", kind="other"), 422, "infected"
    )
    assert "病毒" in infected["detail"] and "Eicar-Test-Signature FOUND" in infected["detail"]
    assert "eicar.txt" in infected["detail"] and "/tmp" not in infected["detail"]
    failing = upload(clerk, case, BREAKS + uuid.uuid4().hex.encode(), "信.txt", kind="other")
    refused = problem(failing, 503, "unavailable")
    assert (
        "查毒程序出错（退出状态 2）" in refused["detail"]
        and "不保存未经查毒的文件" in refused["detail"]
    )
    assert stored(guarded) == before
    assert clerk.get(url(case)).json() == []
    clean = created(upload(clerk, case, unique_pdf(), "答复书.pdf", kind="provided_information"))
    assert (clean["scan"], clean["scan_label"]) == ("clean", "已查毒，未发现病毒")


def test_a_client_that_drops_mid_upload_leaves_no_temporary_file(
    world: World, server: Server
) -> None:
    clerk = world.login("clerk")
    case = world.register(clerk)
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(
            f"POST {url(case)} HTTP/1.1\r\nHost: {host}\r\n"
            f"Authorization: {clerk.headers['Authorization']}\r\n"
            "Content-Type: multipart/form-data; boundary=up\r\n"
            f"Content-Length: {10 * 1024 * 1024}\r\n\r\n"
            '--up\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n'
            "%PDF-1.4\n".encode()
            + b"x" * 300_000
        )
        time.sleep(0.5)  # the server has begun writing the file
        in_flight = [p for p in stored(server) if p.parent.name == "tmp"]
    deadline = time.monotonic() + 10
    while [p for p in stored(server) if p.parent.name == "tmp"] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert in_flight, "the upload never reached the store"
    assert [p for p in stored(server) if p.parent.name == "tmp"] == []
    assert clerk.get(url(case)).json() == []


def test_a_slow_upload_holds_no_write_lock(world: World, server: Server) -> None:
    """While a file is still arriving, other writes go through (on SQLite the write lock is
    taken only for the attachment's row, after the file is in)."""
    clerk = world.login("clerk")
    case = world.register(clerk)
    data = unique_pdf()
    host, port = server.url.removeprefix("http://").split(":")
    head = (
        b'--up\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n'
        b'--up\r\nContent-Disposition: form-data; name="file"; filename="slow.pdf"\r\n\r\n'
    )
    tail = b"\r\n--up--\r\n"
    with socket.create_connection((host, int(port)), timeout=30) as raw:
        raw.sendall(
            f"POST {url(case)} HTTP/1.1\r\nHost: {host}\r\n"
            f"Authorization: {clerk.headers['Authorization']}\r\n"
            "Content-Type: multipart/form-data; boundary=up\r\n"
            f"Content-Length: {len(head) + len(data) + len(tail)}\r\n\r\n".encode()
            + head
            + data[:10]
        )
        time.sleep(0.3)
        started = time.monotonic()
        other = world.register(clerk, request="上传进行中登记的另一件申请")  # a write meanwhile
        assert time.monotonic() - started < 5
        raw.sendall(data[10:] + tail)
        received = b""
        while b"\r\n\r\n" not in received or not received.rstrip().endswith(b"}"):
            chunk = raw.recv(65536)
            if not chunk:
                break
            received += chunk
    assert received.startswith(b"HTTP/1.1 201 "), received[:300]
    assert other["state"] == "received"
    (listed,) = clerk.get(url(case)).json()
    assert listed["filename"] == "slow.pdf" and listed["size"] == len(data)
