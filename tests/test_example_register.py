"""The example register, through the installed command."""

import json

from conftest import ROOT, installed

# Worked out independently when the example was written (a separate calculation with the
# holidays package and the policy's closures): overdue as of 2026-11-23, and which are
# very overdue (more than 20 working days past the response date).
OVERDUE_ON_2026_11_23 = {
    "C-2026-0804-JZHT": ("respond", "very overdue"),
    "C-2026-0903-0NHS": ("respond", "very overdue"),
    "C-2026-1002-TVSF": ("respond", "overdue"),
    "C-2026-1102-KSPG": ("respond", "overdue"),
    "C-2026-1020-F577": ("acknowledge", "overdue"),
    "C-2026-1026-0JVZ": ("acknowledge", "overdue"),
}


def test_overdue_lists_the_overdue_examples_and_exits_1():
    result = installed("overdue", "--as-of", "2026-11-23", "--format", "json", cwd=ROOT)
    assert result.returncode == 1, result.stderr
    rows = json.loads(result.stdout)
    assert {row["id"]: (row["step"], row["level"]) for row in rows} == OVERDUE_ON_2026_11_23
    lateness = [row["days_late"] for row in rows]
    assert lateness == sorted(lateness, reverse=True)  # most overdue first
    for row in rows:  # nothing confidential
        assert set(row) == {
            "id",
            "category",
            "stage",
            "handler",
            "step",
            "due",
            "days_late",
            "level",
        }


def test_overdue_exits_0_when_nothing_is_overdue():
    # The day after the first complaint arrived (2025-05-20): nothing can be due yet.
    result = installed("overdue", "--as-of", "2025-05-21", cwd=ROOT)
    assert result.returncode == 0, result.stdout
    assert "nothing is overdue as of 2025-05-21" in result.stdout


def test_list_overdue_agrees_with_overdue():
    result = installed("list", "--overdue", "--as-of", "2026-11-23", "--format", "json", cwd=ROOT)
    assert {c["id"] for c in json.loads(result.stdout)} == set(OVERDUE_ON_2026_11_23)


def test_list_due_within():
    # Due within 1 working day of Mon 2026-11-23 (that is, on the 23rd or Tue the 24th),
    # from the example's own notes: FYET responds 11-23, BP0E acknowledges 11-23,
    # E1B0 and JSMR acknowledge 11-24, and 0JVZ (its acknowledgement long overdue) is due
    # to respond on 11-23.
    result = installed(
        "list", "--due-within", "1", "--as-of", "2026-11-23", "--format", "json", cwd=ROOT
    )
    found = {c["id"] for c in json.loads(result.stdout)}
    assert found == {
        "C-2026-0922-FYET",
        "C-2026-1119-BP0E",
        "C-2026-1008-E1B0",
        "C-2026-1120-JSMR",
        "C-2026-1026-0JVZ",
    }
