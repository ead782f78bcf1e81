"""The action's steps: plan a pull request, apply the merged one, report drift.

Each step runs the ``hubprops`` command itself (``python -m hubprops``), so CI prints and exits
exactly like a terminal, and talks to GitHub through ``hubprops.ci.github``. A step returns its
exit code and a dict of outputs; it never reads the environment (``__main__`` does).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hubprops.ci.github import GitHub, GitHubError, marker

#: Only these names end up in a plan artifact; apply looks for the same one.
PLAN_NAME = "hubprops-plan.json"


@dataclass(frozen=True)
class Context:
    """What a step needs to know, read from the Actions environment by ``__main__``."""

    workdir: Path
    repository: str
    event_name: str
    event: dict[str, Any]
    sha: str
    environment: str | None = None
    api_version: str | None = None
    sandbox: bool = False
    definitions: str | None = None
    lock: str | None = None
    plan_file: str = PLAN_NAME
    commit_lock: bool = True
    allow_destructive: bool = False
    run_url: str | None = None
    log: Callable[[str], None] = field(default=print)

    @property
    def plan_path(self) -> Path:
        return (self.workdir / self.plan_file).resolve()

    def artifact_name(self, pr: int) -> str:
        return f"hubprops-plan-{self.environment or 'default'}-pr{pr}"

    def remote_args(self) -> list[str]:
        args = ["--sandbox"] if self.sandbox else []
        args += ["--env", self.environment] if self.environment else []
        args += ["--api-version", self.api_version] if self.api_version else []
        args += ["--lock", self.lock] if self.lock else []
        return args


@dataclass(frozen=True)
class Ran:
    code: int
    stdout: str
    stderr: str


def hubprops(ctx: Context, *args: str) -> Ran:
    """Run ``hubprops ARGS`` in the working directory; its stderr is echoed to the log."""
    proc = subprocess.run(
        [sys.executable, "-m", "hubprops", *args],
        cwd=ctx.workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.stderr:
        ctx.log(proc.stderr.rstrip("\n"))
    return Ran(proc.returncode, proc.stdout, proc.stderr)


def _fenced(text: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}\n{text.rstrip()}\n{fence}"


def _destructive_callout(plan: dict[str, Any]) -> list[str]:
    """Destructive changes first, before the summary table, so no reviewer misses them."""
    lines = [
        f"- `{c['objectType']}` {c['kind']} `{c['name']}`: {reason}"
        for c in plan.get("changes", [])
        if c.get("destructive")
        for reason in c.get("reasons") or ["destructive"]
    ]
    if not lines:
        return []
    return ["> [!CAUTION]", "> **This plan has destructive changes** (data may be lost):", ">"] + [
        f"> {line}" for line in lines
    ]


def plan_comment(
    ctx: Context, validated: Ran, planned: Ran | None, plan: dict[str, Any] | None
) -> str:
    """The pull-request comment: marker, destructive call-out, the Markdown plan (or why none)."""
    where = f" ({ctx.environment})" if ctx.environment else ""
    out = [marker(ctx.environment)]
    if validated.code != 0:
        out += [f"### hubprops{where}: definitions are invalid", "", _fenced(validated.stdout)]
    elif planned is None or planned.code not in (0, 2):
        blocked = planned is not None and "destructive" in planned.stderr
        title = "plan blocked by destructive changes" if blocked else "plan failed"
        out += [f"### hubprops{where}: {title}", ""]
        if planned is not None and planned.stderr.strip() and not blocked:
            out += [_fenced(planned.stderr), ""]
        if planned is not None and planned.stdout.strip():
            out += [planned.stdout.rstrip()]
    else:
        if plan is not None:
            callout = _destructive_callout(plan)
            out += [*callout, ""] if callout else []
        out += [planned.stdout.rstrip()]
    if ctx.run_url:
        out += ["", f"<sub>[workflow run]({ctx.run_url})</sub>"]
    return "\n".join(out) + "\n"


def plan_pull_request(ctx: Context, gh: GitHub | None) -> tuple[int, dict[str, str]]:
    """validate + plan; post (or update) the one comment; return (exit code, outputs)."""
    defs = ["-d", ctx.definitions] if ctx.definitions else []
    validated = hubprops(ctx, "validate", *defs)
    planned: Ran | None = None
    plan: dict[str, Any] | None = None
    if validated.code == 0:
        ctx.plan_path.unlink(missing_ok=True)
        planned = hubprops(
            ctx,
            "plan",
            *defs,
            *ctx.remote_args(),
            "--out",
            str(ctx.plan_path),
            "--format",
            "markdown",
            "--detailed-exitcode",
            *(["--allow-destructive"] if ctx.allow_destructive else []),
        )
        if ctx.plan_path.exists():
            plan = json.loads(ctx.plan_path.read_text(encoding="utf-8"))
    body = plan_comment(ctx, validated, planned, plan)
    outputs = {
        "plan-file": str(ctx.plan_path) if plan is not None else "",
        "has-changes": "true" if plan is not None and plan.get("changes") else "false",
        "destructive": "true"
        if plan is not None and any(c.get("destructive") for c in plan.get("changes", []))
        else "false",
        "comment": body,
    }
    number = (ctx.event.get("pull_request") or {}).get("number")
    if gh is not None and number is not None:
        comment = gh.upsert_comment(int(number), marker(ctx.environment), body)
        outputs["comment-url"] = str(comment.get("html_url") or "")
        outputs["artifact-name"] = ctx.artifact_name(int(number))
    ok = validated.code == 0 and planned is not None and planned.code in (0, 2)
    return (0 if ok else 1), outputs


def _merged_pull(ctx: Context, gh: GitHub) -> dict[str, Any] | None:
    pulls = gh.pulls_for_commit(ctx.sha)
    merged = [p for p in pulls if p.get("merged_at") or p.get("merge_commit_sha") == ctx.sha]
    chosen = merged or pulls
    return chosen[0] if chosen else None


def fetch_plan(ctx: Context, gh: GitHub) -> tuple[int | None, str]:
    """Download the merged pull request's plan artifact to ``ctx.plan_path``: (PR, message)."""
    pull = _merged_pull(ctx, gh)
    if pull is None:
        return None, f"commit {ctx.sha[:12]} belongs to no pull request: no saved plan to apply"
    number = int(pull["number"])
    name = ctx.artifact_name(number)
    artifact = gh.find_artifact(name, (pull.get("head") or {}).get("sha"))
    if artifact is None:
        raise GitHubError(
            f"no artifact {name!r} for the last commit of pull request #{number}: did the "
            "pull-request workflow run the hubprops action with the same environment? "
            "Re-run it, then this job"
        )
    files = gh.download_artifact(int(artifact["id"]))
    content = files.get(PLAN_NAME) or next(iter(files.values()), None)
    if content is None:
        raise GitHubError(f"artifact {name!r} is empty")
    ctx.plan_path.parent.mkdir(parents=True, exist_ok=True)
    ctx.plan_path.write_bytes(content)
    return number, f"applying the plan of pull request #{number} (artifact {name})"


