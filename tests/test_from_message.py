"""`complaints new --from-message`: a complaint sent with the website's form, recorded the
way `complaints new` records one. The messages here are written as the form writes them
(site/javascripts/complain.js); tests/test_complainant_browser.py takes real ones from the
page."""

import base64
import json
from email.message import EmailMessage

import pytest
import yaml
from conftest import TestRegister, policy, write_yaml

FIELDS = {
    "page": "en",
    "language": "it",
    "category": "billing",
    "what": "The February invoice charged us twice\nfor the same meter reading.",
    "outcome": "Refund the second charge",
    "name": "Maria Bianchi",
    "email": "maria@example.com",
    "phone": "",
    "address": "",
}


def block(fields: dict, version: int = 1) -> list[str]:
    encoded = base64.b64encode(json.dumps({"form": version, **fields}).encode()).decode()
    return [
        "-----BEGIN COMPLAINT FORM-----",
        *[encoded[i : i + 64] for i in range(0, len(encoded), 64)],
        "-----END COMPLAINT FORM-----",
    ]


def readable(fields: dict) -> list[str]:
    lines = ["What went wrong?", *fields["what"].split("\n"), ""]
    lines += ["What would you like us to do to put it right?", fields["outcome"], ""]
    lines += ["How we can reach you"]
    lines += [f"{k}: {fields[k]}" for k in ("name", "email", "phone", "address") if fields[k]]
    return [*lines, "", "For our complaints system (please leave this part as it is):"]


def message(**changes) -> str:
    fields = {**FIELDS, **changes}
    return "\r\n".join([*readable(fields), *block(fields), ""])


