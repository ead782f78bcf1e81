"""``python -m tests.benchmarks``: hubprops side by side with what users do today.

Every contender syncs the same definitions against its own sandbox process (HTTP on loopback,
100 ms latency, a rolling rate limit) through a first full sync, a no-op sync and a sync with
10% changes, at 40, 400 and 2,000 properties (contacts + leads). Then, optionally, the
binding-limit case and the plan at scale. Writes ``--out``.md and ``--out``.json.

Examples::

    python -m tests.benchmarks                                    # everything (long)
    python -m tests.benchmarks --sizes 40,400 --jobs 3            # baselines side by side
    python -m tests.benchmarks --only scale                       # the cold-plan figures
"""

from __future__ import annotations

import argparse
import compileall
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.benchmarks import contenders
from tests.benchmarks.binding import run_binding
from tests.benchmarks.harness import REPO
from tests.benchmarks.report import machine, machine_line, write
from tests.benchmarks.scale import run_scale
from tests.benchmarks.sync import Settings, run_cell

DEFAULT_OUT = Path(__file__).parent / "results" / "latest"


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x]


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m tests.benchmarks", description=__doc__.split("\n")[0]
    )
    p.add_argument(
        "--only",
        choices=("sync", "binding", "scale"),
        action="append",
        help="run only these parts (repeatable; default: all three)",
    )
    p.add_argument("--sizes", type=_ints, default=[40, 400, 2000], help="total properties")
    p.add_argument("--contenders", default=",".join(contenders.ALL))
    p.add_argument("--latency", type=float, default=100.0, help="sandbox latency, ms")
    p.add_argument("--rate-limit", default="190/10", help="sandbox limit N/SECONDS (sync part)")
    p.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="baselines run this many at a time, each against its own sandbox "
        "(hubprops always runs alone)",
    )
    p.add_argument("--binding-contenders", default="hubprops,naive-httpx")
    p.add_argument("--scale-sizes", type=_ints, default=[1000, 10000], help="per object type")
    p.add_argument("--repeat", type=int, default=5, help="end-to-end plan runs (median)")
    p.add_argument("--timeout", type=float, default=1800.0, help="seconds per contender phase")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    parts = args.only or ["sync", "binding", "scale"]
    # What `pip install` does: hubprops' bytecode is compiled once, not at every process start
    # (this machine sets PYTHONDONTWRITEBYTECODE, which would charge every run ~0.2 s for it).
    compileall.compile_dir(str(REPO / "hubprops"), quiet=1)
    limit, _, window = args.rate_limit.partition("/")
    settings = Settings(args.latency, int(limit), float(window), args.timeout)
    results: dict[str, Any] = {"machine": machine(), "settings": settings.__dict__}
    print(machine_line(results["machine"]), flush=True)
    if "sync" in parts:
        names = args.contenders.split(",")
        cells = [(n, size) for size in args.sizes for n in names]
        rows: dict[tuple[str, int], list[Any]] = {}
        for n, size in cells:  # hubprops alone: nothing else competes for the CPU
            if n == "hubprops":
                rows[(n, size)] = run_cell(n, size, settings)
        others = [c for c in cells if c[0] != "hubprops"]
        with ThreadPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
            futures = {c: pool.submit(run_cell, c[0], c[1], settings) for c in others}
            for c, f in futures.items():
                rows[c] = f.result()
        results["sync"] = [r.as_dict() for c in cells for r in rows[c]]
    if "binding" in parts:
        results["binding_settings"] = f"100/10 s, {args.latency:g} ms latency"
        results["binding"] = run_binding(
            args.binding_contenders.split(","), latency_ms=args.latency
        )
    if "scale" in parts:
        results["scale"] = run_scale(args.scale_sizes, repeat=args.repeat)
    print()
    print(write(args.out, results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
