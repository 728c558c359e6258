"""Time the `complaints` command on synthetic registers of N complaints, as whole processes.

    .venv/bin/pip install -c constraints.txt -e '.[test]'   # brings check-jsonschema
    .venv/bin/python -m benchmarks.run --sizes 1000,10000,100000

For each N: a temporary Git repository holding a generated register (benchmarks/generate.py),
then each command run several times (the median is reported) with its peak memory (the
process's maximum resident set size, from wait4). Prints a table and writes
benchmarks/RESULTS.md with the machine, the date and the issue's targets, met or missed.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.generate import AS_OF, generate

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCHEMA = ROOT / "schema" / "json" / "complaint.schema.json"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
CHANGED = 10
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
}
FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob("*/*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


@dataclass
class Timing:
    seconds: float
    peak_mib: float
    runs: int
    cpu: float | None = None  # median CPU seconds (user + system) of the process


def timed(command: list[str], cwd: Path, env: dict | None = None, ok=(0,)) -> tuple[float, float]:
    """Wall time and peak resident memory (MiB) of one process."""
    seconds, peak, _ = timed_cpu(command, cwd, env, ok)
    return seconds, peak


def timed_cpu(
    command: list[str], cwd: Path, env: dict | None = None, ok=(0,)
) -> tuple[float, float, float]:
    """Wall time, peak resident memory (MiB) and CPU time (user + system, of the process
    and of the processes it waited for) of one process. On a machine shared with other
    work, the CPU time of a single-threaded command is what it would take alone."""
    # As a user runs it: with the program's bytecode kept (a development shell may say
    # not to, and then every run compiles each module again)
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**environment, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in ok:
        raise SystemExit(
            f"{' '.join(command[:4])}... exited {process.returncode}:\n{stderr.decode()[-2000:]}"
        )
    # ru_maxrss is in KiB on Linux
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def median_of(runs: int, command, cwd, env=None, ok=(0,), before=None, warm=False) -> Timing:
    """The median of `runs` runs (after one unmeasured run that fills the cache, if `warm`).
    `command` may be a function of the run's number (0, 1, ...) giving the command."""
    if warm:
        timed_cpu(command(0) if callable(command) else command, cwd, env, ok)
    results = []
    for run in range(runs):
        if before:
            before()
        results.append(timed_cpu(command(run) if callable(command) else command, cwd, env, ok))
    return Timing(
        statistics.median(s for s, _, _ in results),
        max(m for _, m, _ in results),
        runs,
        statistics.median(c for _, _, c in results),
    )


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, env={**os.environ, **GIT_ENV}
    )