def _git(ctx: Context, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=ctx.workdir, capture_output=True, text=True, check=False
    )


def commit_lock(ctx: Context, message: str) -> bool:
    """Commit and push the lock if apply changed it; True when a commit was pushed."""
    lock = ctx.lock or "hubprops.lock.json"
    if not _git(ctx, "status", "--porcelain", "--", lock).stdout.strip():
        return False
    ident = ["-c", "user.name=github-actions[bot]"]
    ident += ["-c", "user.email=41898282+github-actions[bot]@users.noreply.github.com"]
    for name, cmd in (
        ("add", ["add", "--", lock]),
        ("commit", [*ident, "commit", "-m", message, "--", lock]),
    ):
        done = _git(ctx, *cmd)
        if done.returncode != 0:
            raise GitHubError(f"git {name} of the lock failed: {done.stderr.strip()}")
    pushed = _git(ctx, "push")
    if pushed.returncode != 0:  # main moved meanwhile: replay the lock commit on top once
        _git(ctx, "pull", "--rebase")
        pushed = _git(ctx, "push")
        if pushed.returncode != 0:
            raise GitHubError(f"git push of the lock failed: {pushed.stderr.strip()}")
    return True


def apply_merged(ctx: Context, gh: GitHub | None) -> tuple[int, dict[str, str]]:
    """Apply the saved plan (downloaded from the merged PR unless already present), then
    commit the lock."""
    number: int | None = None
    if not ctx.plan_path.exists():
        if gh is None:
            raise GitHubError(f"no plan file {ctx.plan_file} and no GitHub token to fetch one")
        number, message = fetch_plan(ctx, gh)
        ctx.log(message)
        if number is None:
            ctx.log(f"::warning::{message}")
            return 0, {"applied": "false"}
    if ctx.commit_lock:  # another job (a matrix's previous environment) may have pushed a lock
        _git(ctx, "pull", "--ff-only", "--quiet")
    applied = hubprops(ctx, "apply", *ctx.remote_args(), str(ctx.plan_path))
    ctx.log(applied.stdout.rstrip("\n"))
    outputs = {"applied": "true" if applied.code == 0 else "false"}
    if applied.code == 0 and ctx.commit_lock:
        what = f" of #{number}" if number is not None else ""
        env = f" ({ctx.environment})" if ctx.environment else ""
        pushed = commit_lock(ctx, f"hubprops: lock after applying the plan{what}{env} [skip ci]")
        outputs["lock-committed"] = "true" if pushed else "false"
    if gh is not None and number is not None:
        state = "applied" if applied.code == 0 else "**apply failed**"
        note = f"\n\n---\n**hubprops**: {state} on merge ({ctx.sha[:12]}).\n"
        found = gh.find_comment(number, marker(ctx.environment))
        body = (found or {}).get("body") or marker(ctx.environment)
        gh.upsert_comment(number, marker(ctx.environment), body.rstrip("\n") + note)
    return (0 if applied.code == 0 else 1), outputs


