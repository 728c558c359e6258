"""Time the `complaints` command on synthetic registers of N complaints, as whole processes.

    .venv/bin/pip install -c constraints.txt -e '.[test]'   # brings check-jsonschema
    .venv/bin/python -m benchmarks.run --sizes 1000,10000,100000

For each N: a temporary Git repository holding a generated register (benchmarks/generate.py),
then each command run several times (the median is reported) with its peak memory (the
process's maximum resident set size, from wait4). Prints a table and writes
benchmarks/RESULTS.md with the machine, the date and the issue's targets, met or missed.
"""

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
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


def timed(command: list[str], cwd: Path, env: dict | None = None, ok=(0,)) -> tuple[float, float]:
    """Wall time and peak resident memory (MiB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
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
    return seconds, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def median_of(runs: int, command, cwd, env=None, ok=(0,), before=None, warm=False) -> Timing:
    """The median of `runs` runs (after one unmeasured run that fills the cache, if `warm`)."""
    if warm:
        timed(command, cwd, env, ok)
    results = []
    for _ in range(runs):
        if before:
            before()
        results.append(timed(command, cwd, env, ok))
    return Timing(statistics.median(s for s, _ in results), max(m for _, m in results), runs)


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, env={**os.environ, **GIT_ENV}
    )


def make_repository(repo: Path, count: int, seed: int) -> list[Path]:
    """A Git repository with a register of `count` complaints committed on main, and a
    branch `changed` where CHANGED of them have one more event. The changed files."""
    generate(repo / "register", count, seed)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Register")
    git(repo, "switch", "-q", "-c", "changed")
    files = sorted((repo / "register").glob("*/*.yaml"))
    changed = files[:: max(1, len(files) // CHANGED)][:CHANGED]
    for path in changed:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f'  - {{type: note, at: {AS_OF}, by: anna, note: "Called back"}}\n')
    git(repo, "commit", "-q", "-am", "A note on ten complaints")
    return files


def clear_cache(repo: Path) -> None:
    """Forget every cached result, so the next run is cold."""
    from complaints_register.store.cache import cache_folder

    shutil.rmtree(cache_folder(repo / "register"), ignore_errors=True)


def measure(count: int, seed: int, runs: int, site: bool, jsonschema: bool) -> dict:
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
        results["stats, warm"] = median_of(runs, complaints + ["stats"] + as_of, repo, warm=True)
        if site:
            env = {"COMPLAINTS_REGISTER": str(repo / "register"), "COMPLAINTS_AS_OF": str(AS_OF)}
            results["site build"] = median_of(
                1,
                [str(BIN / "mkdocs"), "build", "--strict", "-q", "-d", str(repo / "site")],
                ROOT,
                env,
            )
        results["floor: PyYAML C loader"] = median_of(
            runs, [sys.executable, "-c", FLOOR, str(repo / "register")], repo
        )
        if jsonschema:
            results["check-jsonschema"] = _jsonschema(repo)
    return results


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
    ("check, warm", 2),
    (f"check --base, {CHANGED} changed", 1),
    ("show one", 0.5),
    ("overdue, warm", 2),
    ("list --overdue, warm", 2),
    ("stats, warm", 2),
    ("site build", 60),
]


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
        "| command | " + " | ".join(f"N = {n:,}: s (runs), peak MiB" for n in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]
    for row in rows:
        cells = []
        for n in sizes:
            t = all_results[n].get(row)
            cells.append(f"{t.seconds:.2f} ({t.runs}), {t.peak_mib:.0f}" if t else "not run")
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
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
                f"{t.seconds:.2f} s | {'met' if t.seconds <= limit else 'MISSED'} |"
                if t
                else "not run | |"
            )
        )
    cold, floor, js = (
        r.get(k) for k in ("check, cold", "floor: PyYAML C loader", "check-jsonschema")
    )
    ratio = cold.seconds / floor.seconds
    lines.append(
        f"| check cold ≤ 1.5 × floor | {ratio:.2f} × | {'met' if ratio <= 1.5 else 'MISSED'} |"
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
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    all_results = {}
    for n in (int(s) for s in args.sizes.split(",")):
        print(f"N = {n:,} ...", file=sys.stderr)
        all_results[n] = measure(
            n,
            args.seed,
            args.runs if n < 100_000 else args.large_runs,
            n <= args.site_up_to,
            n <= args.jsonschema_up_to,
        )
    report = [
        "# Benchmark results",
        "",
        "Made by `"
        + " ".join(["python -m benchmarks.run"] + sys.argv[1:])
        + "` (see README, Performance).",
        "",
        *machine(),
        "",
        "Seconds are medians of whole processes; peak memory is the"
        " largest resident set of any run.",
        "",
        *table(all_results),
        "",
        *ratios(all_results),
        "",
        *verdicts(all_results),
        "",
    ]
    print("\n".join(report))
    args.output.write_text("\n".join(report) + _notes(args.output))


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