def make_repository(repo: Path, count: int, seed: int) -> list[Path]:
    """A Git repository with a register of `count` complaints committed on main, and a
    branch `changed` where CHANGED of them have one more event. The changed files."""
    generate(repo / "register", count, seed)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "gc.auto", "0")  # no repacking in the background while timing
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Register")
    git(repo, "switch", "-q", "-c", "changed")
    files = sorted((repo / "register").glob("*/*.yaml"))
    changed = files[:: max(1, len(files) // CHANGED)][:CHANGED]
    for path in changed:
        with open(path, "a", encoding="utf-8") as handle:
            # dated AS_OF, recorded later: a late entry says why (check requires it)
            handle.write(
                f'  - {{type: note, at: {AS_OF}, by: anna, note: "Called back",'
                ' late: "Copied from the call log"}\n'
            )
    git(repo, "commit", "-q", "-am", "A note on ten complaints")
    return files


def clear_cache(repo: Path) -> None:
    """Forget every cached result, so the next run is cold."""
    from complaints_register.store.cache import cache_folder

    shutil.rmtree(cache_folder(repo / "register"), ignore_errors=True)


def measure(
    count: int, seed: int, runs: int, site: bool, jsonschema: bool, stats: bool = True
) -> dict:
    results: dict[str, Timing] = {}
    with tempfile.TemporaryDirectory(prefix=f"complaints-bench-{count}-") as folder:
        repo = Path(folder)
        files = make_repository(repo, count, seed)
        complaints = [str(BIN / "complaints")]
        as_of = ["--as-of", str(AS_OF)]
        cold = lambda: clear_cache(repo)  # noqa: E731
        results["check, cold"] = median_of(runs, complaints + ["check"], repo, before=cold)
        timed(complaints + ["check"], repo)  # fills the cache
        results["check, warm"] = median_of(runs, complaints + ["check"], repo)
        results[f"check --base, {CHANGED} changed"] = median_of(
            runs, complaints + ["check", "--base", "main"], repo
        )
        results["show one"] = median_of(
            runs, complaints + ["show", files[len(files) // 2].stem] + as_of, repo
        )
        results["list --overdue, warm"] = median_of(
            runs, complaints + ["list", "--overdue"] + as_of, repo, warm=True
        )
        results["overdue, warm"] = median_of(
            runs, complaints + ["overdue"] + as_of, repo, ok=(0, 1), warm=True
        )
        if stats:
            results["stats, warm"] = median_of(
                runs, complaints + ["stats"] + as_of, repo, warm=True
            )
        # The first command of a new day: yesterday's run left its results in the cache; the
        # next day's as-of date finds none of them (each run a day later than the last).
        for row, command, first, ok in (
            ("overdue", ["overdue"], 1, (0, 1)),
            ("list --overdue", ["list", "--overdue"], 11, (0,)),
            ("stats", ["stats"], 21, (0,)),
        ):
            if row == "stats" and not stats:
                continue
            results[f"{row}, first of a new day"] = median_of(
                runs,
                lambda run, c=command, f=first: (
                    complaints + c + ["--as-of", str(AS_OF + timedelta(days=f + run))]
                ),
                repo,
                ok=ok,
            )
        if site:
            env = {"COMPLAINTS_REGISTER": str(repo / "register"), "COMPLAINTS_AS_OF": str(AS_OF)}
            results["site build"] = median_of(
                1,
                [
                    str(BIN / "complaints"),
                    "site",
                    "--out",
                    str(repo / "site"),
                    "--projects",
                    str(repo / "projects"),
                ],
                ROOT,
                env,
            )
        results["floor: PyYAML C loader"] = median_of(
            runs, [sys.executable, "-c", FLOOR, str(repo / "register")], repo
        )
        if jsonschema:
            results["check-jsonschema"] = _jsonschema(repo)
        COSTS[count] = per_file_costs(repo, 3000)
    return results


COSTS: dict[int, dict[str, float]] = {}
"""Per register size: `per_file_costs`."""


def example_rows(runs: int) -> dict[str, Timing]:
    """`show` and `log` on a copy of the example register (register/), in a Git repository
    of its own: what an officer waits for, command after command (the first run, which
    fills the cache with the policy, is not measured)."""
    results: dict[str, Timing] = {}
    with tempfile.TemporaryDirectory(prefix="complaints-bench-example-") as folder:
        repo = Path(folder)
        shutil.copytree(ROOT / "register", repo / "register")
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "Register")
        complaint = sorted((repo / "register").glob("*/*.yaml"))[0].stem
        complaints = [str(BIN / "complaints")]
        results["complaints --help"] = median_of(runs, complaints + ["--help"], repo)
        results["show, example register"] = median_of(
            runs, complaints + ["show", complaint], repo, warm=True
        )
        log = ["log", complaint, "note", "--note", "Called back", "--by", "anna"]
        results["log, example register"] = median_of(runs, complaints + log, repo, warm=True)
    return results


PER_FILE = """
import json, sys, time
from datetime import date
from pathlib import Path
from complaints_register.core.working_days import calendar_for
from complaints_register.schema import Complaint
from complaints_register.store.cache import blob_id
from complaints_register.store.check import check_complaint
from complaints_register.store.fast_yaml import FastDocument, read
from complaints_register.store.files import read_raw
from complaints_register.store.register import Loaded, Register
from complaints_register.store.validation import validate
from complaints_register.store.yamlsafe import parse

register = Register(Path(sys.argv[1]))
paths = register.complaint_paths()[:: max(1, len(register.complaint_paths()) // int(sys.argv[2]))]
policy = register.policy()
calendar = calendar_for(policy)
today = date.fromisoformat(sys.argv[3])
spent = dict.fromkeys(["read", "hash", "parse, careful", "parse", "validation", "rules"], 0.0)
fast = 0
for path in paths:
    t0 = time.perf_counter(); raw = read_raw(path)
    t1 = time.perf_counter(); blob_id(raw)
    t2 = time.perf_counter(); parse(raw)
    t3 = time.perf_counter(); document = read(raw)
    t4 = time.perf_counter(); model, errors = validate(Complaint, document)
    t5 = time.perf_counter()
    check_complaint(Loaded(path, str(path), document, model), policy, calendar, today)
    t6 = time.perf_counter()
    for key, spent_here in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5)):
        spent[key] += spent_here
    fast += isinstance(document, FastDocument)
print(json.dumps({"files": len(paths), "fast": fast, **spent}))
"""


def per_file_costs(repo: Path, sample: int) -> dict[str, float]:
    """The cold check's costs per file on one core (microseconds), measured on `sample`
    files spread over the register: reading, hashing, parsing (the careful parser alone,
    and the path `check` takes), validation and the rules."""
    done = subprocess.run(
        [sys.executable, "-c", PER_FILE, str(repo / "register"), str(sample), str(AS_OF)],
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout)
    files = found.pop("files")
    costs = {key: value / files * 1e6 for key, value in found.items() if key != "fast"}
    costs["share of files on the fast path, %"] = 100 * found["fast"] / files
    return costs


def _jsonschema(repo: Path) -> Timing:
    """check-jsonschema over every file, in batches that fit on a command line."""
    files = [str(p.relative_to(repo)) for p in sorted((repo / "register").glob("*/*.yaml"))]
    seconds, peak = 0.0, 0.0
    for start in range(0, len(files), 20_000):
        s, m = timed(
            [
                str(BIN / "check-jsonschema"),
                "--schemafile",
                str(SCHEMA),
                *files[start : start + 20_000],
            ],
            repo,
        )
        seconds, peak = seconds + s, max(peak, m)
    return Timing(seconds, peak, 1)


TARGETS = [  # (row, seconds at 100,000 complaints)
    ("check, cold", 10),
    ("check, warm", 1),
    (f"check --base, {CHANGED} changed", 1),
    ("show one", 0.25),
    ("overdue, warm", 2),
    ("list --overdue, warm", 2),
    ("stats, warm", 2),
    ("overdue, first of a new day", 2),
    ("list --overdue, first of a new day", 2),
    ("stats, first of a new day", 2),
    ("site build", 60),
]
EXAMPLE_TARGETS = [  # (row, seconds), on the example register
    ("complaints --help", 0.12),
    ("show, example register", 0.25),
    ("log, example register", 0.25),
]
FLOOR_SHARE = 0.6  # check cold, at most this share of the bare C-loader loop


def machine() -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    memory = next(
        (
            int(line.split()[1]) / 1024**2
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores",
        f"- Memory: {memory:.1f} GiB",
        f"- Python {platform.python_version()} on {platform.system()} {platform.release()}",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
    ]


def table(all_results: dict[int, dict[str, Timing]]) -> list[str]:
    sizes = sorted(all_results)
    rows = list(dict.fromkeys(row for r in all_results.values() for row in r))
    lines = [
        "| command | " + " | ".join(f"N = {n:,}: s (runs), CPU s, peak MiB" for n in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]
    for row in rows:
        cells = [_cell(all_results[n].get(row)) for n in sizes]
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
    return lines


def _cell(t: Timing | None) -> str:
    if t is None:
        return "not run"
    cpu = f"{t.cpu:.2f}" if t.cpu is not None else "?"
    return f"{t.seconds:.2f} ({t.runs}), {cpu}, {t.peak_mib:.0f}"


def example_table(results: dict[str, Timing]) -> list[str]:
    lines = ["| command, on the example register | s (runs), CPU s, peak MiB | target | |"]
    lines.append("|---|---|---|---|")
    for row, limit in EXAMPLE_TARGETS:
        t = results.get(row)
        verdict = ("met" if t.seconds <= limit else "MISSED") if t else ""
        lines.append(f"| {row} | {_cell(t)} | ≤ {limit} s | {verdict} |")
    return lines


def cost_lines(costs: dict[int, dict[str, float]]) -> list[str]:
    lines = []
    for n, found in sorted(costs.items()):
        share = found.pop("share of files on the fast path, %", 0)
        parts = ", ".join(f"{key} {value:.0f}" for key, value in found.items())
        lines.append(
            f"- N = {n:,}: the cold check's costs per file on one core, µs (3,000 files"
            f" spread over the register): {parts}; {share:.0f} % of files on the fast path"
            " (`parse` is the path `check` takes; `parse, careful` the careful parser alone)"
        )
    return lines


def ratios(all_results) -> list[str]:
    lines = []
    for n, r in sorted(all_results.items()):
        cold, floor, js = (
            r.get(k) for k in ("check, cold", "floor: PyYAML C loader", "check-jsonschema")
        )
        text = (
            f"- N = {n:,}: `check` cold is {cold.seconds / floor.seconds:.2f} × the C-loader floor"
        )
        if js:
            text += f"; `check-jsonschema` takes {js.seconds / cold.seconds:.1f} × as long as `check` cold"
        lines.append(text)
    return lines


def verdicts(all_results) -> list[str]:
    largest = max(all_results)
    r = all_results[largest]
    lines = [
        f"Targets (set for N = 100,000; measured at N = {largest:,}):",
        "",
        "| target | measured | |",
        "|---|---|---|",
    ]
    for row, limit in TARGETS:
        t = r.get(row)
        lines.append(
            f"| {row} ≤ {limit} s | "
            + (
                f"{t.seconds:.2f} s (CPU {t.cpu:.2f} s) |"
                f" {'met' if t.seconds <= limit else 'MISSED'} |"
                if t
                else "not run | |"
            )
        )
    cold, floor, js = (
        r.get(k) for k in ("check, cold", "floor: PyYAML C loader", "check-jsonschema")
    )
    ratio = cold.seconds / floor.seconds
    lines.append(
        f"| check cold ≤ {FLOOR_SHARE} × floor | {ratio:.2f} × |"
        f" {'met' if ratio <= FLOOR_SHARE else 'MISSED'} |"
    )
    if js:
        faster = js.seconds / cold.seconds
        lines.append(
            f"| check cold ≥ 10 × faster than check-jsonschema | {faster:.1f} × |"
            f" {'met' if faster >= 10 else 'MISSED'} |"
        )
    else:
        lines.append("| check cold ≥ 10 × faster than check-jsonschema | not run at this N | |")
    peak = max(t.peak_mib for t in r.values())
    lines.append(
        f"| peak memory ≤ 1024 MiB | {peak:.0f} MiB | {'met' if peak <= 1024 else 'MISSED'} |"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="comma-separated register sizes"
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per command")
    parser.add_argument(
        "--large-runs", type=int, default=3, help="runs per command from 100,000 complaints"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--site-up-to",
        type=int,
        default=100_000,
        help="build the site only for registers up to this size",
    )
    parser.add_argument(
        "--jsonschema-up-to",
        type=int,
        default=100_000,
        help="run check-jsonschema only up to this size (it is slow)",
    )
    parser.add_argument(
        "--stats-up-to",
        type=int,
        default=100_000,
        help="run stats only up to this size (a new day's statistics solve anew)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    print("the example register ...", file=sys.stderr)
    examples = example_rows(max(args.runs, 9))
    all_results = {}
    for n in (int(s) for s in args.sizes.split(",")):
        print(f"N = {n:,} ...", file=sys.stderr)
        all_results[n] = measure(
            n,
            args.seed,
            args.runs if n < 100_000 else args.large_runs,
            n <= args.site_up_to,
            n <= args.jsonschema_up_to,
            n <= args.stats_up_to,
        )
    report = [
        "# Benchmark results",
        "",
        "Made by `"
        + " ".join(["python -m benchmarks.run"] + sys.argv[1:])
        + "` (see README, Performance).",
        "",
        *machine(),
        f"- Load: {_load()}",
        "",
        "Seconds are medians of whole processes; peak memory is the"
        " largest resident set of any run.",
        "",
        *table(all_results),
        "",
        *ratios(all_results),
        *cost_lines(COSTS),
        "",
        *verdicts(all_results),
        "",
        *example_table(examples),
        "",
    ]
    print("\n".join(report))
    args.output.write_text("\n".join(report) + _notes(args.output))


def _load() -> str:
    """The load average at the end of the run (1, 5 and 15 minutes): on a shared machine,
    how many other processes wanted the cores meanwhile."""
    one, five, fifteen = os.getloadavg()
    return (
        f"{one:.1f}, {five:.1f}, {fifteen:.1f} (1, 5, 15 min) on {os.cpu_count()} cores;"
        " the CPU seconds beside each time are what the process itself used"
    )


def _notes(results: Path) -> str:
    """The hand-written notes of the last RESULTS.md (from `## Notes` on), kept."""
    try:
        text = results.read_text(encoding="utf-8")
    except OSError:
        return ""
    start = text.find("\n## Notes")
    return text[start:] if start >= 0 else ""


if __name__ == "__main__":
    main()
