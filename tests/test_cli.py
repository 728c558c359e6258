"""Every command end to end through click's runner, and the installed command for real."""

import json
import os
import shutil

import pytest
import yaml
from conftest import ROOT, complaint, installed

from complaints_register.store.register import Register

RECEIVED = "2026-04-03T09:12:00+02:00"


def new(register, *extra: str) -> str:
    result = register.run(
        "new",
        "--channel",
        "email",
        "--category",
        "billing",
        "--summary",
        "Double charge",
        "--received",
        RECEIVED,
        *extra,
    )
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def test_init_creates_a_valid_register(tmp_path):
    from click.testing import CliRunner

    from complaints_register.cli.main import cli

    root = tmp_path / "reg"
    result = CliRunner().invoke(
        cli, ["init", str(root), "--organisation", 'Acme "Water"', "--country", "it"]
    )
    assert result.exit_code == 0, result.output
    policy = yaml.safe_load((root / "policy.yaml").read_text())
    assert policy["organisation"] == 'Acme "Water"'
    assert policy["calendar"]["timezone"] == "Europe/Rome"  # Italy's only zone
    assert CliRunner().invoke(cli, ["--register", str(root), "check"]).exit_code == 0
    again = CliRunner().invoke(cli, ["init", str(root)])
    assert again.exit_code == 1 and "exists already" in again.stderr


# Exit 2 (bad usage) when the command line lacks what it needs: Italy has one time zone,
# the United States several, so --country US needs --timezone. Exit 1 (a refused edit)
# when the options are usable but the policy they would write is invalid: it is checked
# as `complaints check` would check it, at its line, and not written.
@pytest.mark.parametrize(
    "args, code, message",
    [
        (["--country", "US"], 2, "US has several time zones: choose one"),
        (["--country", "XX", "--timezone", "UTC"], 1, "no public holidays are known for 'XX'"),
        (["--country", "GB", "--subdivision", "ZZZ"], 1, "GB has no subdivision 'ZZZ'"),
    ],
)
def test_init_refuses_bad_places(tmp_path, args, code, message):
    from click.testing import CliRunner

    from complaints_register.cli.main import cli

    result = CliRunner().invoke(cli, ["init", str(tmp_path / "reg"), *args])
    assert result.exit_code == code and message in result.stderr, result.output
    assert not (tmp_path / "reg" / "policy.yaml").exists()


def test_new_prints_the_id_and_writes_a_valid_file(register):
    complaint_id = new(
        register, "--language", "fa", "--complainant-ref", "CRM-1", "--desired-outcome", "Refund"
    )
    assert complaint_id.startswith("C-2026-0403-")
    path = register.path(complaint_id)
    text = path.read_text()
    schema = os.path.relpath(
        ROOT / "schema" / "json" / "complaint.schema.json", path.parent.resolve()
    )
    assert text.splitlines()[0] == f"# yaml-language-server: $schema={schema}"
    assert (path.parent / schema).resolve().is_file()
    data = yaml.safe_load(text)
    assert data["language"] == "fa" and data["complainant"] == {"ref": "CRM-1"}
    assert register.run("check").exit_code == 0


def test_new_language_defaults_to_the_policys_first(register):
    data = yaml.safe_load(register.path(new(register)).read_text())
    assert data["language"] == "en"


# Exit 1 (a refused edit) when the file `new` would write breaks a rule of the register,
# reported at its line; exit 2 (bad usage) when an option's value cannot be read at all.
@pytest.mark.parametrize(
    "args, code, message",
    [
        (["--channel", "fax"], 1, ": channel: 'fax' is not one of the policy's channels"),
        (["--category", "weather"], 1, ": category: 'weather' is not one of the policy's"),
        (["--language", "de"], 1, ": language: 'de' is not one of the policy's languages"),
        (["--received", "2099-01-01"], 1, ": received: in the future"),
        (["--received", "yesterday"], 2, "Invalid value for '--received': 'yesterday' is not a"),
    ],
)
def test_new_refuses_invalid_complaints(register, args, code, message):
    base = {"--channel": "email", "--category": "billing", "--summary": "x", "--received": RECEIVED}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    result = register.run("new", *[part for pair in base.items() for part in pair])
    assert result.exit_code == code and message in result.stderr, result.output
    assert Register(register.root).complaint_paths() == []


