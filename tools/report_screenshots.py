"""Pictures of the demo annual report for the documentation: each rendering printed to A4 PDF
pages, the pages laid out two to a row in one PNG (docs/report-<format>.png).

The demo report is examples/sample-2023.json replayed into a fresh SQLite database (as
`casework demo` does). A rendering's picture is one entry of PRINTERS: a function that writes
the report in that format and prints it to PDF (HTML through headless Chromium; another format
adds its own, e.g. DOCX through LibreOffice). Needs `pdftoppm` (poppler-utils). Not run in CI.

    python tools/report_screenshots.py              # every format in PRINTERS
    python tools/report_screenshots.py html --dpi 80
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SAMPLE = ROOT / "examples" / "sample-2023.json"
YEAR = 2023
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
sys.path.insert(0, str(ROOT))

from casework.reports.document import AnnualReport  # noqa: E402

Printer = Callable[[AnnualReport, Path], Path]
"""(document, scratch folder) → the PDF of that rendering, written in the scratch folder."""


def demo_document(tmp: Path) -> AnnualReport:
    """The demo history replayed into a fresh database, its 2023 report built."""
    from casework.db import make_engine, unit_of_work
    from casework.migrate import upgrade
    from casework.reports.document import build
    from casework.services.directory import agency_by_code
    from casework.services.replay import load_file, replay
    from casework.timeutil import utcnow

    engine = make_engine(f"sqlite:///{(tmp / 'demo.sqlite').as_posix()}")
    upgrade(engine)
    data = load_file(SAMPLE)
    today = date.today()
    with unit_of_work(engine) as session:
        replay(session, data, today, today)
    with unit_of_work(engine) as session:
        document = build(session, agency_by_code(session, data.agency.code), YEAR, utcnow())
    engine.dispose()
    return document


def rendered(document: AnnualReport, fmt: str, tmp: Path) -> Path:
    from casework.reports.render import FORMATS

    path = tmp / f"report{FORMATS[fmt].suffix}"
    path.write_bytes(FORMATS[fmt].render(document))
    return path


def html_pdf(document: AnnualReport, tmp: Path) -> Path:
    """The HTML page printed by headless Chromium with the page's own A4 style (@page)."""
    page, pdf = rendered(document, "html", tmp), tmp / "report-html.pdf"
    profile = tmp / "chromium-profile"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={profile}", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return pdf


def docx_pdf(document: AnnualReport, tmp: Path) -> Path:
    """The DOCX printed by LibreOffice as publishing would (casework.notices.pdf: the fonts the
    document names mapped to Simplified-Chinese ones where they are missing)."""
    from casework.notices.pdf import docx_to_pdf

    pdf = tmp / "report-docx.pdf"
    pdf.write_bytes(docx_to_pdf(rendered(document, "docx", tmp).read_bytes()))
    return pdf


PRINTERS: dict[str, Printer] = {"html": html_pdf, "docx": docx_pdf}


def pdf_to_png(
    pdf: Path, png: Path, dpi: int, columns: int = 2, gap: int = 16
) -> tuple[int, int, int]:
    """Every page of the PDF on a grey ground, `columns` to a row, in one PNG; (pages, width,
    height)."""
    from PIL import Image

    pages_dir = pdf.parent / f"{pdf.stem}-pages"
    pages_dir.mkdir()
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(pages_dir / "page")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    pages = [Image.open(p).convert("RGB") for p in sorted(pages_dir.glob("page-*.png"))]
    cell_w, cell_h = max(p.width for p in pages), max(p.height for p in pages)
    rows = -(-len(pages) // columns)
    across = min(columns, len(pages))
    width, height = across * (cell_w + gap) + gap, rows * (cell_h + gap) + gap
    sheet = Image.new("RGB", (width, height), (128, 128, 128))
    for index, page in enumerate(pages):
        row, col = divmod(index, columns)
        sheet.paste(page, (gap + col * (cell_w + gap), gap + row * (cell_h + gap)))
    png.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(png, optimize=True)
    return len(pages), width, height


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("formats", nargs="*", default=list(PRINTERS), help="e.g. html")
    parser.add_argument("--dpi", type=int, default=80)
    parser.add_argument("--columns", type=int, default=2, help="pages to a row")
    args = parser.parse_args(argv)
    unknown = [f for f in args.formats if f not in PRINTERS]
    if unknown:
        parser.error(f"没有这种格式的截图：{'、'.join(unknown)}（可用：{'、'.join(PRINTERS)}）")
    if shutil.which("pdftoppm") is None:
        parser.error("找不到 pdftoppm（请安装 poppler-utils）")
    with tempfile.TemporaryDirectory(prefix="casework-shots-") as scratch:
        tmp = Path(scratch)
        document = demo_document(tmp)
        for fmt in args.formats:
            target = DOCS / f"report-{fmt}.png"
            pages, width, height = pdf_to_png(
                PRINTERS[fmt](document, tmp), target, args.dpi, args.columns
            )
            print(f"{target.relative_to(ROOT)}：{pages} 页，{width}×{height} 像素")
    return 0


if __name__ == "__main__":
    sys.exit(main())
