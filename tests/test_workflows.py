"""The GitHub Actions workflows in .github/workflows: valid against GitHub's workflow schema,
and their shell commands, read from the files, run against test registers in temporary Git
repositories, with `gh` replaced by a stand-in that keeps the state of the repository's issues.

How a step runs here (`run_step`): its `run:` text and `env:` values with every `${{ ... }}`
expression replaced from `EXPRESSIONS` (an expression not in it fails the test, so the
table always covers what the workflows use), in `bash --noprofile --norc -e` as GitHub's
runners run it, with `GITHUB_STEP_SUMMARY`, `GITHUB_OUTPUT` and `RUNNER_TEMP` in the test's
temporary folder and this environment's `complaints` and `python` first on PATH (the
workflow's install step is what puts them there on a runner).
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from complaints_register.cli.ci import ci
from complaints_register.cli.main import Context
from complaints_register.views.overdue_issue import TITLE, plan, very_overdue
from tests.conftest import POLICY, ROOT, write_yaml

WORKFLOWS = ROOT / ".github" / "workflows"
BIN = Path(sys.executable).parent

# `${{ expression }}` → what the test puts in its place. A key is the expression as written.
EXPRESSIONS = {
    "github.base_ref": "main",  # the pull request's target branch
    "github.repository": "lagoon/complaints",
    "github.token": "test-token",
    "inputs.as-of": "",  # the overdue workflow's date: a schedule
    # gives none; tests give one per run
    # intake and comment: the GitHub App's token when the organisation has one, else the
    # workflow's own
    "steps.app-token.outputs.token || github.token": "test-token",
    "secrets.COMPLAINTS_TRACKING_SECRET": "",  # not set: tests that need it give one
    "vars.COMPLAINTS_SITE_URL": "",
}


def workflow(name: str) -> dict:
    # YAML 1.2 (ruamel), as GitHub reads it: `on` is a key, not the boolean true.
    return YAML(typ="safe").load((WORKFLOWS / name).read_text(encoding="utf-8"))


def step(name: str, step_id: str) -> dict:
    """The step with this `id` in the workflow's only job."""
    (job,) = workflow(name)["jobs"].values()
    (found,) = [s for s in job["steps"] if s.get("id") == step_id]
    return found


def substitute(text: str, values: dict) -> str:
    return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: values[m.group(1)], str(text))


def run_step(
    found: dict, cwd: Path, tmp: Path, values: dict | None = None, extra: dict | None = None
) -> subprocess.CompletedProcess:
    table = {**EXPRESSIONS, **(values or {})}
    env = {
        "PATH": f"{tmp / 'bin'}:{BIN}:/usr/bin:/bin",
        "HOME": str(tmp),
        "GITHUB_STEP_SUMMARY": str(tmp / "summary.md"),
        "GITHUB_OUTPUT": str(tmp / "output"),
        "RUNNER_TEMP": str(tmp / "runner"),
        "GH_STATE": str(tmp / "gh-state.json"),
        "GH_LOG": str(tmp / "gh-log.jsonl"),
    }
    env.update(extra or {})  # what GitHub's runner sets, such as GITHUB_EVENT_PATH
    env.update({key: substitute(value, table) for key, value in found.get("env", {}).items()})
    (tmp / "runner").mkdir(exist_ok=True)
    script = tmp / "step.sh"
    script.write_text(substitute(found["run"], table), encoding="utf-8")
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-e", str(script)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def new_repository(path: Path) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "Anna Rossi")
    git(path, "config", "user.email", "anna@example.org")
    write_yaml(path / "register" / "policy.yaml", POLICY)
    return path


def commit(path: Path, message: str) -> None:
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", message)


def complaint_file(repo: Path, complaint_id: str, text: str) -> Path:
    """A complaint written by hand, one event per line, so that lines are known."""
    path = repo / "register" / complaint_id[2:6] / f"{complaint_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def head(complaint_id: str, received: str, category: str = "billing") -> str:
    # Lines 1-7; the first event is on line 8.
    return (
        f"id: {complaint_id}\nreceived: {received}\nchannel: email\nlanguage: en\n"
        f"category: {category}\nsummary: Meter read twice in one month\nevents:\n"
    )


