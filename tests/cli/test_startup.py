"""What a command run does not import: the modules a run has no use for stay out of the process,
since importing is most of a small command's time (``tests/benchmarks`` measures it). Each
check runs a fresh interpreter, the way a user's command starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

DEFINITIONS = """\
objectType: contacts
properties:
  - name: favourite_colour
    label: Favourite colour
    type: string
    fieldType: text
    groupName: contactinformation
"""

#: Runs ``main`` with the given arguments in this process, then prints which of the named
#: modules were imported.
PROBE = """\
import json, sys
from hubprops.cli import main
try:
    main(sys.argv[2:], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps({m: m in sys.modules for m in json.loads(sys.argv[1])}))
"""


def imported(tmp_path: Path, args: list[str], modules: list[str]) -> dict[str, bool]:
    env = {**os.environ, "HUBPROPS_CACHE_DIR": str(tmp_path / "cache")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(modules), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, bool] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_validate_from_the_parse_cache_imports_no_yaml_parser_and_no_toml(tmp_path: Path) -> None:
    (tmp_path / "definitions").mkdir()
    (tmp_path / "definitions" / "contacts.yaml").write_text(DEFINITIONS, encoding="utf-8")
    wanted = ["yaml", "tomllib", "httpx", "pydantic"]
    first = imported(tmp_path, ["validate"], wanted)
    assert first["yaml"]  # parsed: the cache was empty
    second = imported(tmp_path, ["validate"], wanted)
    assert second == {
        "yaml": False,  # every file came from the parse cache
        "tomllib": False,  # there is no hubprops.toml to read
        "httpx": False,  # validate is offline
        "pydantic": True,
    }
    (tmp_path / "hubprops.toml").write_text('definitions = "definitions"\n', encoding="utf-8")
    assert imported(tmp_path, ["validate"], ["tomllib"]) == {"tomllib": True}


def test_plan_imports_neither_the_applier_nor_the_yaml_parser(tmp_path: Path) -> None:
    (tmp_path / "definitions").mkdir()
    (tmp_path / "definitions" / "contacts.yaml").write_text(DEFINITIONS, encoding="utf-8")
    imported(tmp_path, ["validate"], [])  # fills the parse cache
    args = ["plan", "--sandbox", "-o", "plan.json"]
    found = imported(tmp_path, args, ["hubprops.apply.stages", "yaml", "httpx"])
    assert (tmp_path / "plan.json").is_file()
    assert found == {"hubprops.apply.stages": False, "yaml": False, "httpx": True}