def report_drift(ctx: Context, gh: GitHub | None) -> tuple[int, dict[str, str]]:
    """``hubprops drift``: open (or update) one issue on drift, close it when drift is gone.
    Drift reported in an issue is not a failure of the job (exit 0, output ``drift=true``)."""
    ran = hubprops(ctx, "drift", "--format", "markdown", *ctx.remote_args())
    mark = marker(f"drift-{ctx.environment or 'default'}")
    where = f" in {ctx.environment}" if ctx.environment else ""
    if ran.code == 2 and gh is not None:
        body = f"{mark}\nHubSpot moved away from the lock{where}:\n\n{ran.stdout.rstrip()}\n"
        if ctx.run_url:
            body += f"\n[workflow run]({ctx.run_url})\n"
        issue = gh.upsert_issue(mark, f"hubprops: drift detected{where}", body)
        return 0, {"drift": "true", "issue-url": str(issue.get("html_url") or "")}
    if ran.code == 0 and gh is not None:
        gh.close_issue(mark, "No drift any more: closing.")
    return ran.code, {"drift": "true" if ran.code == 2 else "false"}


STEPS: dict[str, Callable[[Context, GitHub | None], tuple[int, dict[str, str]]]] = {
    "plan": plan_pull_request,
    "apply": apply_merged,
    "drift": report_drift,
}


def choose(command: str, event_name: str) -> str:
    """``auto``: plan on pull requests, apply on anything else (a push to the main branch)."""
    if command != "auto":
        return command
    return "plan" if event_name in ("pull_request", "pull_request_target") else "apply"