# ---------------------------------------------------------------------------------------
# The workflow files


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_workflow_validates_against_githubs_schema(name):
    # check-jsonschema's bundled copy of the schema: no network.
    done = subprocess.run(
        [
            str(BIN / "check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            str(WORKFLOWS / name),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_refuses_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    stepz: []\n")
    done = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(broken)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1


def test_the_seven_workflows_exist():
    assert {p.name for p in WORKFLOWS.glob("*.yml")} == {
        "check.yml",
        "comment.yml",
        "intake.yml",
        "open-complaints.yml",
        "overdue.yml",
        "publish.yml",
        "tests.yml",
    }


# ---------------------------------------------------------------------------------------
# Safety: pinned actions, no credentials left behind, least privilege, zizmor, actionlint

ACTIONS = {
    # name: (commit, version), from each action's repository (git show-ref --tags)
    "actions/checkout": ("3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
    "actions/setup-python": ("5fda3b95a4ea91299a34e894583c3862153e4b97", "v7.0.0"),
    "actions/cache": ("27d5ce7f107fe9357f9df03efb73ab90386fccae", "v5.0.5"),
    "actions/configure-pages": ("983d7736d9b0ae728b81ab479565c72886d7745b", "v5.0.0"),
    "actions/upload-pages-artifact": ("fc324d3547104276b827a68afc52ff2a11cc49c9", "v5.0.0"),
    "actions/deploy-pages": ("cd2ce8fcbc39b97be8ca5fce6e763baed58fa128", "v5.0.0"),
    "actions/create-github-app-token": ("1b10c78c7865c340bc4f6099eb2f838309f1e8c3", "v3.1.1"),
}


def all_steps():
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for name, job in workflow(path.name)["jobs"].items():
            for found in job["steps"]:
                yield path.name, name, found


def test_every_action_is_pinned_to_a_full_commit_with_its_version_in_a_comment():
    seen = set()
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "uses:" not in line:
                continue
            found = re.fullmatch(r"\s*(?:- )?uses: ([\w./-]+)@([0-9a-f]{40}) # (v[\d.]+)", line)
            assert found, (path.name, line)
            action, commit, version = found.groups()
            assert ACTIONS[action] == (commit, version), (path.name, line)
            seen.add(action)
    assert seen == set(ACTIONS)


def test_the_pin_check_refuses_a_tag():
    line = "      - uses: actions/checkout@v4"
    assert not re.fullmatch(r"\s*(?:- )?uses: ([\w./-]+)@([0-9a-f]{40}) # (v[\d.]+)", line)


def test_no_checkout_leaves_its_token_in_the_repository():
    checkouts = [s for _, _, s in all_steps() if s.get("uses", "").startswith("actions/checkout@")]
    assert len(checkouts) == 7
    assert all(s["with"]["persist-credentials"] is False for s in checkouts)


# What each job may do, and nothing more; the workflows grant nothing by default.
PERMISSIONS = {
    ("check.yml", "check"): {"contents": "read"},
    ("comment.yml", "command"): {"contents": "write", "pull-requests": "write"},
    ("intake.yml", "intake"): {"contents": "write", "pull-requests": "write", "issues": "write"},
    ("open-complaints.yml", "issue"): {"contents": "read", "issues": "write"},
    ("overdue.yml", "overdue"): {"contents": "read", "issues": "write"},
    ("publish.yml", "build"): {"contents": "write"},  # it pushes the statistics recorded
    ("publish.yml", "deploy"): {"pages": "write", "id-token": "write"},
    ("tests.yml", "tests"): {"contents": "read"},
}


def test_least_privilege_per_job():
    found = {}
    for path in sorted(WORKFLOWS.glob("*.yml")):
        whole = workflow(path.name)
        assert whole["permissions"] == {}, path.name
        for name, job in whole["jobs"].items():
            found[(path.name, name)] = job["permissions"]
    assert found == PERMISSIONS


def test_the_github_app_token_asks_only_for_what_the_job_may_do():
    for name in ("intake.yml", "comment.yml"):
        (job,) = workflow(name)["jobs"].values()
        (app,) = [s for s in job["steps"] if s.get("id") == "app-token"]
        assert app["if"] == "vars.COMPLAINTS_APP_CLIENT_ID != ''"
        asked = {
            k.removeprefix("permission-"): v
            for k, v in app["with"].items()
            if k.startswith("permission-")
        }
        assert asked == {"contents": "write", "pull-requests": "write", "issues": "write"}


def test_intake_and_comment_run_the_default_branchs_code_installed_not_editable():
    # A comment command checks out the pull request's branch: what runs must be what was
    # installed before, from the default branch, never that branch's code.
    for name in ("intake.yml", "comment.yml"):
        (job,) = workflow(name)["jobs"].values()
        (install,) = [s for s in job["steps"] if s.get("name") == "Install"]
        assert install["run"] == "pip install -q -c constraints.txt ."
        (checkout,) = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
        assert "ref" not in checkout["with"]  # the default branch


def test_the_only_zizmor_finding_set_aside_is_the_comment_trigger():
    ignores = [
        (path.name, line.strip())
        for path in sorted(WORKFLOWS.glob("*.yml"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if "zizmor:" in line
    ]
    assert ignores == [("comment.yml", "issue_comment:  # zizmor: ignore[dangerous-triggers]")]


def test_zizmor_offline_finds_nothing_of_medium_severity_or_above():
    done = subprocess.run(
        [
            str(BIN / "zizmor"),
            "--offline",
            "--min-severity",
            "medium",
            "--format",
            "json",
            str(WORKFLOWS),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert json.loads(done.stdout) == [], done.stdout
    assert done.returncode == 0, done.stderr


def test_zizmor_would_find_an_unpinned_action_and_an_expression_in_a_run_line(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: issues\npermissions: {}\njobs:\n  x:\n    runs-on: ubuntu-latest\n"
        "    permissions: {}\n    steps:\n      - uses: actions/checkout@v4\n"
        "        with: {persist-credentials: false}\n"
        '      - run: echo "${{ github.event.issue.title }}"\n'
    )
    done = subprocess.run(
        [
            str(BIN / "zizmor"),
            "--offline",
            "--min-severity",
            "medium",
            "--format",
            "json",
            str(bad),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = {finding["ident"] for finding in json.loads(done.stdout)}
    assert {"unpinned-uses", "template-injection"} <= found


def actionlint(*paths: Path) -> subprocess.CompletedProcess:
    # With ShellCheck from the test dependencies, as GitHub's runners would have it: every
    # `run:` script is checked too.
    shellcheck = BIN / "shellcheck"
    assert shellcheck.exists()
    return subprocess.run(
        [str(BIN / "actionlint"), "-no-color", f"-shellcheck={shellcheck}", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_actionlint_finds_nothing():
    done = actionlint(*sorted(WORKFLOWS.glob("*.yml")))
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_would_find_a_mistake_and_an_unquoted_variable(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.nosuch }}\n      - run: cd $FOLDER\n"
    )
    done = actionlint(bad)
    assert done.returncode == 1
    assert "nosuch" in done.stdout and "SC2086" in done.stdout


CACHED = ("check.yml", "overdue.yml", "publish.yml", "open-complaints.yml")


@pytest.mark.parametrize("name", CACHED)
def test_the_results_cache_is_restored_and_saved_under_a_key_of_each_run(name):
    # Entries are keyed inside by content (DESIGN.md section 10), so any old entry is safe to
    # restore; each run saves under its own key, so the newest results are the ones restored.
    steps = [s for job in workflow(name)["jobs"].values() for s in job["steps"]]
    (cache,) = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
    assert cache["with"]["path"].split() == [
        ".git/complaints-cache",
        "~/.cache/complaints-register",
    ]
    assert cache["with"]["key"] == "complaints-cache-${{ runner.os }}-${{ github.run_id }}"
    assert cache["with"]["restore-keys"] == "complaints-cache-${{ runner.os }}-"
    names = [s.get("uses", s.get("name", "")).split("@")[0] for s in steps]
    # restored after the checkout (which would empty .git), before anything runs
    assert names.index("actions/cache") == names.index("actions/checkout") + 2


def test_the_cache_paths_are_where_the_program_keeps_them(tmp_path, monkeypatch):
    from complaints_register.store.cache import FOLDER, KEY_FOLDER, key_file

    monkeypatch.setenv("XDG_CACHE_HOME", "")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert FOLDER == "complaints-cache" and KEY_FOLDER == "complaints-register"
    assert key_file() == tmp_path / ".cache" / "complaints-register" / "key"


def test_publish_gives_the_site_build_the_tracking_secret():
    build = workflow("publish.yml")["jobs"]["build"]["steps"]
    (site,) = [s for s in build if s.get("id") == "build"]
    assert site["env"]["COMPLAINTS_TRACKING_SECRET"] == "${{ secrets.COMPLAINTS_TRACKING_SECRET }}"


def test_check_runs_on_pull_requests_touching_the_register_with_full_history():
    found = workflow("check.yml")
    assert found["on"] == {"pull_request": {"paths": ["register/**"]}}
    (job,) = found["jobs"].values()
    checkout = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
    assert checkout[0]["with"]["fetch-depth"] == 0
    assert step("check.yml", "install")["run"] == "pip install -q -c constraints.txt -e ."


def test_overdue_runs_daily_at_an_uncommon_minute_with_least_permissions():
    found = workflow("overdue.yml")
    (schedule,) = found["on"]["schedule"]
    minute = schedule["cron"].split()[0]
    assert minute.isdigit() and int(minute) % 5 != 0  # not the top of the hour or a round minute
    assert "workflow_dispatch" in found["on"]
    assert found["concurrency"]["group"]


def test_publish_deploys_with_the_official_pages_actions():
    found = workflow("publish.yml")
    assert set(found["on"]) == {"push", "schedule", "workflow_dispatch"}
    assert found["on"]["push"] == {"branches": ["main"]}
    assert found["concurrency"]["group"] == "pages"
    steps = [s for job in found["jobs"].values() for s in job["steps"]]
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert uses == [
        "actions/checkout",
        "actions/setup-python",
        "actions/cache",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ]
    (upload,) = [s for s in steps if s.get("uses", "").startswith("actions/upload-pages")]
    assert upload["with"]["path"] == "public"
    build = found["jobs"]["build"]["steps"]
    (site,) = [s for s in build if s.get("id") == "build"]
    assert site["run"] == "complaints site"
    assert "steps.pages.outputs.base_url" in site["env"]["COMPLAINTS_SITE_URL"]


def test_tests_run_the_readmes_test_command_on_every_supported_python():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", quick_start, flags=re.S)
    assert step("tests.yml", "test")["run"].strip() == commands[1]
    (job,) = workflow("tests.yml")["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"
    assert job["strategy"]["matrix"]["python-version"] == ["3.11", "3.12", "3.13"]


def test_every_run_command_with_an_expression_is_covered_by_the_table():
    # Expressions go through `env:`, never into a shell command (where a value could inject
    # shell), and every one of them is one the tests know how to stand in for.
    for path in WORKFLOWS.glob("*.yml"):
        for job in workflow(path.name)["jobs"].values():
            for found in job["steps"]:
                assert "${{" not in found.get("run", ""), (path.name, found.get("name"))
                for value in found.get("env", {}).values():
                    for expression in re.findall(r"\$\{\{\s*(.*?)\s*\}\}", str(value)):
                        assert expression in EXPRESSIONS or expression.startswith("steps."), (
                            expression
                        )


# ---------------------------------------------------------------------------------------
# check.yml: annotations and the job summary


A_ID, B_ID, N_ID, X_ID, Y_ID, U_ID = (
    "C-2026-0302-M4XR",
    "C-2026-0305-P8TN",
    "C-2026-0310-R2WD",
    "C-2026-0311-T6HJ",
    "C-2026-0312-V5NC",
    "C-2026-0202-W9KZ",
)


@pytest.fixture(scope="module")
def pull_request(tmp_path_factory):
    """A repository whose branch changes the register as a pull request would: events
    appended to A, an earlier event of B changed, N added, X added with a category the
    policy does not have, Y added with a key no complaint has, U deleted."""
    repo = new_repository(tmp_path_factory.mktemp("check") / "repo")
    complaint_file(
        repo,
        A_ID,
        head(A_ID, "2026-03-02T10:00:00+01:00")
        + "  - {type: acknowledged, at: 2026-03-03, by: anna}\n",
    )
    complaint_file(
        repo,
        B_ID,
        head(B_ID, "2026-03-05T10:00:00+01:00")
        + "  - {type: acknowledged, at: 2026-03-06, by: anna}\n",
    )
    # U unlike the others, so that Git does not take its deletion and N's addition for a rename
    complaint_file(
        repo,
        U_ID,
        f"id: {U_ID}\nreceived: 2026-02-02T16:45:00+01:00\nchannel: letter\n"
        "language: it\ncategory: service-quality\nsummary: Water pressure too low at"
        " the upper floors after the works on the main line\nevents:\n"
        "  - {type: acknowledged, at: 2026-02-03, by: elena}\n"
        "  - {type: assessed, at: 2026-02-04, by: elena, priority: normal, handler: sara}\n",
    )
    commit(repo, "The register on main")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo, "switch", "-q", "-c", "complaint/changes")
    complaint_file(
        repo,
        A_ID,
        head(A_ID, "2026-03-02T10:00:00+01:00")
        + "  - {type: acknowledged, at: 2026-03-03, by: anna}\n"
        + "  - {type: assessed, at: 2026-03-04, by: anna, priority: urgent, handler: marco}\n"
        + "  - {type: responded, at: 2026-03-06, by: marco, outcome: upheld}\n"
        + "  - {type: closed, at: 2026-03-09, by: marco, satisfied: true}\n",
    )
    complaint_file(
        repo,
        B_ID,
        head(B_ID, "2026-03-05T10:00:00+01:00")
        + "  - {type: acknowledged, at: 2026-03-09, by: anna}\n",
    )
    complaint_file(repo, N_ID, head(N_ID, "2026-03-10T10:00:00+01:00") + "  []\n")
    complaint_file(
        repo, X_ID, head(X_ID, "2026-03-11T10:00:00+01:00", category="parking") + "  []\n"
    )
    complaint_file(repo, Y_ID, head(Y_ID, "2026-03-12T10:00:00+01:00") + "  []\ncolour: red\n")
    (repo / "register" / "2026" / f"{U_ID}.yaml").unlink()
    commit(repo, "Changes to the register")
    tmp = repo.parent
    checked = run_step(step("check.yml", "check"), repo, tmp)
    summarised = run_step(step("check.yml", "summary"), repo, tmp)
    return checked, summarised, (tmp / "summary.md").read_text(encoding="utf-8")


def test_check_fails_with_annotations_on_the_lines_at_fault(pull_request):
    checked, _, _ = pull_request
    assert checked.returncode == 1, checked.stderr
    found = re.findall(r"^::error file=([^,]+),line=(\d+),", checked.stdout, flags=re.M)
    # B's first event is on line 8 (7 lines of head before it); X's category on line 5;
    # Y's unknown key after the events, on line 9; U, deleted, as a whole (line 1). Nothing
    # on A or N.
    assert sorted({(f, int(n)) for f, n in found}) == [
        (f"register/2026/{U_ID}.yaml", 1),
        (f"register/2026/{B_ID}.yaml", 8),
        (f"register/2026/{X_ID}.yaml", 5),
        (f"register/2026/{Y_ID}.yaml", 9),
    ]


def table_rows(summary: str) -> dict:
    rows = [
        line.strip("|").split(" | ") for line in summary.splitlines() if line.startswith("| C-")
    ]
    return {cells[0].strip(): [c.strip() for c in cells[1:]] for cells in rows}


def test_summary_lists_the_touched_complaints_with_status_and_due_dates(pull_request):
    _, summarised, summary = pull_request
    assert summarised.returncode == 0, summarised.stderr
    assert (
        "| Complaint | Change | Status | Stage | Priority | Acknowledge | Respond | Overdue |"
        in summary
    )
    # Worked out by hand with Italy's calendar (Easter Monday 2026-04-06 a holiday), 2 working
    # days to acknowledge, 20 to respond, very overdue 20 more; "today" is months later.
    assert table_rows(summary) == {
        # all done: acknowledged 03-03, responded 03-06
        A_ID: ["changed", "closed", "1", "urgent", "done 2026-03-03", "done 2026-03-06", "no"],
        # received Thu 03-05: acknowledged (as changed) 03-09; respond 20 working days → 04-02
        B_ID: [
            "changed",
            "acknowledged",
            "1",
            "normal",
            "done 2026-03-09",
            "due 2026-04-02",
            "respond (very overdue)",
        ],
        # received Tue 03-10: acknowledge by Thu 03-12; respond skips Easter Monday → 04-08
        N_ID: [
            "added",
            "new",
            "1",
            "normal",
            "due 2026-03-12",
            "due 2026-04-08",
            "acknowledge (very overdue), respond (very overdue)",
        ],
        # a category the policy lacks is the check's business: received Wed 03-11, so
        # acknowledge by Fri 03-13, respond by 04-09 (Easter Monday left out)
        X_ID: [
            "added",
            "new",
            "1",
            "normal",
            "due 2026-03-13",
            "due 2026-04-09",
            "acknowledge (very overdue), respond (very overdue)",
        ],
        Y_ID: ["added", "invalid: see the check's annotations", "—", "—", "—", "—", "—"],
        U_ID: ["deleted", "deleted", "—", "—", "—", "—", "—"],
    }
    assert "Meter read twice" not in summary  # no confidential field


def test_summary_of_a_pull_request_touching_no_complaint(tmp_path):
    repo = new_repository(tmp_path / "repo")
    commit(repo, "The register on main")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    done = run_step(step("check.yml", "summary"), repo, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "changes no complaint file" in (tmp_path / "summary.md").read_text()


def test_summary_reads_the_register_that_complaints_register_names(tmp_path):
    # `complaints --register PATH ci summary`: the group takes the register from the
    # `complaints` command's Context, whatever the current directory.
    repo = new_repository(tmp_path / "repo")
    commit(repo, "The register on main")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    complaint_file(repo, N_ID, head(N_ID, "2026-03-10T10:00:00+01:00") + "  []\n")
    commit(repo, "A new complaint")
    done = CliRunner().invoke(
        ci,
        ["summary", "--base", "origin/main", "--as-of", "2026-03-11"],
        obj=Context(repo / "register"),
    )
    assert done.exit_code == 0, done.output
    assert table_rows(done.output) == {
        N_ID: ["added", "new", "1", "normal", "due 2026-03-12", "due 2026-04-08", "no"]
    }


def test_the_summary_step_fails_clearly_outside_a_git_repository(tmp_path):
    write_yaml(tmp_path / "register" / "policy.yaml", POLICY)
    done = run_step(step("check.yml", "summary"), tmp_path, tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and "not in a Git repository" in done.stderr
    assert "Traceback" not in done.stderr


# ---------------------------------------------------------------------------------------
# overdue.yml: the one issue, kept up to date through a stand-in for `gh`

GH = '''#!{python}
"""A stand-in for GitHub's `gh`: records each call, and keeps the issues in a JSON file."""
import json, os, sys
args, stdin = sys.argv[1:], sys.stdin.read()
with open(os.environ["GH_LOG"], "a") as log:
    log.write(json.dumps({{"args": args, "stdin": stdin}}) + "\\n")
path = os.environ["GH_STATE"]
issues = json.load(open(path)) if os.path.exists(path) else []
def value(flag):
    return args[args.index(flag) + 1]
if args[:2] == ["issue", "list"]:
    assert value("--state") == "open"
    fields = value("--json").split(",")
    print(json.dumps([{{k: i[k] for k in fields}} for i in issues if i["state"] == "open"]))
elif args[:2] == ["issue", "create"]:
    assert value("--body-file") == "-"
    issues.append({{"number": len(issues) + 1, "title": value("--title"), "body": stdin,
                   "state": "open", "author": {{"login": "app/github-actions", "is_bot": True}}}})
    print("https://github.com/lagoon/complaints/issues/%d" % len(issues))
elif args[:2] == ["issue", "edit"]:
    assert value("--body-file") == "-"
    issues[int(args[2]) - 1]["body"] = stdin
elif args[:2] == ["issue", "close"]:
    issues[int(args[2]) - 1]["state"] = "closed"
else:
    sys.exit("gh stand-in: unexpected " + " ".join(args))
json.dump(issues, open(path, "w"))
'''

O_ID, P_ID = "C-2026-0302-M4XR", "C-2026-0401-Q3VB"


class Overdue:
    """A register in a Git repository, the overdue workflow's steps, and the stand-in's state."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.repo = new_repository(tmp / "repo")
        (tmp / "bin").mkdir()
        gh = tmp / "bin" / "gh"
        gh.write_text(GH.format(python=sys.executable))
        gh.chmod(0o755)
        self.events = {
            O_ID: [
                "  - {type: acknowledged, at: 2026-03-03, by: anna}\n",
                "  - {type: assessed, at: 2026-03-04, by: anna, priority: normal, handler: marco}\n",
            ],
            P_ID: [],
        }
        self.write()
        commit(self.repo, "The register")

    def write(self):
        received = {O_ID: "2026-03-02T10:00:00+01:00", P_ID: "2026-04-01T10:00:00+02:00"}
        for complaint_id, events in self.events.items():
            complaint_file(
                self.repo,
                complaint_id,
                head(complaint_id, received[complaint_id]) + ("".join(events) or "  []\n"),
            )

    def run(self, as_of: str) -> subprocess.CompletedProcess:
        (self.tmp / "gh-log.jsonl").write_text("")
        listed = run_step(step("overdue.yml", "list"), self.repo, self.tmp, {"inputs.as-of": as_of})
        assert listed.returncode == 0, listed.stderr
        return run_step(step("overdue.yml", "issue"), self.repo, self.tmp, {"inputs.as-of": as_of})

    def calls(self) -> list[list[str]]:
        log = (self.tmp / "gh-log.jsonl").read_text().splitlines()
        return [json.loads(line)["args"][:2] for line in log]

    def issues(self) -> list[dict]:
        return json.loads((self.tmp / "gh-state.json").read_text())


def test_the_overdue_issue_is_created_edited_left_alone_and_closed(tmp_path):
    register = Overdue(tmp_path)

    # O received Mon 03-02, respond in 20 working days → 03-30; as of Wed 04-01, two working
    # days late (03-31, 04-01). P (received 04-01) is not late yet.
    first = register.run("2026-04-01")
    assert first.returncode == 0, first.stdout + first.stderr
    assert register.calls() == [["issue", "list"], ["issue", "create"]]
    (issue,) = register.issues()
    assert issue["title"] == TITLE and issue["state"] == "open"
    assert table_rows(issue["body"]) == {
        O_ID: ["billing", "1", "marco", "respond", "2026-03-30", "2", "overdue"]
    }
    assert "Meter read twice" not in issue["body"]

    # The same day again: nothing changed, nothing done.
    again = register.run("2026-04-01")
    assert again.returncode == 0
    assert register.calls() == [["issue", "list"]]

    # 04-29: O is 21 working days late (04-06 Easter Monday left out), past 20: very overdue;
    # P's acknowledgement, due Fri 04-03, is 17 working days late. The run fails.
    later = register.run("2026-04-29")
    assert later.returncode == 1
    assert f"::error title=Very overdue::1 very overdue: {O_ID}" in later.stdout
    assert register.calls() == [["issue", "list"], ["issue", "edit"]]
    (issue,) = register.issues()
    assert table_rows(issue["body"]) == {
        O_ID: ["billing", "1", "marco", "respond", "2026-03-30", "21", "very overdue"],
        P_ID: ["billing", "1", "—", "acknowledge", "2026-04-03", "17", "overdue"],
    }
    assert "| C-" in (tmp_path / "summary.md").read_text()

    # Both dealt with on 04-29 (P's response is due 04-30): nothing overdue, the issue closes.
    register.events[O_ID].append(
        "  - {type: responded, at: 2026-04-29, by: marco, outcome: upheld}\n"
    )
    register.events[P_ID].append("  - {type: acknowledged, at: 2026-04-29, by: anna}\n")
    register.write()
    done = register.run("2026-04-29")
    assert done.returncode == 0, done.stdout + done.stderr
    assert register.calls() == [["issue", "list"], ["issue", "close"]]
    assert [i["state"] for i in register.issues()] == ["closed"]

    # And stays closed, with no new issue, while nothing is overdue.
    register.run("2026-04-29")
    assert register.calls() == [["issue", "list"]]
    assert len(register.issues()) == 1


def test_the_issue_step_fails_clearly_when_the_list_is_not_json(tmp_path):
    (tmp_path / "runner").mkdir()
    (tmp_path / "runner" / "overdue.json").write_text("")
    (tmp_path / "runner" / "actions.json").write_text("[]")
    done = run_step(step("overdue.yml", "issue"), tmp_path, tmp_path)
    assert done.returncode == 1
    assert "overdue.json: not the JSON list" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_issue_step_fails_clearly_when_gh_fails(tmp_path):
    (tmp_path / "bin").mkdir()
    gh = tmp_path / "bin" / "gh"
    gh.write_text("#!/bin/sh\necho 'HTTP 401: Bad credentials' >&2\nexit 1\n")
    gh.chmod(0o755)
    (tmp_path / "runner").mkdir()
    (tmp_path / "runner" / "overdue.json").write_text("[]")
    (tmp_path / "runner" / "actions.json").write_text("[]")
    done = run_step(step("overdue.yml", "issue"), tmp_path, tmp_path)
    assert done.returncode == 1
    assert "Error: gh issue list failed: HTTP 401: Bad credentials" in done.stderr
    assert "Traceback" not in done.stderr


BOT = {"id": "BOT_kgDOAAABAA", "is_bot": True, "login": "app/github-actions", "name": ""}
PERSON = {"id": "U_kgDOB8AAAA", "is_bot": False, "login": "passer-by", "name": "Passer By"}
OPEN = {"title": TITLE, "body": "old\n", "author": BOT}


@pytest.mark.parametrize(
    "issues, body, expected",
    [
        ([], None, []),
        (
            [{"number": 4, **OPEN}],
            None,
            [("issue", "close", "4", "--comment", "Nothing is overdue any more.")],
        ),
        (
            [{"number": 3, "title": "Something else", "body": ""}],
            "new\n",
            [("issue", "create", "--title", TITLE, "--body-file", "-")],
        ),
        ([{"number": 4, **OPEN}], "old\n", []),
        (
            [{"number": 4, "title": TITLE, "body": "old\r\n", "author": BOT}],
            "old\n",
            [],
        ),  # GitHub's line ends
        ([{"number": 4, **OPEN}], "new\n", [("issue", "edit", "4", "--body-file", "-")]),
        # two open by accident (two runs racing): the older is kept, the other closed
        (
            [{"number": 9, **OPEN}, {"number": 4, **OPEN}],
            "old\n",
            [("issue", "close", "9", "--comment", "Duplicate of #4.")],
        ),
    ],
)
def test_plan(issues, body, expected):
    assert [call.args for call in plan(issues, body)] == expected
    assert all(call.stdin == body for call in plan(issues, body) if "--body-file" in call.args)


def test_an_issue_someone_opened_with_the_title_is_never_taken_for_the_workflows():
    # Anyone who may open an issue may give it the title. Were it taken for the workflow's,
    # its body would be written there and its author could rewrite the list at will (and
    # the workflow's own issue, newer, would be closed as its duplicate).
    planted = {"number": 2, "title": TITLE, "body": "old\n", "author": PERSON}
    assert [call.args for call in plan([planted], "new\n")] == [
        ("issue", "create", "--title", TITLE, "--body-file", "-")
    ]
    assert [call.args for call in plan([planted, {"number": 4, **OPEN}], "new\n")] == [
        ("issue", "edit", "4", "--body-file", "-")
    ]
    assert plan([planted], None) == []  # not closed either: it is not the workflow's


@pytest.mark.parametrize(
    "steps, actions, expected",
    [
        ([], [], []),
        ([{"id": "C-1", "level": "overdue"}], [{"id": "A-1", "state": "overdue"}], []),
        (
            [{"id": "C-1", "level": "very overdue"}, {"id": "C-1", "level": "very overdue"}],
            [],
            ["C-1"],
        ),
        ([], [{"id": "A-1", "state": "very overdue"}], ["A-1"]),
    ],
)
def test_very_overdue(steps, actions, expected):
    assert very_overdue(steps, actions) == expected
