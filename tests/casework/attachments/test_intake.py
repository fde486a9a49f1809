"""The store and the checks on the way in: streamed, size-limited, content-addressed, kept
only whole and only when every check passed; the virus-scan hook with a real scanner."""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from casework.attachments.intake import IntakePolicy, check_and_keep, receive
from casework.attachments.scan import ScanPolicy, ScanStatus, command_argv, scan
from casework.attachments.store import Corrupted, Store, size_text
from casework.attachments.types import TYPE_BY_NAME
from casework.errors import Infected, Invalid, ScanFailed, TooLarge, UnsupportedType
from tests.casework.attachments import samples

ALL_TYPES = frozenset(TYPE_BY_NAME)


def _policy(max_bytes: int = 1024 * 1024, scan_policy: ScanPolicy | None = None) -> IntakePolicy:
    return IntakePolicy(max_bytes, ALL_TYPES, scan_policy or ScanPolicy())


def _everything(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def _keep(store: Store, data: bytes, name: str, policy: IntakePolicy | None = None):  # type: ignore[no-untyped-def]
    policy = policy or _policy()
    staged = receive(
        store, [data[i : i + 1000] for i in range(0, len(data), 1000)], policy.max_bytes
    )
    return check_and_keep(store, staged, name, policy)


def test_a_file_is_kept_under_its_hash_sharded_and_read_only(tmp_path: Path) -> None:
    store = Store(tmp_path / "att")
    data = samples.pdf("答复书")
    kept = _keep(store, data, "答复书.pdf")
    digest = hashlib.sha256(data).hexdigest()
    assert (kept.sha256, kept.size, kept.media_type) == (digest, len(data), "application/pdf")
    assert (kept.filename, kept.scan, kept.new) == ("答复书.pdf", ScanStatus.NOT_SCANNED, True)
    path = store.path_of(digest)
    assert path == tmp_path / "att" / "objects" / digest[:2] / digest[2:4] / digest
    assert path.read_bytes() == data
    assert not stat.S_IMODE(path.stat().st_mode) & 0o222  # nobody may write to it
    assert _everything(tmp_path / "att") == [path]  # no temporary file left


def test_the_same_bytes_are_kept_once(tmp_path: Path) -> None:
    store = Store(tmp_path)
    first = _keep(store, samples.png(), "a.png")
    second = _keep(store, samples.png(), "另一个名字.png")
    assert first.sha256 == second.sha256 and (first.new, second.new) == (True, False)
    assert len(_everything(tmp_path)) == 1


def test_an_upload_over_the_limit_is_refused_as_it_arrives_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path)
    sent: list[int] = []

    def endless() -> Iterator[bytes]:
        while True:  # a client that would never stop: the limit must stop reading it
            sent.append(1)
            yield b"x" * 4096

    with pytest.raises(TooLarge, match="文件超过大小上限 40 KB"):
        receive(store, endless(), 40 * 1024)
    assert len(sent) == 11  # 10 chunks fit; the 11th would pass the limit and ends it
    assert _everything(tmp_path) == []


def test_exactly_the_limit_is_accepted(tmp_path: Path) -> None:
    data = b"a" * 2048
    kept = _keep(Store(tmp_path), data, "limit.txt", _policy(max_bytes=2048))
    assert kept.size == 2048


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Invalid, match="文件为空"):
        _keep(Store(tmp_path), b"", "空.pdf")
    assert _everything(tmp_path) == []


def test_a_pdf_name_on_png_bytes_is_refused_and_nothing_is_kept(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedType, match=r"扩展名 \.pdf 与文件内容（PNG 图片）不符"):
        _keep(Store(tmp_path), samples.png(), "送达回证.pdf")
    assert _everything(tmp_path) == []


def test_an_executable_is_refused_whatever_its_name(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedType, match=r"Windows 可执行程序.*可上传：PDF 文档"):
        _keep(Store(tmp_path), samples.exe(), "申请书.pdf")
    assert _everything(tmp_path) == []


def test_a_type_left_off_the_agencys_list_is_refused(tmp_path: Path) -> None:
    policy = IntakePolicy(1024, frozenset({"pdf"}), ScanPolicy())
    with pytest.raises(UnsupportedType, match=r"不接受此类文件（PNG 图片）.*可上传：PDF 文档$"):
        _keep(Store(tmp_path), samples.png(), "x.png", policy)


def test_a_name_without_extension_gets_the_contents(tmp_path: Path) -> None:
    assert _keep(Store(tmp_path), samples.docx(), "scan001").filename == "scan001.docx"


def test_reading_verifies_the_hash(tmp_path: Path) -> None:
    store = Store(tmp_path)
    kept = _keep(store, samples.pdf(), "a.pdf")
    assert b"".join(store.chunks(kept.sha256)) == samples.pdf()
    path = store.path_of(kept.sha256)
    os.chmod(path, 0o640)
    path.write_bytes(samples.pdf("changed behind our back"))
    with pytest.raises(Corrupted, match="附件文件已损坏"):
        b"".join(store.chunks(kept.sha256))


