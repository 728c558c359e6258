"""Work on every core gives what work in one process gives, in the same order."""

import pytest
from click.testing import CliRunner

from benchmarks.generate import AS_OF, generate
from complaints_register.cli.main import cli
from complaints_register.store import pool


def square_plus(n: int, offset: int) -> int:
    return n * n + offset


@pytest.mark.parametrize("count", [0, 1, 7, 600])
def test_each_gives_every_result_in_order(monkeypatch, count):
    monkeypatch.setattr(pool, "MANY", 1)
    monkeypatch.setattr(pool, "CHUNK", 50)
    assert list(pool.each(square_plus, list(range(count)), 3)) == [n * n + 3 for n in range(count)]


COMMANDS = [
    ["check", "--format", "json"],
    ["list", "--status", "all", "--as-of", str(AS_OF), "--format", "json"],
    ["overdue", "--as-of", str(AS_OF), "--format", "json"],
    ["stats", "--as-of", str(AS_OF)],
]


def test_commands_answer_the_same_on_every_core_as_on_one(tmp_path, monkeypatch):
    generate(tmp_path / "register", 60, seed=5, processes=1)
    broken = sorted((tmp_path / "register").glob("*/*.yaml"))[3]
    broken.write_text(
        broken.read_text(encoding="utf-8") + "  - {type: nonsense}\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COMPLAINTS_NO_CACHE", "1")

    def answers():
        runner = CliRunner()
        return [(r.exit_code, r.output) for r in (runner.invoke(cli, c) for c in COMMANDS)]

    monkeypatch.setattr(pool, "MANY", 10**9)
    one = answers()
    monkeypatch.setattr(pool, "MANY", 1)
    monkeypatch.setattr(pool, "CHUNK", 7)
    monkeypatch.setattr(pool, "cores", lambda: 2)
    assert answers() == one
    assert one[0][0] == 1 and "nonsense" in one[0][1]  # the broken file is found either way