def test_log_appends_events_and_show_tells_the_status(register):
    complaint_id = new(register)
    steps = [
        ("acknowledged", "--at", "2026-04-07", "--by", "anna"),
        (
            "assessed",
            "--at",
            "2026-04-08",
            "--by",
            "anna",
            "--priority",
            "urgent",
            "--handler",
            "marco",
        ),
        ("info-requested", "--at", "2026-04-09T10:00", "--by", "marco"),
        ("info-received", "--at", "2026-04-10", "--by", "marco"),
        (
            "responded",
            "--at",
            "2026-04-14",
            "--by",
            "marco",
            "--outcome",
            "upheld",
            "--remedy",
            "refund",
            "--remedy",
            "apology",
        ),
        ("closed", "--at", "2026-04-15", "--by", "marco", "--satisfied", "yes"),
        ("surveyed", "--at", "2026-04-20", "--by", "anna", "--score", "4"),
    ]
    for step in steps:
        result = register.run("log", complaint_id, *step)
        assert result.exit_code == 0, result.output
    text = register.path(complaint_id).read_text()
    assert "- {type: assessed, at: 2026-04-08, by: anna, priority: urgent, handler: marco}" in text
    data = yaml.safe_load(text)
    assert [e["type"] for e in data["events"]] == [s[0] for s in steps]
    assert data["events"][4]["remedies"] == ["refund", "apology"]
    assert data["events"][5]["satisfied"] is True
    assert data["events"][2]["at"].isoformat() == "2026-04-09T10:00:00+02:00"  # the policy's zone
    shown = json.loads(register.run("show", complaint_id, "--format", "json").stdout)
    assert (shown["status"], shown["stage"], shown["priority"]) == ("closed", 1, "urgent")
    assert shown["done"] == {"acknowledged": "2026-04-07", "responded": "2026-04-14"}
    text = register.run("show", complaint_id).stdout
    assert "closed (stage 1)" in text and "[4] 2026-04-14  responded by marco" in text


def test_show_json_has_every_key_of_the_contract(register):
    complaint_id = new(register)
    shown = json.loads(
        register.run("show", complaint_id, "--format", "json", "--as-of", "2026-04-03").stdout
    )
    for key in (
        "id",
        "status",
        "stage",
        "priority",
        "paused",
        "due",
        "done",
        "overdue",
        "very_overdue",
        "late",
        "stages",
    ):
        assert key in shown
    assert set(shown["due"]) == {"acknowledge", "respond"}
    assert set(shown["done"]) == {"acknowledged", "responded"}
    assert shown["stages"][0]["stage"] == 1


def test_log_refuses_an_invalid_edit_and_changes_nothing(register):
    complaint_id = new(register)
    path = register.path(complaint_id)
    before = path.read_bytes()
    result = register.run(
        "log", complaint_id, "info-received", "--at", "2026-04-07", "--by", "anna"
    )
    assert result.exit_code == 1
    assert "no information was requested" in result.stderr
    assert f"{complaint_id}.yaml:" in result.stderr  # file:line
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


@pytest.mark.parametrize(
    "args, message",
    [
        (
            [
                "assessed",
                "--at",
                "2026-04-07",
                "--by",
                "a",
                "--outcome",
                "upheld",
                "--priority",
                "normal",
            ],
            "--outcome does not go with assessed",
        ),
        (
            ["note", "--at", "2026-04-07", "--by", "a", "--score", "3"],
            "--score does not go with note",
        ),
        (["dismissed"], "Invalid value for 'TYPE'"),
        (["surveyed", "--score", "9"], "9 is not in the range 1<=x<=5"),
    ],
)
def test_log_usage_errors_exit_2(register, args, message):
    complaint_id = new(register)
    result = register.run("log", complaint_id, *args)
    assert result.exit_code == 2 and message in result.stderr, result.output


def test_log_before_receipt_is_refused_with_its_line(register):
    complaint_id = new(register)
    result = register.run("log", complaint_id, "acknowledged", "--at", "2026-04-01", "--by", "anna")
    assert result.exit_code == 1
    assert (
        f"{complaint_id}.yaml:9: events[0].at: before the complaint was received (2026-04-03)"
        in result.stderr
    )