def test_sizes_read_as_people_write_them() -> None:
    assert [size_text(n) for n in (50 * 1024**2, 1536 * 1024, 300 * 1024, 12)] == [
        "50 MB", "1.5 MB", "300 KB", "12 字节"]  # fmt: skip


# --- the virus-scan hook, with a real program as the scanner --------------------------------


def test_no_scanner_configured_means_no_scan_recorded_as_such(tmp_path: Path) -> None:
    assert scan(tmp_path, ScanPolicy(None)) is ScanStatus.NOT_SCANNED


def test_a_clean_file_passes_the_scanner(tmp_path: Path) -> None:
    policy = _policy(scan_policy=ScanPolicy(samples.scanner(tmp_path)))
    kept = _keep(Store(tmp_path / "att"), b"an ordinary letter", "信.txt", policy)
    assert kept.scan is ScanStatus.CLEAN


def test_an_infected_file_is_refused_and_not_kept(tmp_path: Path) -> None:
    store = Store(tmp_path / "att")
    policy = _policy(scan_policy=ScanPolicy(samples.scanner(tmp_path)))
    with pytest.raises(Infected, match=r"含有病毒.*eicar\.txt: Eicar-Test-Signature FOUND"):
        _keep(store, samples.EICAR, "eicar.txt", policy)
    assert _everything(tmp_path / "att") == []


def test_the_scanner_failing_refuses_the_file_by_default(tmp_path: Path) -> None:
    store = Store(tmp_path / "att")
    policy = _policy(scan_policy=ScanPolicy(samples.scanner(tmp_path, broken=True)))
    with pytest.raises(ScanFailed, match=r"查毒程序出错（退出状态 2）.*Could not connect"):
        _keep(store, b"an ordinary letter", "信.txt", policy)
    assert _everything(tmp_path / "att") == []


def test_a_missing_scanner_refuses_the_file_by_default(tmp_path: Path) -> None:
    store = Store(tmp_path / "att")
    policy = _policy(scan_policy=ScanPolicy("/nonexistent/clamdscan --no-summary {path}"))
    with pytest.raises(ScanFailed, match="无法运行查毒程序“/nonexistent/clamdscan”"):
        _keep(store, b"an ordinary letter", "信.txt", policy)
    assert _everything(tmp_path / "att") == []


def test_a_scanner_that_hangs_is_stopped_and_refused(tmp_path: Path) -> None:
    script = tmp_path / "slow.py"
    script.write_text("import time; time.sleep(30)", encoding="utf-8")
    import sys

    policy = ScanPolicy(f"{sys.executable} {script}", timeout_seconds=0.5)
    with pytest.raises(ScanFailed, match=r"查毒超时（0.5 秒）"):
        scan(script, policy)


def test_a_hung_scanner_s_children_are_stopped_too(tmp_path: Path) -> None:
    """A wrapper script that starts the real scanner: the timeout ends both, leaving no
    orphan (the review found one left by killing only the direct child)."""
    marker = tmp_path / "child.pid"
    wrapper = ScanPolicy(
        f"sh -c 'sleep 30 & echo $! > {marker}; wait' x {{path}}", timeout_seconds=0.5
    )
    with pytest.raises(ScanFailed, match=r"查毒超时"):
        scan(marker, wrapper)
    child = int(marker.read_text().strip())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        if Path(f"/proc/{child}/stat").read_text().split()[2] == "Z":
            break  # ended; a zombie until its (killed) parent's parent reaps it
        time.sleep(0.05)
    else:
        raise AssertionError(f"the scanner's child {child} is still running")


def test_fail_open_keeps_the_file_marked_unchecked(tmp_path: Path) -> None:
    broken = ScanPolicy(samples.scanner(tmp_path, broken=True), on_error="accept")
    kept = _keep(
        Store(tmp_path / "att"), b"an ordinary letter", "信.txt", _policy(scan_policy=broken)
    )
    assert kept.scan is ScanStatus.UNCHECKED
    # fail open is about a failing scanner, never about a finding
    found = ScanPolicy(samples.scanner(tmp_path), on_error="accept")
    with pytest.raises(Infected):
        _keep(Store(tmp_path / "att"), samples.EICAR, "e.txt", _policy(scan_policy=found))


def test_the_scan_command_takes_the_path_as_one_argument(tmp_path: Path) -> None:
    odd = tmp_path / "a b; rm -rf x.txt"
    assert command_argv("clamdscan --no-summary {path}", odd) == [
        "clamdscan", "--no-summary", str(odd)]  # fmt: skip
    assert command_argv("clamscan -i", odd) == ["clamscan", "-i", str(odd)]
