"""The benchmark's synthetic register: valid files, a believable mix, the same from a seed."""

import json
from collections import Counter

from click.testing import CliRunner

from benchmarks.generate import AS_OF, generate
from complaints_register.cli.main import cli


def _run(root, *args):
    return CliRunner().invoke(cli, ["--register", str(root), *args])


def test_a_thousand_generated_complaints_pass_check(tmp_path):
    generate(tmp_path / "register", 1000, seed=3, processes=1)
    result = _run(tmp_path / "register", "check")
    assert result.exit_code == 0, result.output
    assert "ok: 1000 complaint file(s)" in result.output


def test_the_mix_has_every_kind_of_complaint(tmp_path):
    generate(tmp_path / "register", 1000, seed=3, processes=1)
    listed = json.loads(
        _run(
            tmp_path / "register",
            "list",
            "--status",
            "all",
            "--as-of",
            str(AS_OF),
            "--format",
            "json",
        ).output
    )
    statuses = Counter(item["status"] for item in listed)
    # Most complaints are long closed; some of every final and open status remain.
    assert statuses["closed"] > 500
    for status in ("responded", "referred", "withdrawn", "investigating"):
        assert statuses[status] > 0, statuses
    assert any(item["stage"] == 2 for item in listed)
    assert any(item["overdue"] for item in listed)
    texts = [p.read_text() for p in (tmp_path / "register").glob("*/*.yaml")]
    for kind in ("extended", "info-requested", "retracted", "reopened", "escalated"):
        assert any(f"type: {kind}" in text for text in texts), kind
    received_years = {p.parent.name for p in (tmp_path / "register").glob("*/*.yaml")}
    assert len(received_years) >= 10  # ten years of receipts


def test_the_same_seed_gives_the_same_files_whatever_the_processes(tmp_path):
    generate(tmp_path / "one", 300, seed=5, processes=1)
    generate(tmp_path / "two", 300, seed=5, processes=2)
    generate(tmp_path / "other", 300, seed=6, processes=1)

    def files(root):
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.glob("*/*.yaml")}

    assert len(files(tmp_path / "one")) == 300
    assert files(tmp_path / "one") == files(tmp_path / "two")
    assert files(tmp_path / "one") != files(tmp_path / "other")
