"""The file types an attachment may have: the allow-list an agency narrows with
CASEWORK_ATTACHMENT_TYPES. Each is recognised by its content (`casework.attachments.sniff`);
its extensions only have to agree."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    name: str  # as written in CASEWORK_ATTACHMENT_TYPES
    label: str
    media_type: str
    extensions: tuple[str, ...]  # the first is added to a file name that has none


FILE_TYPES: tuple[FileType, ...] = (
    FileType("pdf", "PDF 文档", "application/pdf", (".pdf",)),
    FileType("jpeg", "JPEG 图片", "image/jpeg", (".jpg", ".jpeg", ".jpe")),
    FileType("png", "PNG 图片", "image/png", (".png",)),
    FileType("tiff", "TIFF 图片", "image/tiff", (".tif", ".tiff")),
    # GB/T 33190-2016 版式文档, the format of many e-government documents; the media type is
    # the one in use (none is registered with IANA)
    FileType("ofd", "OFD 版式文档", "application/ofd", (".ofd",)),
    FileType(
        "docx",
        "Word 文档",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
    ),
    FileType(
        "xlsx",
        "Excel 表格",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (".xlsx",),
    ),
    FileType("doc", "Word 97-2003 文档", "application/msword", (".doc",)),
    FileType("xls", "Excel 97-2003 表格", "application/vnd.ms-excel", (".xls",)),
    FileType("txt", "纯文本", "text/plain", (".txt",)),
)
TYPE_BY_NAME: dict[str, FileType] = {t.name: t for t in FILE_TYPES}
# every media type a stored file can be served with (text/plain carries its charset)
MEDIA_TYPES: tuple[str, ...] = tuple(t.media_type for t in FILE_TYPES)


def parse_type_names(value: str) -> frozenset[str]:
    """`pdf,jpeg,png` → the names; an unknown or empty list is an error."""
    names = frozenset(part.strip().lower() for part in value.split(",") if part.strip())
    unknown = sorted(names - TYPE_BY_NAME.keys())
    if unknown:
        raise ValueError(f"未知的附件类型：{'、'.join(unknown)}；可用：{'、'.join(TYPE_BY_NAME)}")
    if not names:
        raise ValueError(f"至少须允许一种附件类型；可用：{'、'.join(TYPE_BY_NAME)}")
    return names


def allowed_labels(names: frozenset[str]) -> str:
    return "、".join(t.label for t in FILE_TYPES if t.name in names)
