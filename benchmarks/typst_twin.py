"""A Typst twin of a plan's ผ.02 tables, to keep the gap between WeasyPrint and Typst in view.

    .venv/bin/python benchmarks/typst_twin.py PLAN_DIR [--out twin.pdf]

The same rows (project, objective, target, budget per year, KPI, result, unit), the same font
(Sarabun at the form's official size), landscape A4 with the table header repeated on every
page, each programme on a page of its own under a short heading. It is not saoreport's
document (no text-layer repair, no contents, no posters): it measures what laying out and
writing the same table rows costs in Typst, for the README's comparison.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from saoreport.document.render import LINE, SIZES
from saoreport.fonts.family import font_family
from saoreport.plan import summary
from saoreport.plan.validate import check
from saoreport.thai import money


def _escape(text: str) -> str:
    """Text as Typst markup content, taken literally."""
    special = "\\#$*_`<>@[]~/=-+\"'"
    return "".join("\\" + c if c in special else c for c in text)


def source(folder: Path) -> tuple[str, list[Path]]:
    plan = check(folder).plan
    family = font_family(plan.settings.font)
    years = plan.years
    size, body = family.pt(SIZES["form"]), family.pt(SIZES["body"])
    lead = round(size * LINE, 2)  # baseline to baseline, as in the HTML
    widths = ", ".join(
        ["3fr", "14fr", "12fr", "12fr"] + ["6fr"] * len(years) + ["9.5fr", "9.5fr", "10fr"]
    )
    out = [
        '#set page(paper: "a4", flipped: true, margin: (top: 2.2cm, bottom: 1.5cm, x: 1.75cm))',
        f'#set text(font: "{family.name}", size: {size}pt, lang: "th",'
        f" top-edge: {lead * 0.75:.2f}pt, bottom-edge: -{lead * 0.25:.2f}pt)",
        "#set par(justify: false, leading: 0pt)",
    ]
    header = ["ที่", "โครงการ", "วัตถุประสงค์", "เป้าหมาย (ผลผลิตของโครงการ)"]
    header += [f"{y} (บาท)" for y in years] + ["ตัวชี้วัด (KPI)", "ผลที่คาดว่าจะได้รับ", "หน่วยงาน"]
    cells_header = ", ".join(f"[*{_escape(h)}*]" for h in header)
    first = True
    for block in summary.blocks(plan):
        for programme in block.programmes:
            if not first:
                out.append("#pagebreak()")
            first = False
            out.append(
                f'#text(size: {body}pt, weight: "bold")[{_escape(block.strategy.name)}'
                f" — {_escape(programme.name)}]"
            )
            rows = []
            for i, p in enumerate(programme.projects, 1):
                cells = [str(i), p.name, p.objective, p.target]
                cells += [money(p.in_year(y)) for y in years] + [p.kpi, p.result, p.unit]
                rows.append(", ".join(f"[{_escape(c)}]" for c in cells))
            out.append(
                f"#table(columns: ({widths}), inset: (x: 3pt, y: 1pt), stroke: 0.6pt,"
                f" table.header(repeat: true, {cells_header}),\n  " + ",\n  ".join(rows) + ")"
            )
    font_dirs = sorted({p.parent for p in family.files})
    return "\n".join(out) + "\n", font_dirs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("plan", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    import typst

    start = time.perf_counter()
    text, fonts = source(args.plan)
    pdf = typst.compile(text.encode(), font_paths=[str(f) for f in fonts])
    seconds = time.perf_counter() - start
    if args.out:
        args.out.write_bytes(pdf)
    print(f"{seconds:.2f} s, {len(pdf)} bytes")


if __name__ == "__main__":
    main()
