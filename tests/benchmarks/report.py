"""The benchmark's output: a Markdown table and JSON, with the machine they came from."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = -1.0
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": model or platform.processor(),
        "python": platform.python_version(),
        "load_at_start": round(load, 2),
        "commit": commit,
    }


def machine_line(m: dict[str, Any]) -> str:
    return (
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), Python {m['python']}, "
        f"load average {m['load_at_start']} at start, commit {m['commit']}"
    )


def _cell(value: Any, fmt: str = "{}") -> str:
    return "-" if value is None else fmt.format(value)


def sync_table(rows: Sequence[dict[str, Any]]) -> str:
    head = (
        "| properties | phase | contender | result | wall s | requests | req/property | 429s "
        "| min requests | rate-limit min s | x min |\n"
        "|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    lines = [
        f"| {r['size']} | {r['phase']} | {r['contender']} | {r['status']} "
        f"| {_cell(r['wall_s'], '{:.2f}')} | {r['requests']} "
        f"| {r['requests_per_property']:.2f} | {r['throttled']} | {r['min_requests']} "
        f"| {r['min_s']:.2f} | {_cell(r['ratio_to_min'], '{:.1f}')} |"
        for r in rows
    ]
    return head + "\n".join(lines) + "\n"


def binding_table(rows: Sequence[dict[str, Any]]) -> str:
    head = (
        "| contender | result | measured | wall s | requests | 429s | rate-limit min s | x min |\n"
        "|---|---|---|---:|---:|---:|---:|---:|\n"
    )
    lines = [
        f"| {r['contender']} | {r['status']} | {r['measured']} | {_cell(r['wall_s'], '{:.1f}')} "
        f"| {r['requests']} | {r['throttled']} | {r['min_s']:.1f} "
        f"| {_cell(r['ratio_to_min'], '{:.3f}')} |"
        for r in rows
    ]
    return head + "\n".join(lines) + "\n"


def scale_table(rows: Sequence[dict[str, Any]]) -> str:
    head = "| properties per type | measured | wall s | peak RSS MB |\n|---:|---|---:|---:|\n"
    lines = [
        f"| {r['per_type']} | {r['measured']} | {r['wall_s']:.3f} | {r['peak_rss_mb']:.0f} |"
        for r in rows
    ]
    return head + "\n".join(lines) + "\n"


def write(out: Path, results: dict[str, Any]) -> str:
    """Write ``out``.json and ``out``.md; return the Markdown."""
    parts = [machine_line(results["machine"]), ""]
    s = results.get("settings")
    if results.get("sync"):
        parts += [
            f"Sync, sandbox over HTTP with {s['latency_ms']:g} ms latency and a "
            f"{s['limit']}/{s['window']:g} s rolling limit:",
            "",
            sync_table(results["sync"]),
        ]
    if results.get("binding"):
        parts += [
            "Binding limit: 2,000 properties, every one needing a PATCH, "
            f"{results['binding_settings']}:",
            "",
            binding_table(results["binding"]),
        ]
    if results.get("scale"):
        parts += [
            "Plan at scale (sandbox without latency, quota lifted):",
            "",
            scale_table(results["scale"]),
        ]
    markdown = "\n".join(parts)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(markdown, encoding="utf-8")
    return markdown
