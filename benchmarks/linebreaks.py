"""Count line wraps inside Thai words in built documents (the check of tests/test_linebreaks.py).

.venv/bin/python benchmarks/linebreaks.py BUILD_DIR   (as written by `saoreport build --out`)
.venv/bin/python benchmarks/linebreaks.py --corpus [--pango-only]


For each shipped plan found in BUILD_DIR/<slug>/<year>/ and each of its documents: the wraps of
the plan's strings, those inside a reference word (PyThaiNLP newmm, compounds whole; a number
and its unit; ฯลฯ), those inside a word wider than its line, and paragraphs whose last line
holds one word alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from conftest import pdfium_pages  # noqa: E402
from saoreport.pdf import linebreak  # noqa: E402
from test_linebreaks import (  # noqa: E402
    WIDTHS,
    Count,
    corpus,
    count_document,
    every_wrap,
    flat_lines,
    plan_strings,
    render_corpus,
)


def count_corpus() -> None:
    """tests/linebreak_corpus.txt at every width of the test, as paragraphs, table cells and
    justified paragraphs; --pango-only: without saoreport's line breaking (Pango + libthai)."""
    if "--pango-only" in sys.argv:
        linebreak.install = lambda: None
    print(
        f"| corpus ({len(corpus())} strings × {len(WIDTHS)} widths) | wraps | inside a word |"
        " word wider than its line | lone last word |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    for kind in ("body", "table", "justified"):
        flat = flat_lines(pdfium_pages(render_corpus(kind)))
        count = Count()
        for text in corpus():
            for found in every_wrap(text, flat):
                count.add(text, found)
        row = (count.wraps, len(count.bad), len(count.overlong), len(count.lone))
        print(f"| {kind} | " + " | ".join(map(str, row)) + " |")
        for line in count.bad + count.overlong + [f"lone: {t}" for t in count.lone]:
            print(f"  {line}", file=sys.stderr)


def main() -> None:
    if sys.argv[1] == "--corpus":
        count_corpus()
        return
    out = Path(sys.argv[1])
    total = {"wraps": 0, "bad": 0, "overlong": 0, "lone": 0}
    print("| plan | document | wraps | inside a word | word wider than its line | lone last word |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for folder in sorted(p for p in out.iterdir() if p.is_dir()):
        strings = plan_strings(folder.name)
        for pdf in sorted(folder.glob("*/*.pdf")):
            count = count_document(pdf, strings, required=False)
            row = (count.wraps, len(count.bad), len(count.overlong), len(count.lone))
            for key, value in zip(total, row, strict=True):
                total[key] += value
            print(f"| {folder.name} | {pdf.name} | " + " | ".join(map(str, row)) + " |")
            for line in count.bad + count.overlong + [f"lone: {t}" for t in count.lone]:
                print(f"  {line}", file=sys.stderr)
    print(f"| all | | {' | '.join(map(str, total.values()))} |")


if __name__ == "__main__":
    main()
