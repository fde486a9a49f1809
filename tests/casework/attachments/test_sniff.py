"""Types are recognised by content; names are cleaned and must agree with the content."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from casework.attachments.names import agreed_filename, clean_filename, extension_of
from casework.attachments.sniff import sniff, text_charset
from casework.attachments.types import TYPE_BY_NAME, parse_type_names
from casework.errors import UnsupportedType
from tests.casework.attachments import samples

ACCEPTED: list[tuple[str, Callable[[], bytes], str]] = [
    ("pdf", samples.pdf, "application/pdf"),
    ("jpeg", samples.jpeg, "image/jpeg"),
    ("png", samples.png, "image/png"),
    ("tiff", samples.tiff, "image/tiff"),
    ("ofd", samples.ofd, "application/ofd"),
    ("docx", samples.docx, TYPE_BY_NAME["docx"].media_type),
    ("xlsx", samples.xlsx, TYPE_BY_NAME["xlsx"].media_type),
    ("doc", samples.doc, "application/msword"),
    ("xls", samples.xls, "application/vnd.ms-excel"),
]
OLE_HEAD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
REFUSED: list[tuple[Callable[[], bytes], str]] = [
    (samples.exe, "Windows 可执行程序"),
    (samples.elf, "Linux 可执行程序"),
    (samples.msi, "其他 OLE 复合文档"),
    (lambda: samples.doc(macros=True), "含宏的 Word 文档"),
    (lambda: samples.docx(main=samples.WORD_MACRO), "含宏的 Office 文档"),
    (lambda: samples.docx(extra={"word/vbaProject.bin": b"x"}), "含宏的 Office 文档"),
    (samples.pptx, "其他 Office 文档"),
    (samples.plain_zip, "ZIP 压缩包"),
    (lambda: b"PK\x03\x04" + b"\x00" * 40, "已损坏的 ZIP 文件"),
    (lambda: OLE_HEAD + b"\x00" * 100, "已损坏的 OLE 复合文档"),
    (lambda: bytes(range(256)) * 4, "无法识别的二进制文件"),
]


def _file(tmp_path: Path, data: bytes, name: str = "f.bin") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("name", "make", "media_type"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_each_allowed_type_is_recognised_by_its_content(
    tmp_path: Path, name: str, make: Callable[[], bytes], media_type: str
) -> None:
    found = sniff(_file(tmp_path, make()))
    assert found.type is not None and found.type.name == name
    assert found.media_type == media_type


@pytest.mark.parametrize(("make", "what"), REFUSED, ids=[r[1] for r in REFUSED])
def test_other_content_is_named_and_not_on_the_list(
    tmp_path: Path, make: Callable[[], bytes], what: str
) -> None:
    found = sniff(_file(tmp_path, make()))
    assert found.type is None
    assert found.what.startswith(what), found


@pytest.mark.parametrize(
    ("data", "charset"),
    [
        ("政府信息公开申请书\r\n申请人：张三\t\n".encode(), "utf-8"),
        ("\ufeff带签名的 UTF-8".encode(), "utf-8"),
        ("政府信息公开申请书，申请人：张三".encode("gb18030"), "gb18030"),
        ("记事本的 Unicode".encode("utf-16"), "utf-16"),
        (b"plain ascii", "utf-8"),
    ],
)
def test_text_in_the_usual_chinese_encodings_is_text(
    tmp_path: Path, data: bytes, charset: str
) -> None:
    path = _file(tmp_path, data)
    assert text_charset(path) == charset
    found = sniff(path)
    assert found.type is not None and found.type.name == "txt"
    assert found.media_type == f"text/plain; charset={charset}"


def test_a_control_character_past_the_first_chunk_makes_a_file_not_text(tmp_path: Path) -> None:
    data = "文本".encode() * 50_000 + b"\x01"  # the binary byte 300 KB in
    assert text_charset(_file(tmp_path, data)) is None


def test_a_text_file_split_inside_a_character_across_chunks_is_still_text(
    tmp_path: Path,
) -> None:
    data = b"a" + "中".encode() * 100_000  # 3-byte characters straddle every 64 KB boundary
    assert text_charset(_file(tmp_path, data)) == "utf-8"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\Users\\张三\\Desktop\\申请书.pdf", "申请书.pdf"),
        ("../../etc/passwd", "passwd"),
        ("发票\u202efdp.exe", "发票fdp.exe"),  # the right-to-left override is dropped
        ('a<b>c:d"e|f?g*.txt', "a_b_c_d_e_f_g_.txt"),
        ("  .隐藏文件.txt. ", "隐藏文件.txt"),
        ("CON.txt", "_CON.txt"),
        ("申请\x00书\n.pdf", "申请书 .pdf"),
        ("", "附件"),
        ("...", "附件"),
        ("e\u0301.txt", "\u00e9.txt"),  # NFC
    ],
)
def test_file_names_are_cleaned(raw: str, clean: str) -> None:
    assert clean_filename(raw) == clean


def test_a_long_name_is_cut_and_keeps_its_extension() -> None:
    name = clean_filename("很长" * 200 + ".docx")
    assert len(name) == 200 and name.endswith(".docx")


def test_the_name_must_agree_with_the_content() -> None:
    pdf, png = TYPE_BY_NAME["pdf"], TYPE_BY_NAME["png"]
    assert agreed_filename("答复书.PDF", pdf) == "答复书.PDF"
    assert agreed_filename("扫描件", png) == "扫描件.png"
    assert agreed_filename("答复书v1.2", pdf) == "答复书v1.2.pdf"  # a version, not a type
    assert extension_of("x.tar.gz") == ".gz"
    with pytest.raises(UnsupportedType, match=r"扩展名 \.pdf 与文件内容（PNG 图片）不符"):
        agreed_filename("回证.pdf", png)


def test_the_allow_list_setting_names_known_types_only() -> None:
    assert parse_type_names(" PDF, png ,") == {"pdf", "png"}
    with pytest.raises(ValueError, match="未知的附件类型：exe"):
        parse_type_names("pdf,exe")
    with pytest.raises(ValueError, match="至少须允许一种"):
        parse_type_names(" , ")
