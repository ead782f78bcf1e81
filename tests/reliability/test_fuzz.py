"""Property-based fuzzing of everything hubprops reads from disk (issue 17, "Done means"):
definitions files (``validate``), plan files (``show``, ``apply --sandbox``) and lock files
(``status``, ``plan --sandbox``). Whatever the content, the CLI answers with exit 0 or 1 (2 for a
plan with changes), never a traceback, never "unexpected error", and within a per-case deadline.

The default run tries a few dozen cases per file kind; ``-m slow`` runs thousands and prints how
many it tried.
"""

from __future__ import annotations

import copy
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubprops.cli import main
from hubprops.plan.file import checksum
from tests.helpers.apply import REPO

#: Field names and values that hubprops gives meaning to, so that the fuzzer gets past the
#: first checks often, mixed with anything.
KEYS = st.sampled_from(
    [
        "objectType",
        "properties",
        "groups",
        "name",
        "label",
        "type",
        "fieldType",
        "groupName",
        "options",
        "value",
        "displayOrder",
        "hidden",
        "description",
        "renames",
        "from",
        "to",
        "format_version",
        "portals",
        "objects",
        "sha256",
        "id",
        "changes",
        "action",
        "kind",
        "before",
        "after",
        "payload",
        "diffs",
        "checksum",
        "in_sync",
    ]
) | st.text(max_size=8)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(["contacts", "leads", "..", "string", "enumeration", "text", "a\n", "   "])
    | st.text(max_size=20)
)
JSONISH = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=25,
)
#: Text that YAML gives meaning to: tags, anchors, aliases, flow collections.
YAML_BITS = st.lists(
    st.sampled_from(
        [
            "objectType: contacts\n",
            "properties:\n",
            "  - name: a\n",
            "    label: A\n",
            "    type: !!int 'x'\n",
            "    label: !!timestamp '2024-13-45'\n",
            "&a [1, 2]\n",
            "*a\n",
            "x: *a\n",
            "    options: [{label: A, value: a}]\n",
            "- ",
            ": ",
            "'",
            '"\\ud800"\n',
            "!!binary AAAA\n",
            "!!python/object:os.system\n",
            "<<: *a\n",
            "---\n",
            "\t",
            "{",
            "}",
            "[",
            "]",
        ]
    )
    | st.text(max_size=10),
    max_size=20,
).map("".join)

MARKERS = ("Traceback", "unexpected error")


def _run(args: list[str]) -> None:
    started = time.monotonic()
    result = CliRunner().invoke(main, args, catch_exceptions=True)
    elapsed = time.monotonic() - started
    output = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert not any(m in output for m in MARKERS), output
    assert result.exit_code in (0, 1, 2), (result.exit_code, output)
    assert elapsed < 10, f"{args} took {elapsed:.1f}s"


def _workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    os.chdir(folder)
    return folder


