"""The issue forms `complaints forms` writes from the policy: valid against GitHub's
issue-forms schema, offering what the policy lists, reported by `check` once stale, and read
back from the body GitHub renders for a submitted form."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from complaints_register.core.event_input import InputError, event_fields
from complaints_register.core.issue_forms import (
    LOG,
    RECORD,
    FormError,
    answers,
    event_answers,
    fields_of,
    form,
)
from complaints_register.schema import Policy
from tests.conftest import EXAMPLE, POLICY, ROOT, installed, write_yaml
from tests.github_stand_in import STAFF, payload

BIN = Path(sys.executable).parent
FORMS = ROOT / ".github" / "ISSUE_TEMPLATE"


def schema_check(*paths: Path) -> subprocess.CompletedProcess:
    # check-jsonschema's bundled copy of SchemaStore's schema: nothing is downloaded.
    return subprocess.run(
        [
            str(BIN / "check-jsonschema"),
            "--builtin-schema",
            "vendor.github-issue-forms",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_repositorys_forms_validate_against_githubs_issue_forms_schema():
    done = schema_check(FORMS / "record-complaint.yml", FORMS / "log-event.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_refuses_a_broken_form(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "name: x\ndescription: y\nbody:\n  - type: dropdown\n    id: channel\n"
        "    attributes: {label: Channel}\n"  # a dropdown without options
    )
    assert schema_check(broken).returncode == 1


def policy_with(**changes) -> Policy:
    return Policy.model_validate({**POLICY, "staff": STAFF, **changes})


def dropdown(name: str, policy: Policy, field_id: str) -> list[str]:
    (found,) = [f for f in form(name, policy)["body"] if f.get("id") == field_id]
    return found["attributes"]["options"]


def test_the_dropdowns_offer_what_the_policy_lists():
    policy = policy_with(retired_channels=["letter"])
    assert dropdown(RECORD, policy, "channel") == ["email", "phone"]  # retired: not offered
    assert dropdown(RECORD, policy, "category") == ["billing", "service-quality", "other"]
    assert dropdown(RECORD, policy, "language") == ["en", "it", "fa"]
    assert dropdown(LOG, policy, "handler") == ["anna", "marco", "sara"]
    assert dropdown(LOG, policy, "priority") == ["normal", "urgent"]
    assert dropdown(LOG, policy, "satisfied") == ["yes", "no", "unknown"]
    types = dropdown(LOG, policy, "type")
    assert types[0] == "acknowledged" and "assessed" in types and "note" in types
    assert "erased" not in types  # `complaints erase` destroys a key as it logs that
    record = form(RECORD, policy)
    assert record["labels"] == ["record-complaint"]
    assert form(LOG, policy)["labels"] == ["log-event"]


def test_written_forms_validate_for_another_policy(tmp_path):
    register = tmp_path / "register"
    write_yaml(register / "policy.yaml", {**POLICY, "staff": STAFF, "languages": ["fa", "uk"]})
    done = installed(
        "--register", str(register), "forms", "--output", str(tmp_path / "out"), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"wrote {tmp_path / 'out' / 'record-complaint.yml'}",
        f"wrote {tmp_path / 'out' / 'log-event.yml'}",
    ]
    written = yaml.safe_load((tmp_path / "out" / "record-complaint.yml").read_text())
    (language,) = [f for f in written["body"] if f.get("id") == "language"]
    assert language["attributes"]["options"] == ["fa", "uk"]
    assert schema_check(*(tmp_path / "out").glob("*.yml")).returncode == 0


def test_check_reports_a_form_that_no_longer_matches_the_policy(tmp_path):
    repo = tmp_path / "repo"
    write_yaml(repo / "register" / "policy.yaml", {**POLICY, "staff": STAFF})
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    made = installed("forms", cwd=repo)  # default: .github/ISSUE_TEMPLATE at the top
    assert made.returncode == 0, made.stderr
    assert installed("check", cwd=repo).returncode == 0
    write_yaml(
        repo / "register" / "policy.yaml",
        {**POLICY, "staff": STAFF, "channels": ["fax", "email", "phone", "letter"]},
    )
    done = installed("check", cwd=repo)
    assert done.returncode == 1
    stale = [line for line in (done.stderr + done.stdout).splitlines() if "ISSUE_TEMPLATE" in line]
    assert stale == [
        ".github/ISSUE_TEMPLATE/record-complaint.yml: the issue form no longer matches"
        " policy.yaml (its channels, categories, languages, staff or event types): run"
        " `complaints forms` to make it again"
    ]
    # The site is built from the register, not the forms: a stale form does not stop it.
    from complaints_register.store.register import Register
    from complaints_register.store.register_check import require_valid

    require_valid(Register(repo / "register"))


def test_the_repositorys_forms_are_the_example_registers():
    from complaints_register.store.forms import form_text
    from complaints_register.store.register import Register

    policy = Register(EXAMPLE).policy()
    for name in (RECORD, LOG):
        assert (FORMS / f"{name}.yml").read_text(encoding="utf-8") == form_text(name, policy)


# ---------------------------------------------------------------------------------------
# Reading a submitted form


POLICY_WITH_STAFF = policy_with()


def test_the_answers_of_a_record_form_as_github_renders_it():
    body = payload("issues-opened-record-complaint.json")["issue"]["body"]
    assert answers(body, fields_of(RECORD, POLICY_WITH_STAFF)) == {
        "received": "2026-11-02T09:30",
        "channel": "email",
        "category": "billing",
        "language": "it",
        "summary": "Double charge on the October invoice: the second charge of 48,20 € was"
        " taken on 28 October.",
        "desired_outcome": "Refund of the second charge",
        "complainant_ref": "CRM-48213",
    }


def test_no_response_is_no_answer_and_line_ends_do_not_matter():
    body = payload("issues-opened-log-event.json")["issue"]["body"].replace("\n", "\r\n")
    found = answers(body, fields_of(LOG, POLICY_WITH_STAFF))
    assert found == {"complaint": "C-2026-1102-K7Q2", "type": "acknowledged", "at": "2026-11-03"}
    assert event_answers(found) == ("acknowledged", {}, {"at": "2026-11-03"})


def test_a_multiline_answer_keeps_its_lines_and_a_heading_inside_it_is_text():
    body = payload("issues-opened-record-complaint.json")["issue"]["body"].replace(
        "taken on 28 October.", "taken on 28 October.\n\n### Channel\n\nsaid twice"
    )
    found = answers(body, fields_of(RECORD, POLICY_WITH_STAFF))
    assert found["channel"] == "email"
    assert found["summary"].endswith("28 October.\n\n### Channel\n\nsaid twice")


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("### Channel\n\nemail", "### Channel\n\n_No response_", "Channel is required"),
        ("### Language\n\nit", "### Language\n\nde", "Language: 'de' is not one of"),
        ("### Category\n\n", "### Kategorie\n\n", "no section 'Category'"),
        ("### Summary\n\nDouble", "### Summary\n\n   \n\nDouble", None),  # blank lines: trimmed
    ],
)
def test_a_form_not_as_the_form_makes_it(old, new, message):
    body = payload("issues-opened-record-complaint.json")["issue"]["body"].replace(old, new)
    if message is None:
        assert answers(body, fields_of(RECORD, POLICY_WITH_STAFF))["summary"].startswith("Double")
        return
    with pytest.raises(FormError, match=message):
        answers(body, fields_of(RECORD, POLICY_WITH_STAFF))


def test_an_optional_dropdown_left_at_none_is_no_answer():
    body = payload("issues-opened-log-event.json")["issue"]["body"].replace(
        "### Priority\n\n_No response_", "### Priority\n\nNone"
    )
    assert "priority" not in answers(body, fields_of(LOG, POLICY_WITH_STAFF))


def test_options_become_the_events_fields_as_complaints_log_writes_them():
    assert event_fields("responded", {"outcome": "upheld", "remedy": "apology, refund"}) == {
        "outcome": "upheld",
        "remedies": ["apology", "refund"],
    }
    assert event_fields("closed", {"satisfied": "unknown"}) == {}
    assert event_fields("closed", {"satisfied": "no"}) == {"satisfied": False}
    assert event_fields("surveyed", {"score": "4"}) == {"score": 4}
    with pytest.raises(InputError, match="score 6 is not between 1 and 5"):
        event_fields("surveyed", {"score": "6"})
    with pytest.raises(InputError, match="score '٤' is not a whole number"):
        event_fields("surveyed", {"score": "٤"})  # Arabic-Indic four: not typed as digits here
    with pytest.raises(InputError, match=r"due '2026-02-30' is not a date"):
        event_fields("extended", {"due": "2026-02-30"})
    with pytest.raises(InputError, match="'erased' is not an event type that can be logged"):
        event_fields("erased", {})


def test_a_form_that_is_a_link_or_a_fifo_is_reported_not_followed_or_waited_on(tmp_path):
    import os

    from complaints_register.store.forms import stale_forms

    os.symlink("/etc/passwd", tmp_path / "record-complaint.yml")
    os.mkfifo(tmp_path / "log-event.yml")  # a read would wait for ever on it
    problems = {
        p.file.rsplit("/", 1)[-1]: p.message for p in stale_forms(tmp_path, POLICY_WITH_STAFF)
    }
    assert problems == {
        "record-complaint.yml": "cannot read: a symbolic link, not a file: the register never"
        " follows links (put the file itself here, or remove the link)",
        "log-event.yml": "cannot read: a FIFO (named pipe), not a file: the register holds plain"
        " files only (remove it)",
    }


def test_forms_are_never_written_through_a_linked_folder(tmp_path):
    # A repository can hold `.github/ISSUE_TEMPLATE` (or `.github`) as a symbolic link:
    # `complaints forms` in a clone of it would write wherever the link points.
    repo = tmp_path / "repo"
    write_yaml(repo / "register" / "policy.yaml", {**POLICY, "staff": STAFF})
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / ".github").mkdir()
    (repo / ".github" / "ISSUE_TEMPLATE").symlink_to(elsewhere)
    done = installed("forms", cwd=repo)
    assert done.returncode == 1
    assert "ISSUE_TEMPLATE is a symbolic link" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(elsewhere.iterdir()) == []
    (repo / ".github" / "ISSUE_TEMPLATE").unlink()
    (repo / ".github").rmdir()
    (repo / ".github").symlink_to(elsewhere)
    done = installed("forms", cwd=repo)
    assert done.returncode == 1 and ".github is a symbolic link" in done.stderr
    assert list(elsewhere.iterdir()) == []
