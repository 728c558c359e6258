"""For the workflow tests: a stand-in for GitHub's `gh` that records every call and answers
with canned JSON, a register in a real Git repository cloned from a real (bare) remote, and
the payloads GitHub sends (tests/payloads/)."""

import copy
import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from complaints_register.cli.main import cli
from tests.conftest import POLICY, ROOT, write_yaml

PAYLOADS = ROOT / "tests" / "payloads"

STAFF = {
    "anna": {"name": "Anna Rossi", "emails": ["anna.rossi@example.org"], "github": "anna-rossi"},
    "marco": {
        "name": "Marco Bianchi",
        "emails": ["marco.bianchi@example.org"],
        "github": "marco-b",
    },
    "sara": {"name": "Sara Colombo", "emails": ["sara.colombo@example.org"]},
}

GH = '''#!{python}
"""A stand-in for GitHub's `gh`: records each call in $GH_LOG, answers from $GH_ANSWERS."""
import json, os, sys
args, stdin = sys.argv[1:], sys.stdin.read()
with open(os.environ["GH_LOG"], "a") as log:
    log.write(json.dumps({{"args": args, "stdin": stdin, "repo": os.environ.get("GH_REPO"),
                          "token": os.environ.get("GH_TOKEN")}}) + "\\n")
answers = json.load(open(os.environ["GH_ANSWERS"]))
if args[:3] == ["api", "--method", "PATCH"]:
    assert args[3].startswith("repos/{{owner}}/{{repo}}/issues/comments/") and args[4:] == ["--input", "-"]
    print(json.dumps({{"body": json.loads(stdin)["body"]}}))
elif args[0] == "api":
    parts = args[1].split("/")
    assert parts[:4] == ["repos", "{{owner}}", "{{repo}}", "collaborators"] and parts[5] == "permission"
    role = answers.get("permissions", {{}}).get(parts[4])
    if role is None:
        sys.exit("gh: Not Found (HTTP 404)")
    legacy = {{"maintain": "write", "triage": "read"}}.get(role, role)
    print(json.dumps({{"permission": legacy, "role_name": role, "user": {{"login": parts[4]}}}}))
elif args[:2] == ["pr", "list"]:
    print(json.dumps(answers.get("open_pull_requests", [])))
elif args[:2] == ["pr", "create"]:
    if answers.get("refuse_pull_requests"):
        sys.exit("pull request create failed: GraphQL: GitHub Actions is not permitted to create or approve pull requests (createPullRequest)")
    print("https://github.com/lagoon/complaints/pull/7")
elif args[:2] == ["pr", "view"]:
    print(json.dumps(answers["pull_request"]))
elif args[:2] == ["issue", "list"]:
    print(json.dumps(answers.get("issues", [])))
elif args[:2] == ["issue", "create"]:
    print("https://github.com/lagoon/complaints/issues/21")
elif args[:2] in (["issue", "comment"], ["pr", "comment"], ["issue", "close"],
                  ["issue", "edit"], ["issue", "pin"]):
    pass
else:
    sys.exit("gh stand-in: unexpected " + " ".join(args))
'''


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def payload(name: str) -> dict:
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


class GitHub:
    """A remote (bare repository), a clone of it as a workflow's checkout holds it, and a
    stand-in `gh` on PATH."""

    def __init__(self, tmp: Path, policy: dict | None = None):
        self.tmp = tmp
        self.origin = tmp / "origin.git"
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(self.origin)], check=True)
        seed = tmp / "seed"
        seed.mkdir()
        git(seed, "init", "-q", "-b", "main")
        git(seed, "config", "user.name", "Elena Conti")
        git(seed, "config", "user.email", "elena.conti@example.org")
        write_yaml(seed / "register" / "policy.yaml", policy or {**POLICY, "staff": STAFF})
        self.seed = seed
        self.commit_seed("The register")
        self.repo = tmp / "work"
        git(tmp, "clone", "-q", str(self.origin), str(self.repo))
        (tmp / "bin").mkdir()
        stand_in = tmp / "bin" / "gh"
        stand_in.write_text(GH.format(python=sys.executable))
        stand_in.chmod(0o755)
        self.answers: dict = {
            "permissions": {"anna-rossi": "write", "marco-b": "maintain", "luca-r": "read"}
        }
        (tmp / "gh-log.jsonl").write_text("")

    def commit_seed(self, message: str, branch: str = "main") -> None:
        git(self.seed, "add", "-A")
        git(self.seed, "commit", "-q", "-m", message)
        git(self.seed, "push", "-q", str(self.origin), f"HEAD:refs/heads/{branch}")

    def env(self, event: dict) -> dict:
        """What the workflow step gets: the event file, the stand-in's answers and log."""
        path = self.tmp / "event.json"
        path.write_text(json.dumps(event), encoding="utf-8")
        (self.tmp / "answers.json").write_text(json.dumps(self.answers), encoding="utf-8")
        return {
            "GITHUB_EVENT_PATH": str(path),
            "GH_ANSWERS": str(self.tmp / "answers.json"),
        }

    def ci(self, monkeypatch, event: dict, *args: str):
        """`complaints ci ARGS...` in this process, as the workflow's step runs it (the
        event's file last, unless there is no event)."""
        env = self.env(event)
        monkeypatch.setenv("PATH", f"{self.tmp / 'bin'}:/usr/bin:/bin")
        monkeypatch.setenv("GH_LOG", str(self.tmp / "gh-log.jsonl"))
        monkeypatch.setenv("GH_ANSWERS", env["GH_ANSWERS"])
        monkeypatch.setenv("GH_TOKEN", "test-token")
        monkeypatch.setenv("GH_REPO", "lagoon/complaints")
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(self.tmp / "summary.md"))
        path = [env["GITHUB_EVENT_PATH"]] if event else []
        register = ["--register", str(self.repo / "register")]
        return CliRunner().invoke(cli, [*register, "ci", *args, *path])

    def calls(self) -> list[dict]:
        lines = (self.tmp / "gh-log.jsonl").read_text().splitlines()
        return [json.loads(line) for line in lines]

    def branches(self) -> list[str]:
        """The remote's branches."""
        out = git(self.origin, "for-each-ref", "--format=%(refname:short)", "refs/heads")
        return sorted(out.split())

    def show(self, ref: str, format_: str) -> str:
        return git(self.origin, "log", "-1", f"--format={format_}", ref).strip()

    def file_on(self, ref: str, path: str) -> str:
        return git(self.origin, "show", f"{ref}:{path}")


def with_body(event: dict, body: str) -> dict:
    changed = copy.deepcopy(event)
    changed["issue"]["body"] = body
    return changed
