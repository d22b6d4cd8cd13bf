"""Count line wraps inside Thai words in built documents (the check of tests/test_linebreaks.py).

.venv/bin/python benchmarks/linebreaks.py BUILD_DIR   (as written by `saoreport build --out`)

For each shipped plan found in BUILD_DIR/<slug>/<year>/ and each of its documents: the wraps of
the plan's strings, those inside a reference word (PyThaiNLP newmm, compounds whole; a number
and its unit; ฯลฯ), those inside a word wider than its line, and paragraphs whose last line
holds one word alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_linebreaks import count_document, plan_strings  # noqa: E402


def main() -> None:
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
