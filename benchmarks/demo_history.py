"""Make the demo's history: the archive its editions are built against, and their books.

    python benchmarks/demo_history.py OUT_DIR

plans/demo is the plan as it stands after เปลี่ยนแปลง ครั้งที่ 1/2568; its editions name the
archived versions they amend (v1, v2). This script derives those versions from plans/demo by
editing a copy (nothing is typed twice) and archives them in turn into OUT_DIR/archive:

- v1, the adopted plan: without editions, without the items the เพิ่มเติม added, and with the
  changed items' values as they were (OLD below);
- v2, v1 plus the items the เพิ่มเติม added and its edition entry (the archive freezes the
  เพิ่มเติม book and ประกาศ with it);
- v3, plans/demo itself (with the เปลี่ยนแปลง book and ประกาศ);

then builds the latest edition's documents with `saoreport edition` into OUT_DIR/build.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from saoreport.cli import main

DEMO = Path(__file__).resolve().parent.parent / "plans" / "demo"

# What the เปลี่ยนแปลง changed, as it was in the adopted plan (the เดิม side of its book).
OLD: dict[str, dict[str, Any]] = {
    "P0006": {
        "target": "ถนน คสล. กว้าง 5 เมตร ยาว 500 เมตร หนา 0.15 เมตร หรือพื้นที่ไม่น้อยกว่า 2,500 ตารางเมตร",
        "kpi": "ถนน คสล. ระยะทาง 500 เมตร แล้วเสร็จ",
        "budget": {2569: 1625000},
    }
}


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: comments, order and flow style kept
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def derive(folder: Path, editions: int) -> None:
    """Rewrite folder/plan.yaml as the plan stood with its first `editions` editions."""
    yaml = _yaml()
    file = folder / "plan.yaml"
    data = yaml.load(file.read_text(encoding="utf-8"))
    kept = data["editions"][:editions]
    names = {f"{e['kind']} ครั้งที่ {e['number']}/{e['year']}" for e in kept}
    if kept:
        del data["editions"][editions:]
    else:
        del data["editions"]
    for key in ("projects", "equipment"):
        rows = data[key]
        for row in [r for r in rows if r.get("amendment") and r["amendment"] not in names]:
            rows.remove(row)
        for row in rows:
            changes = [c for c in row.get("changed", []) if c["edition"] in names]
            if "changed" in row and len(changes) < len(row["changed"]):
                for field, value in OLD[row["id"]].items():
                    row[field] = value
                if changes:
                    row["changed"] = changes
                else:
                    del row["changed"]
    with file.open("w", encoding="utf-8") as out:
        yaml.dump(data, out)


def history(out: Path, source: Path = DEMO) -> dict[str, Path]:
    """Archive v1, v2 and v3 of the demo under out/archive; return where each version is."""
    folder, root = out / "plans" / source.name, out / "archive"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(source, folder)
    found = {"plan": folder, "root": root}
    for version, editions in (("v1", 0), ("v2", 1), ("v3", 2)):
        shutil.copyfile(source / "plan.yaml", folder / "plan.yaml")
        if editions < 2:
            derive(folder, editions)
        if main(["archive", "freeze", str(folder), "--root", str(root)]) != 0:
            raise SystemExit(f"archiving {version} failed")
        fiscal = next(p for p in (root / source.name).iterdir() if p.is_dir())
        found[version] = fiscal / version
    return found


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, metavar="OUT_DIR")
    args = parser.parse_args()
    found = history(args.out)
    code = main(
        [
            "edition",
            str(found["plan"]),
            "--root",
            str(found["root"]),
            "--out",
            str(args.out / "build"),
        ]
    )
    for version in ("v1", "v2", "v3"):
        print(version, found[version])
    sys.exit(code)


if __name__ == "__main__":
    run()