@pytest.fixture
def web(tmp_path, monkeypatch) -> TestRegister:
    """A register whose policy takes complaints through the web form; no key folder."""
    monkeypatch.delenv("COMPLAINTS_KEYS", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no config.toml there
    register = TestRegister(tmp_path / "register")
    write_yaml(register.root / "policy.yaml", policy(channels=["email", "web-form"]))
    return register


def saved(tmp_path, text: str, name: str = "message.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def recorded(register: TestRegister, complaint_id: str) -> dict:
    return yaml.safe_load(register.path(complaint_id).read_text(encoding="utf-8"))


def test_a_message_from_the_form_is_recorded_with_its_fields(web, tmp_path):
    result = web.run(
        "new", "--from-message", str(saved(tmp_path, message())), "--received", "2026-04-03T10:00"
    )
    assert result.exit_code == 0, result.output
    complaint_id = result.stdout.splitlines()[0]
    found = recorded(web, complaint_id)
    assert found["channel"] == "web-form"
    assert found["language"] == "it"
    assert found["category"] == "billing"
    assert found["summary"] == "The February invoice charged us twice\nfor the same meter reading."
    assert found["desired_outcome"] == "Refund the second charge"
    assert str(found["received"]).startswith("2026-04-03")
    # No key folder: the contact details are shown to the officer, and stored nowhere.
    assert "complainant" not in found
    assert "maria@example.com" not in register_text(web)
    assert "  email: maria@example.com" in result.stdout
    assert "NOT stored" in result.stdout and "Maria Bianchi" in result.stdout


def register_text(register: TestRegister) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in register.root.rglob("*.yaml"))


def test_an_eml_file_is_read_with_its_encoding_and_its_date(web, tmp_path):
    mail = EmailMessage()
    mail["From"] = "someone@example.com"
    mail["To"] = "complaints@example.org"
    mail["Subject"] = "Complaint sent with the form on your website"
    mail["Date"] = "Fri, 03 Apr 2026 09:12:00 +0200"
    mail.set_content(
        message(what="La bolletta è arrivata due volte, già pagata."), cte="quoted-printable"
    )
    path = tmp_path / "message.eml"
    path.write_bytes(bytes(mail))
    assert b"=C3=A8" in path.read_bytes()  # è, quoted-printable in the file
    result = web.run("new", "--from-message", str(path))
    assert result.exit_code == 0, result.output
    found = recorded(web, result.stdout.splitlines()[0])
    assert found["summary"] == "La bolletta è arrivata due volte, già pagata."
    assert str(found["received"]) == "2026-04-03 09:12:00+02:00"


def test_no_category_chosen_gets_the_policys_category_for_unsorted_complaints(web, tmp_path):
    result = web.run(
        "new",
        "--from-message",
        str(saved(tmp_path, message(category=""))),
        "--received",
        "2026-04-03",
    )
    assert result.exit_code == 0, result.output
    assert recorded(web, result.stdout.splitlines()[0])["category"] == "other"
    assert "none chosen on the form" in result.stdout


def test_contact_details_go_to_the_encrypted_block_when_a_key_folder_is_configured(
    web, tmp_path, monkeypatch
):
    monkeypatch.setenv("COMPLAINTS_KEYS", str(tmp_path / "keys"))
    result = web.run(
        "new", "--from-message", str(saved(tmp_path, message())), "--received", "2026-04-03"
    )
    assert result.exit_code == 0, result.output
    complaint_id = result.stdout.splitlines()[0]
    assert "maria@example.com" not in result.stdout
    assert (
        "-----BEGIN AGE ENCRYPTED FILE-----"
        in recorded(web, complaint_id)["complainant"]["contact"]
    )
    assert "maria@example.com" not in register_text(web)
    shown = web.run("contact", complaint_id)
    assert shown.exit_code == 0, shown.output
    assert "maria@example.com" in shown.stdout


def test_personal_data_in_the_text_is_refused_with_the_line_of_the_message(web, tmp_path):
    what = "The meter was read wrong.\nPlease pay back to IT60 X054 2811 1010 0000 0123 456."
    path = saved(tmp_path, message(what=what))
    result = web.run("new", "--from-message", str(path), "--received", "2026-04-03")
    assert result.exit_code == 1
    # Line 1 is "What went wrong?", line 2 the first line of the text, line 3 its second,
    # with the IBAN: the problem is said of where it stands in the message.
    assert f"{path}:3: what (the form's field): " in result.stderr
    assert "IBAN" in result.stderr
    assert not list(web.root.rglob("C-*.yaml"))


@pytest.mark.parametrize(
    "change, said",
    [
        (lambda text: text.replace("charged us twice", "charged us three times"), "was changed"),
        (lambda text: text.replace("Refund the second charge", "Refund everything"), "outcome"),
        (lambda text: text.replace("maria@example.com\r\n", "mario@example.com\r\n", 1), "email"),
        (lambda text: text.split("-----BEGIN")[0], "no -----BEGIN COMPLAINT FORM----- block"),
        (lambda text: text.split("-----END")[0], "has no end"),
        (
            lambda text: text.replace(
                "-----BEGIN COMPLAINT FORM-----\r\n", "-----BEGIN COMPLAINT FORM-----\r\n!!", 1
            ),
            "damaged",
        ),
        (lambda text: text + text, "a second -----BEGIN"),
    ],
)
def test_an_altered_message_or_one_not_from_the_form_is_refused(web, tmp_path, change, said):
    result = web.run(
        "new", "--from-message", str(saved(tmp_path, change(message()))), "--received", "2026-04-03"
    )
    assert result.exit_code == 1, result.output
    assert said in result.stderr
    assert "Traceback" not in result.output
    assert not list(web.root.rglob("C-*.yaml"))


def test_a_block_with_other_fields_is_refused(web, tmp_path):
    fields = {**FIELDS, "channel": "email"}
    text = "\n".join([*readable(FIELDS), *block(fields)])
    result = web.run(
        "new", "--from-message", str(saved(tmp_path, text)), "--received", "2026-04-03"
    )
    assert result.exit_code == 1 and "does not hold the form's fields" in result.stderr


def test_a_language_the_policy_does_not_answer_in_is_refused_by_the_usual_rule(web, tmp_path):
    result = web.run(
        "new",
        "--from-message",
        str(saved(tmp_path, message(language="de"))),
        "--received",
        "2026-04-03",
    )
    assert result.exit_code == 1 and "'de'" in result.stderr


def test_escape_sequences_in_the_contact_details_never_reach_the_terminal(web, tmp_path):
    result = web.run(
        "new",
        "--from-message",
        str(saved(tmp_path, message(name="Eve\x1b]0;owned\x07", email="eve@example.com"))),
        "--received",
        "2026-04-03",
    )
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_other_options_with_a_message_are_refused(web, tmp_path):
    path = str(saved(tmp_path, message()))
    result = web.run("new", "--from-message", path, "--channel", "email")
    assert result.exit_code == 2 and "give no other option but --received" in result.stderr
    result = web.run("new", "--category", "billing")
    assert result.exit_code == 2 and "missing --channel, --summary" in result.stderr


def test_a_huge_file_is_refused_before_it_is_read_as_a_message(web, tmp_path):
    path = saved(tmp_path, message() + "x" * 1_000_001)
    result = web.run("new", "--from-message", str(path))
    assert result.exit_code == 1 and "more than a message from the form can be" in result.stderr