@pytest.mark.parametrize(
    "typed, found",
    [
        ("C-2026-0403-K7Q2", "C-2026-0403-K7Q2"),
        ("c-2026-0403-k7q", "C-2026-0403-K7Q2"),
        ("C-2026-0403-K", "C-2026-0403-K7Q2"),
        ("C-2026-0403-ZZZO", "C-2026-0403-ZZZ0"),  # O typed for zero
        ("C-2026-05", "C-2026-0512-ZZZ1"),
    ],
)
def test_any_unambiguous_prefix_is_accepted(register, typed, found):
    for complaint_id in (
        "C-2026-0403-K7Q2",
        "C-2026-0403-ZZZ0",
        "C-2026-0403-ZZZ1",
        "C-2026-0512-ZZZ1",
    ):
        register.add(
            complaint(
                id=complaint_id,
                received=f"{complaint_id[2:6]}-{complaint_id[7:9]}-{complaint_id[9:11]}T10:00:00+02:00",
            )
        )
    result = register.run("show", typed, "--format", "json", "--as-of", "2026-06-01")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == found


@pytest.mark.parametrize(
    "typed, message",
    [
        (
            "C-2026-0403-ZZZ",
            "C-2026-0403-ZZZ is the start of 2 IDs: C-2026-0403-ZZZ0, C-2026-0403-ZZZ1",
        ),
        ("C-2026-04", "is the start of 3 IDs"),
        ("C-2025", "no complaint has an ID starting C-2025"),
        ("", "give a complaint ID"),
    ],
)
def test_ambiguous_or_unknown_prefix_is_a_clear_error(register, typed, message):
    for complaint_id in ("C-2026-0403-K7Q2", "C-2026-0403-ZZZ0", "C-2026-0403-ZZZ1"):
        register.add(complaint(id=complaint_id))
    result = register.run("show", typed)
    assert result.exit_code == 1 and message in result.stderr, result.output


def test_list_filters_and_formats(register):
    open_id = new(register)
    closed_id = new(register)
    for step in (("acknowledged",), ("responded", "--outcome", "upheld"), ("closed",)):
        assert (
            register.run("log", closed_id, *step, "--at", "2026-04-07", "--by", "a").exit_code == 0
        )
    listed = register.run("list", "--as-of", "2026-04-08").stdout
    assert open_id in listed and closed_id not in listed
    every = json.loads(
        register.run("list", "--status", "all", "--format", "json", "--as-of", "2026-04-08").stdout
    )
    assert {c["id"] for c in every} == {open_id, closed_id}
    closed = register.run(
        "list", "--status", "closed", "--format", "csv", "--as-of", "2026-04-08"
    ).stdout
    assert closed.splitlines()[0].startswith("id,status,stage")
    assert closed.splitlines()[1].startswith(f"{closed_id},closed,1")


def test_check_reports_every_problem_with_file_and_line(register):
    good = new(register)
    register.add(
        complaint(
            {"type": "responded", "at": "2026-04-01", "by": "a", "outcome": "upheld"},
            id="C-2026-0403-BAD1",
            channel="fax",
        )
    )
    result = register.run("check")
    assert result.exit_code == 1
    bad = register.path("C-2026-0403-BAD1")
    lines = bad.read_text().splitlines()
    channel_line = lines.index("channel: fax") + 1
    event_line = next(n for n, line in enumerate(lines, 1) if "2026-04-01" in line)
    assert result.stdout.splitlines() == [
        f"{bad}:{channel_line}: channel: 'fax' is not one of the policy's channels (email, phone, letter)",
        f"{bad}:{event_line}: events[0].at: before the complaint was received (2026-04-03)",
    ]
    as_json = json.loads(register.run("check", "--format", "json").stdout)
    assert {p["where"] for p in as_json} == {"channel", "events[0].at"}
    github = register.run("check", "--format", "github").stdout.splitlines()
    assert all(line.startswith("::error file=") and ",line=" in line for line in github)
    only_good = register.run("check", str(register.path(good)))
    assert only_good.exit_code == 0


def test_check_catches_a_duplicate_id_and_misplaced_files(register):
    register.add(complaint())
    copy = register.root / "2025" / "C-2026-0403-K7Q2.yaml"
    copy.parent.mkdir()
    shutil.copy(register.path("C-2026-0403-K7Q2"), copy)
    (register.root / "2026" / "notes.txt").write_text("hello")
    out = register.run("check").stdout
    assert "is also the ID of" in out
    assert "received in 2026, so the file belongs in the folder 2026/" in out
    assert "notes.txt: not a complaint file" in out


def test_commands_need_a_register(tmp_path):
    from click.testing import CliRunner

    from complaints_register.cli.main import cli

    result = CliRunner().invoke(cli, ["--register", str(tmp_path / "none"), "list"])
    assert result.exit_code == 1
    assert "policy.yaml is missing" in result.stderr and "Traceback" not in result.output


