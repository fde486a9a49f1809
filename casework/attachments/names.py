"""File names as a client sends them, made safe to keep, show and hand back."""

from __future__ import annotations

import re
import unicodedata

from casework.attachments.types import FileType
from casework.errors import UnsupportedType

MAX_NAME = 200
DEFAULT_NAME = "附件"
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')  # not allowed in a Windows file name
_SPACES = re.compile(r"\s+")
_EXTENSION = re.compile(r"\.([A-Za-z0-9]{1,5})$")
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


def clean_filename(raw: str) -> str:
    """The last path component, NFC, without control or format characters (a right-to-left
    override can make `发票\u202efdp.exe` look like a PDF), characters Windows forbids, leading
    dots or spaces; at most 200 characters, the extension kept; never empty."""
    name = unicodedata.normalize("NFC", raw)
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(
        " " if ch.isspace() else ch
        for ch in name
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    name = _FORBIDDEN.sub("_", name)
    name = _SPACES.sub(" ", name).strip(" .")
    if _RESERVED.match(name):
        name = "_" + name
    if len(name) > MAX_NAME:
        suffix = extension_of(name) or ""
        name = name[: MAX_NAME - len(suffix)].rstrip(" .") + suffix
    return name or DEFAULT_NAME


def extension_of(name: str) -> str | None:
    """`.pdf` of `答复书.PDF` (lower case); None for no extension or for a suffix that is a
    version number rather than a type (`答复书v1.2`)."""
    found = _EXTENSION.search(name)
    if found is None or found.group(1).isdigit():
        return None
    return "." + found.group(1).lower()


def agreed_filename(name: str, kind: FileType) -> str:
    """The rule: the content decides the type, and the name must not claim another. A name
    with no extension gets the type's own; one with another type's extension is refused (a
    PNG named `.pdf` is refused, not kept under a name that lies)."""
    suffix = extension_of(name)
    if suffix is None:
        return name + kind.extensions[0]
    if suffix in kind.extensions:
        return name
    raise UnsupportedType(
        f"文件名“{name}”的扩展名 {suffix} 与文件内容（{kind.label}）不符；"
        f"请改为 {kind.extensions[0]} 或去掉扩展名后重新上传"
    )