def _base_plan(folder: Path) -> dict[str, Any]:
    """A real plan of the repo's definitions against a fresh sandbox."""
    defs = folder / "definitions"
    if not defs.exists():
        import shutil

        shutil.copytree(REPO / "definitions", defs)
    result = CliRunner().invoke(main, ["plan", "--sandbox", "-o", "base-plan.json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads((folder / "base-plan.json").read_text())
    return data


def _mutate(data: Any, path: list[int], value: Any) -> Any:
    """``data`` with the node that ``path`` picks (indexes taken modulo) replaced by
    ``value``."""
    if not path or not isinstance(data, (dict, list)) or not data:
        return value
    out = copy.copy(data)
    if isinstance(out, dict):
        key = sorted(out)[path[0] % len(out)]
        out[key] = _mutate(out[key], path[1:], value)
    else:
        index = path[0] % len(out)
        out[index] = _mutate(out[index], path[1:], value)
    return out


PATHS = st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=6)
COUNTER: dict[str, int] = {"definitions": 0, "plan": 0, "lock": 0}


def _definitions_case(folder: Path, doc: Any, text: str, as_json: bool) -> None:
    COUNTER["definitions"] += 1
    target = folder / "fuzzdefs"
    target.mkdir(exist_ok=True)
    for old in target.iterdir():
        old.unlink()
    if text:
        (target / "a.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    else:
        body = json.dumps(doc) if as_json else yaml.safe_dump(doc)
        (target / ("a.json" if as_json else "a.yaml")).write_text(body, encoding="utf-8")
    _run(["validate", "-d", str(target)])


def _plan_case(folder: Path, base: dict[str, Any], path: list[int], value: Any) -> None:
    COUNTER["plan"] += 1
    data = _mutate(base, path, value)
    if isinstance(data, dict):
        data["checksum"] = checksum(data)  # get past the checksum: exercise what follows
    (folder / "plan.json").write_text(json.dumps(data), encoding="utf-8")
    _run(["show", "plan.json"])
    _run(["apply", "--sandbox", "--lock", "fuzz.lock.json", "plan.json"])


def _lock_case(folder: Path, path: list[int], value: Any) -> None:
    COUNTER["lock"] += 1
    entry = {"id": "0-1/x", "sha256": "a" * 64, "createdAt": "2024-01-01T00:00:00Z"}
    sync = {"timestamp": "2024-01-01T00:00:00Z", "status": "completed"}
    objects = {"contacts": {"properties": {"x": entry}, "last_sync": sync}}
    lock = {"format_version": 1, "portals": {"12345678": {"objects": objects, "last_sync": sync}}}
    (folder / "hubprops.lock.json").write_text(json.dumps(_mutate(lock, path, value)))
    _run(["status", "--format", "json"])
    _run(["plan", "--sandbox", "-d", "definitions", "--object", "contacts"])


def _fuzz(tmp_path_factory: pytest.TempPathFactory, examples: int) -> Callable[[], None]:
    folder = _workdir(tmp_path_factory)
    base = _base_plan(folder)
    common = settings(
        max_examples=examples,
        deadline=None,  # the per-case limit is _run's 10 s, measured on the command itself
        suppress_health_check=list(HealthCheck),
        database=None,
    )

    @common
    @given(doc=JSONISH, text=st.one_of(st.just(""), YAML_BITS), as_json=st.booleans())
    def definitions(doc: Any, text: str, as_json: bool) -> None:
        _definitions_case(folder, doc, text, as_json)

    @common
    @given(path=PATHS, value=JSONISH)
    def plans(path: list[int], value: Any) -> None:
        _plan_case(folder, base, path, value)

    @common
    @given(path=PATHS, value=JSONISH)
    def locks(path: list[int], value: Any) -> None:
        _lock_case(folder, path, value)

    def run_all() -> None:
        definitions()
        plans()
        locks()

    return run_all


@pytest.fixture
def _restore_cwd() -> Any:
    cwd = os.getcwd()
    yield
    os.chdir(cwd)


@pytest.mark.timeout(240)
@pytest.mark.usefixtures("_restore_cwd")
def test_fuzz_files_never_crash(tmp_path_factory: pytest.TempPathFactory) -> None:
    _fuzz(tmp_path_factory, examples=25)()
    assert all(count >= 25 for count in COUNTER.values()), COUNTER


@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.usefixtures("_restore_cwd")
def test_fuzz_files_never_crash_long(
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    if "slow" not in (request.config.getoption("-m") or "").replace("not slow", ""):
        pytest.skip("the long fuzz run (minutes): select it with -m slow")
    before = dict(COUNTER)
    _fuzz(tmp_path_factory, examples=1500)()
    tried = {k: COUNTER[k] - before[k] for k in COUNTER}
    with capsys.disabled():
        print(f"\nfuzz: tried {sum(tried.values())} cases ({tried})")
    assert sum(tried.values()) >= 3000