def test_an_invalid_policy_is_reported_not_raised(register):
    (register.root / "policy.yaml").write_text("organisation: [unclosed\n")
    result = register.run("list")
    assert (
        result.exit_code == 1
        and "policy.yaml:" in result.stderr
        and "not valid YAML" in result.stderr
    )


def test_the_installed_command_runs_for_real(tmp_path):
    reg = tmp_path / "reg"
    assert installed("init", str(reg), "--country", "EE", cwd=tmp_path).returncode == 0
    made = installed(
        "--register",
        str(reg),
        "new",
        "--channel",
        "email",
        "--category",
        "billing",
        "--summary",
        "Late bill",
        "--received",
        "2026-04-03T10:00",
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    complaint_id = made.stdout.strip()
    logged = installed(
        "--register",
        str(reg),
        "log",
        complaint_id,
        "acknowledged",
        "--at",
        "2026-04-06",
        "--late",  # dated long before the test runs
        "entered from the paper file",
        cwd=tmp_path,
    )
    assert logged.returncode == 0, logged.stderr
    shown = installed(
        "--register", str(reg), "show", complaint_id, "--format", "json", cwd=tmp_path
    )
    assert json.loads(shown.stdout)["status"] == "acknowledged"
    broken = installed("--register", str(reg), "show", "C-1999", cwd=tmp_path)
    assert broken.returncode == 1 and "Traceback" not in broken.stderr


def test_the_example_register_checks_clean():
    result = installed("--register", "register", "check", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "line, replacement, where, message",
    [
        ("country: IT", "country: XX", "calendar.country", "no public holidays are known for 'XX'"),
        (
            "subdivision: null",
            "subdivision: ZZZ",
            "calendar.subdivision",
            "IT has no subdivision 'ZZZ'",
        ),
        (
            "timezone: Europe/Rome",
            "timezone: Europe/Atlantis",
            "calendar.timezone",
            "unknown time zone 'Europe/Atlantis'",
        ),
    ],
)
@pytest.mark.parametrize("command", [["check"], ["list"], ["overdue"]])
def test_a_bad_calendar_in_the_policy_names_policy_yaml_and_its_line(
    register, line, replacement, where, message, command
):
    path = register.root / "policy.yaml"
    text = path.read_text().replace(line, replacement)
    path.write_text(text)
    number = text.splitlines().index(f"  {replacement}") + 1
    result = register.run(*command)
    assert result.exit_code == 1
    assert f"{path}:{number}: {where}: {message}" in result.output
    assert "Traceback" not in result.output


def test_overdue_formats_for_github_and_markdown(register):
    # Both received Wed 03-04 (respond due Wed 04-01, very overdue after Thu 04-30, see
    # test_deadlines.py); one never acknowledged (due Fri 03-06).
    register.add(complaint(id="C-2026-0304-AAAA", received="2026-03-04T10:00:00+01:00"))
    register.add(
        complaint(
            {"type": "acknowledged", "at": "2026-03-05", "by": "anna"},
            id="C-2026-0304-BBBB",
            received="2026-03-04T10:00:00+01:00",
        )
    )
    github = register.run("overdue", "--as-of", "2026-05-04", "--format", "github")
    assert github.exit_code == 1
    lines = github.stdout.splitlines()
    assert len(lines) == 2  # one annotation per complaint, however many steps
    aaaa = next(line for line in lines if "AAAA" in line)
    assert aaaa.startswith(
        f"::error file={register.path('C-2026-0304-AAAA')},title=C-2026-0304-AAAA overdue::"
    )
    assert (
        "acknowledge very overdue" in aaaa
        and "respond very overdue by 21 working days (due 2026-04-01)" in aaaa
    )
    early = register.run("overdue", "--as-of", "2026-04-02", "--format", "github").stdout
    assert early.count("::warning ") == 2 and "::error" not in early
    markdown = register.run(
        "overdue", "--as-of", "2026-04-02", "--format", "markdown"
    ).stdout.splitlines()
    assert markdown[0] == "Overdue as of 2026-04-02: 3 step(s)."
    assert markdown[2] == "| id | category | stage | handler | step | due | days_late | level |"
    assert "| C-2026-0304-AAAA | billing | 1 |  | acknowledge | 2026-03-06 |" in "\n".join(markdown)
    nothing = register.run("overdue", "--as-of", "2026-03-05", "--format", "markdown")
    assert nothing.exit_code == 0 and nothing.stdout == "Nothing is overdue as of 2026-03-05.\n"
