"""``python -m hubprops.ci [auto|plan|apply|drift]``: the shell the action's main step runs.

Reads the GitHub Actions environment (``GITHUB_*``) and the action's inputs (``HUBPROPS_CI_*``,
set by ``action.yml``), runs one step of ``hubprops.ci.steps``, writes its outputs to
``GITHUB_OUTPUT`` and the comment to ``GITHUB_STEP_SUMMARY``, and exits with the step's code.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from pathlib import Path

from hubprops.ci.github import DEFAULT_API_URL, GitHub
from hubprops.ci.steps import PLAN_NAME, STEPS, Context, choose
from hubprops.errors import HubpropsError


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in ("1", "true", "yes", "on")


def _context(env: dict[str, str]) -> Context:
    event_path = env.get("GITHUB_EVENT_PATH")
    event = json.loads(Path(event_path).read_text(encoding="utf-8")) if event_path else {}
    server, run = env.get("GITHUB_SERVER_URL"), env.get("GITHUB_RUN_ID")
    repository = env.get("GITHUB_REPOSITORY", "")
    return Context(
        workdir=Path.cwd(),
        repository=repository,
        event_name=env.get("GITHUB_EVENT_NAME", ""),
        event=event,
        sha=env.get("GITHUB_SHA", ""),
        environment=env.get("HUBPROPS_CI_ENVIRONMENT") or None,
        api_version=env.get("HUBPROPS_CI_API_VERSION") or None,
        sandbox=_flag("HUBPROPS_CI_SANDBOX", False),
        definitions=env.get("HUBPROPS_CI_DEFINITIONS") or None,
        lock=env.get("HUBPROPS_CI_LOCK") or None,
        plan_file=env.get("HUBPROPS_CI_PLAN_FILE") or PLAN_NAME,
        commit_lock=_flag("HUBPROPS_CI_COMMIT_LOCK", True),
        allow_destructive=_flag("HUBPROPS_CI_ALLOW_DESTRUCTIVE", False),
        run_url=f"{server}/{repository}/actions/runs/{run}" if server and run else None,
        log=lambda line: print(line, file=sys.stderr, flush=True),
    )


def _write_outputs(path: str | None, outputs: dict[str, str]) -> None:
    if not path:
        return
    with open(path, "a", encoding="utf-8") as out:
        for key, value in outputs.items():
            if "\n" in value:
                end = f"EOF_{uuid.uuid4().hex}"
                out.write(f"{key}<<{end}\n{value}\n{end}\n")
            else:
                out.write(f"{key}={value}\n")


def main(argv: list[str]) -> int:
    env = dict(os.environ)
    ctx = _context(env)
    command = choose(argv[0] if argv else env.get("HUBPROPS_CI_COMMAND") or "auto", ctx.event_name)
    if command not in STEPS:
        print(f"error: unknown command {command!r} (plan, apply, drift or auto)", file=sys.stderr)
        return 1
    token = env.get("HUBPROPS_CI_GITHUB_TOKEN") or env.get("GITHUB_TOKEN")
    gh = (
        GitHub(env.get("GITHUB_API_URL") or DEFAULT_API_URL, token, ctx.repository)
        if token and ctx.repository
        else None
    )
    try:
        code, outputs = STEPS[command](ctx, gh)
    except HubpropsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if gh is not None:
            gh.close()
    comment = outputs.pop("comment", None)
    _write_outputs(env.get("GITHUB_OUTPUT"), {"exitcode": str(code), **outputs})
    summary = env.get("GITHUB_STEP_SUMMARY")
    if comment and summary:
        with open(summary, "a", encoding="utf-8") as out:
            out.write(comment)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
