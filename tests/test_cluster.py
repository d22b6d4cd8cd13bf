"""`saoreport build --scheduler`: a batch on a Dask cluster (here a LocalCluster of two worker
processes) gives the bytes of a local build, survives a killed worker, and reports a plan that
fails as a local build does."""

from __future__ import annotations

import os
import re
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from saoreport.pipeline.batch import build_many
from saoreport.pipeline.cluster import build_on_cluster

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def files(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".saoreport-parts" not in p.parts
    }


def copies(tmp_path: Path, slugs: list[str]) -> list[Path]:
    folders = []
    for index, slug in enumerate(slugs):
        target = tmp_path / "plans" / f"{slug}-{index}"
        shutil.copytree(ROOT / "plans" / slug, target)
        folders.append(target)
    return folders


def test_same_bytes_as_a_local_build(client: object, tmp_path: Path) -> None:
    folders = copies(tmp_path, ["khi-lek", "nong-hang", "demo"])
    local = build_many(folders, tmp_path / "local", jobs=1, use_cache=False)
    remote = list(build_on_cluster(client, folders, tmp_path / "remote", use_cache=False))
    assert [r.error for r in local + remote] == [None] * 6
    assert files(tmp_path / "remote") == files(tmp_path / "local")
    assert sorted(r.folder for r in remote) == sorted(folders)
    # The build notes (posters' sizes) arrive with the documents, in the same order.
    by_folder = {r.folder: r for r in remote}

    def untimed(notes: list[str]) -> list[str]:
        return [re.sub(r", [0-9.]+ s$", "", note) for note in notes]

    assert [untimed(by_folder[r.folder].notes) for r in local] == [untimed(r.notes) for r in local]
    assert all(r.notes for r in remote)
    # Built already: a second run makes nothing, on the cluster or not.
    again = list(build_on_cluster(client, folders, tmp_path / "remote"))
    assert all(len(r.cached) == len(r.outputs) for r in again)


def test_a_killed_worker_is_replaced_and_nothing_is_torn(client: object, tmp_path: Path) -> None:
    folders = copies(tmp_path, ["khi-lek"] * 6)
    assert build_many(folders[:1], tmp_path / "local", jobs=1, use_cache=False)[0].error is None
    pids = client.run(os.getpid)  # type: ignore[attr-defined]
    killed = next(iter(pids.values()))
    results = []
    for result in build_on_cluster(client, folders, tmp_path / "remote", use_cache=False):
        if not results:  # the first SAO is done: kill a worker in the middle of the others
            os.kill(killed, signal.SIGKILL)
        results.append(result)
    assert [r.error for r in results] == [None] * 6
    want = files(tmp_path / "local" / folders[0].name)
    for folder in folders:
        assert files(tmp_path / "remote" / folder.name) == want
    assert not [p for p in (tmp_path / "remote").rglob("*.part")]
    client.wait_for_workers(2, timeout=60)  # type: ignore[attr-defined]
    now = client.run(os.getpid)  # type: ignore[attr-defined]
    assert killed not in now.values() and len(now) == 2  # the nanny started a new worker


def test_a_failing_plan_is_reported_as_locally_and_the_others_build(
    client: object, tmp_path: Path
) -> None:
    folders = copies(tmp_path, ["khi-lek", "nong-hang", "khi-lek"])
    invalid, broken = folders[0], folders[2]
    plan = invalid / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("fiscal_year:", "fiscal_yaer:"))
    # Valid, but its logo cannot be drawn: this fails on the worker, not in validation.
    (broken / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n not an image")
    text = (broken / "plan.yaml").read_text(encoding="utf-8")
    (broken / "plan.yaml").write_text(
        text.replace("  short_name:", "  logo: logo.png\n  short_name:")
    )

    local = {r.folder: r for r in build_many(folders, tmp_path / "local", 1, use_cache=False)}
    remote = {
        r.folder: r for r in build_on_cluster(client, folders, tmp_path / "remote", use_cache=False)
    }
    assert local[invalid].error and "fiscal_yaer" in local[invalid].error
    assert local[broken].error
    for folder in folders:
        assert remote[folder].error == local[folder].error
    assert remote[folders[1]].error is None
    assert files(tmp_path / "remote" / folders[1].name) == files(
        tmp_path / "local" / folders[1].name
    )
    assert not (tmp_path / "remote" / broken.name).exists() or not list(
        (tmp_path / "remote" / broken.name).rglob("*.pdf")
    )


def test_without_distributed_the_option_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    from saoreport.cli import main

    real = builtins.__import__

    def no_dask(name: str, *args: object, **kwargs: object) -> object:
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError(name)
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_dask)
    folders = copies(tmp_path, ["khi-lek"])
    code = main(
        ["build", str(folders[0]), "--out", str(tmp_path / "o"), "--scheduler", "tcp://127.0.0.1:1"]
    )
    assert code == 2
