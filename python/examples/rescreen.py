"""Re-screen a folder of archived scans on a Dask distributed cluster and
write one JSON report per line, in the folder's order.

    python python/examples/rescreen.py FOLDER [--workers N] [--scheduler ADDRESS]
        [--reference-date YYYY-MM-DD] [--out reports.jsonl]

Without --scheduler a local cluster of N worker processes is started (one
thread each: the library parallelises inside a document too). On a real
cluster, start `dask scheduler` and `dask worker` on the machines, install
the wheel on every worker, and pass --scheduler tcp://HOST:8786: the code
is the same. Each task verifies a chunk of documents with one verifier per
worker process (created once, then reused), reads its files itself (the
folder must be visible to the workers: a shared mount or object-store
fuse), and returns the reports' JSON text unchanged.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import List

IMAGES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp")


def documents(folder: Path) -> List[str]:
    """The folder's images (visible and companions), sorted."""
    files = sorted(str(p) for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in IMAGES)
    return files


_VERIFIER = {}


def verify_chunk(paths: List[str], config: str) -> List[str]:
    """Runs on a worker: the chunk's reports, with the worker's verifier."""
    import mrtd_verify

    v = _VERIFIER.get(config)
    if v is None:
        v = _VERIFIER[config] = mrtd_verify.Verifier(config)
    return v.verify_files_json(paths)


def chunks(files: List[str], size: int) -> List[List[str]]:
    """Chunks of about `size` files that never split a document from its
    companions (NAME-ir.*, NAME-uv.* sort right after NAME.*'s siblings)."""
    def key(p: str) -> str:
        stem, _ = os.path.splitext(p)
        for band in ("-ir", "-uv"):
            if stem.endswith(band):
                return stem[: -len(band)]
        return stem

    out, current, last = [], [], None
    for f in files:
        k = key(f)
        if len(current) >= size and k != last:
            out.append(current)
            current = []
        current.append(f)
        last = k
    if current:
        out.append(current)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scheduler", default=None)
    ap.add_argument("--reference-date", default=None)
    ap.add_argument("--chunk", type=int, default=8, help="files per task")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()

    from dask.distributed import Client, LocalCluster

    import json

    config = json.dumps({"reference_date": args.reference_date} if args.reference_date else {})
    files = documents(args.folder)
    if not files:
        print(f"rescreen: no images under {args.folder}", file=sys.stderr)
        return 2
    cluster = None
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    start = time.perf_counter()
    futures = client.map(verify_chunk, chunks(files, args.chunk), config=config, pure=False)
    out = open(args.out, "w") if args.out else sys.stdout
    n = 0
    for future in futures:  # in the folder's order
        for line in future.result():
            out.write(line + "\n")
            n += 1
    elapsed = time.perf_counter() - start
    if args.out:
        out.close()
    print(f"rescreen: {n} documents in {elapsed:.2f} s ({n / elapsed:.1f} documents/s) "
          f"on {len(client.scheduler_info()['workers'])} workers", file=sys.stderr)
    client.close()
    if cluster:
        cluster.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
