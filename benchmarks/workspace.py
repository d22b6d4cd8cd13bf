"""From "save" of an edited project in the workspace to the updated image of its ผ.02 page.

    .venv/bin/python benchmarks/workspace.py                  # the demo plan
    .venv/bin/python benchmarks/workspace.py --projects 1000  # benchmarks/make_plan.py's plan

Starts `saoreport serve` over a copy of the plan, builds it once, then, each round, does what
an officer's browser does: opens a project's form, changes its name, saves (the form's POST:
plan.yaml rewritten in place and validated), starts a build (POST), asks its state until it is
done (build.json, every 20 ms), finds the page that holds the new name (pages?find=) and
fetches that page's image. Prints each step's wall time per round and the least and median
of the rounds. A benchmark, not a test: the machine's load moves every number.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]


class Form(HTMLParser):
    """The fields of the page's form whose action is *action*, as a browser would send them."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.fields = action, False, {}
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action") == self.action
        elif not self.inside:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields[str(a["name"])] = a.get("value") or ""
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and "selected" in a:
            self.fields[self.select] = a.get("value") or ""
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.fields[str(self.textarea)] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.fields[self.textarea] += data


def form(html: str, action: str) -> dict[str, str]:
    parser = Form(action)
    parser.feed(html)
    return dict(parser.fields)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def cpu_seconds(root: int) -> float:
    """CPU time of process *root* and every process under it, with the children they have
    already waited for (a build's layout workers): /proc's utime, stime, cutime, cstime."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    times: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = sum(int(f) for f in fields[11:15])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total / ticks


def wait_built(client: httpx.Client, slug: str, number: int) -> dict[str, Any]:
    """The build's last state, once done, with the most parts its progress said ("said")."""
    said = ""
    while True:
        state: dict[str, Any] = client.get(f"/plan/{slug}/build.json").json()
        if state["state"] == "running" and state["parts"]:
            said = state["said"]
        if state["number"] >= number and state["state"] in ("done", "failed"):
            assert state["state"] == "done", state
            state["progress"] = said
            return state
        time.sleep(0.02)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=0, help="0: the demo plan")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--project", type=int, help="the project edited (default: the middle)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="saoreport-workspace-"))
    slug = "demo" if not args.projects else f"p{args.projects}"
    if args.projects:
        subprocess.run(
            [sys.executable, ROOT / "benchmarks/make_plan.py", "--projects", str(args.projects)]
            + [str(folder / "plans" / slug)],
            check=True,
        )
    else:
        shutil.copytree(ROOT / "plans/demo", folder / "plans/demo")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "saoreport", "serve", "--port", str(port)],
        cwd=folder,
        env={**os.environ, "SAOREPORT_LANG": "en"},
    )
    address = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=address, timeout=600) as client:
            for _attempt in range(600):
                try:
                    client.get("/")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            page = client.get(f"/plan/{slug}/build").text
            token = re.search(r'name="csrf" value="([^"]+)"', page)[1]  # type: ignore[index]
            start = time.perf_counter()
            client.post(f"/plan/{slug}/build", data={"csrf": token})
            first = wait_built(client, slug, 1)
            print(f"first build: {time.perf_counter() - start:.1f} s", flush=True)
            number = first["number"]
            rows = client.get(f"/plan/{slug}/rows/projects").text
            count = len(set(re.findall(r"/plan/[^/]+/row/projects\.(\d+)\"", rows)))
            which = args.project if args.project is not None else count // 2
            times: dict[str, list[float]] = {"save": [], "build": [], "image": [], "total": []}
            cpu: list[float] = []
            for round_ in range(args.rounds):
                action = f"/plan/{slug}/row/projects.{which}"
                fields = form(client.get(action).text, action)
                name_key = next(k for k in fields if k.endswith("name") and "projects" in k)
                base = re.sub(r" \(แก้ไขครั้งที่ \d+\)$", "", fields[name_key])
                fields[name_key] = f"{base} (แก้ไขครั้งที่ {round_ + 1})"
                c0 = cpu_seconds(server.pid)
                t0 = time.perf_counter()
                saved = client.post(action, data=fields)
                assert saved.status_code in (200, 303), saved.text[:500]
                t1 = time.perf_counter()
                client.post(f"/plan/{slug}/build", data={"csrf": token})
                number += 1
                said = wait_built(client, slug, number)["progress"]
                t2 = time.perf_counter()
                year = re.search(
                    r"/files/build/[^/]+/(\d{4})/strategy.pdf",
                    client.get(f"/plan/{slug}/build").text,
                )[1]  # type: ignore[index]
                shown = client.get(
                    f"/plan/{slug}/pages/{year}/strategy.pdf", params={"find": fields[name_key]}
                ).text
                found = re.search(r"strategy.pdf/(\d+)\.png", shown)
                assert found and "No page holds" not in shown, shown[-2000:]
                image = client.get(f"/plan/{slug}/pages/{year}/strategy.pdf/{found[1]}.png")
                assert image.headers["content-type"] == "image/png"
                t3 = time.perf_counter()
                cpu.append(cpu_seconds(server.pid) - c0)
                for key, value in (("save", t1 - t0), ("build", t2 - t1), ("image", t3 - t2)):
                    times[key].append(value)
                times["total"].append(t3 - t0)
                print(
                    f"round {round_ + 1}: save {t1 - t0:.2f} s, build {t2 - t1:.2f} s,"
                    f" find the page and its image {t3 - t2:.2f} s (page {found[1]}),"
                    f" total {t3 - t0:.2f} s, {cpu[-1]:.2f} CPU-s; progress said: {said!r}",
                    flush=True,
                )
            cores = os.cpu_count()
            print(f"\n{slug}: project {which} of {count}, {args.rounds} rounds, {cores} cores")
            print("| step | least s | median s |\n| --- | ---: | ---: |")
            for key, values in times.items():
                print(f"| {key} | {min(values):.2f} | {statistics.median(values):.2f} |")
            least, median = min(cpu), statistics.median(cpu)
            print(f"| CPU-s of the server and its workers | {least:.2f} | {median:.2f} |")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
