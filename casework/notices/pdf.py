"""PDF through LibreOffice (`soffice --headless --convert-to pdf`), where it is installed.

Each conversion runs with a profile directory of its own, so conversions at the same time do
not block on one profile's lock. A PDF is made on request and not stored: the DOCX (re-rendered
from the stored context) is the document of record.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from casework.errors import CaseworkError

TIMEOUT_SECONDS = 120
FONTS = Path(__file__).parent / "fonts.conf"  # 宋体/仿宋_GB2312 → a Simplified-Chinese font


class PdfUnavailable(CaseworkError):
    """No LibreOffice here, or it failed: the DOCX is still there."""

    code = "pdf_unavailable"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice() is not None


def docx_to_pdf(docx: bytes) -> bytes:
    program = soffice()
    if program is None:
        raise PdfUnavailable("本服务器未安装 LibreOffice，无法生成 PDF；请下载 DOCX 文件")
    with tempfile.TemporaryDirectory(prefix="casework-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "notice.docx"
        source.write_bytes(docx)
        argv = [program, f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                "--headless", "--norestore", "--nologo", "--convert-to", "pdf",
                "--outdir", str(folder), str(source)]  # fmt: skip
        try:
            done = subprocess.run(
                argv,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
                env={**os.environ, "FONTCONFIG_FILE": str(FONTS)},
            )
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(f"LibreOffice 在 {TIMEOUT_SECONDS} 秒内未完成 PDF 转换") from None
        target = folder / "notice.pdf"
        if done.returncode != 0 or not target.exists():
            error = done.stderr.decode("utf-8", "replace").strip()[-300:]
            raise PdfUnavailable(f"LibreOffice 未能生成 PDF：{error or done.returncode}")
        return target.read_bytes()
