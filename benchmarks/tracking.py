"""Time the sealed entries of "Follow your complaint" on synthetic registers, as whole
processes (what the site build adds when COMPLAINTS_TRACKING_SECRET is set).

    .venv/bin/python -m benchmarks.tracking --sizes 1000,10000

Two rows per size:

* "tracking entries, warm": every complaint's key is in the cache (a daily build, where
  only the complaints new since yesterday need a key derived): facts read (cache warm),
  then every entry sealed and the bucket files made. Target: 60 s at 10,000 complaints.
  The cache is filled with stand-in keys first (random, under the real cache's names):
  sealing takes the same time with any key, and deriving 10,000 real ones takes longer
  than the whole benchmark should (see the cold row).
* "tracking entries, cold": no key in the cache, every key derived (PBKDF2-SHA256,
  600,000 rounds, on every core); only up to --cold-up-to complaints. A first build of a
  large register pays this once: about N × a third of a second ÷ cores.
"""

import argparse
import json
import secrets
import sys
import tempfile
from pathlib import Path

from benchmarks.generate import AS_OF
from benchmarks.run import BIN, Timing, make_repository, median_of, timed

SECRET = "benchmark-secret-0123456789abcdef"
ENTRIES = f"""
import sys
from datetime import date
from pathlib import Path
from complaints_register.core.working_days import calendar_for
from complaints_register.store.overview import all_facts
from complaints_register.store.register import Register
from complaints_register.store.tracking import entry_files
root = Path(sys.argv[1])
register = Register(root)
policy = register.policy()
calendar = calendar_for(policy)
facts, _ = all_facts(register, policy, calendar, date.fromisoformat("{AS_OF}"))
files = entry_files(root, facts, calendar, {SECRET!r}.encode())
assert len(files) == 256
"""


def keys_file(root: Path) -> Path:
    from complaints_register.store.cache import cache_folder
    from complaints_register.store.tracking import KEYS_FILE

    folder = cache_folder(root)
    assert folder is not None, "the benchmark's register has no cache folder"
    return folder / KEYS_FILE


def stand_in_keys(root: Path) -> None:
    """The cache as a build that derived every key would leave it, with random keys."""
    from complaints_register.core.tracking import tracking_code
    from complaints_register.store.tracking import _cache_key

    ids = [p.stem for p in sorted(root.glob("*/C-*.yaml"))]
    kept = {
        _cache_key(i, tracking_code(SECRET.encode(), i)): secrets.token_bytes(32).hex() for i in ids
    }
    path = keys_file(root)
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(kept), encoding="utf-8")


def measure(count: int, seed: int, runs: int, cold: bool) -> dict[str, Timing]:
    results: dict[str, Timing] = {}
    with tempfile.TemporaryDirectory(prefix=f"complaints-tracking-{count}-") as folder:
        repo = Path(folder)
        make_repository(repo, count, seed)
        root = repo / "register"
        command = [sys.executable, "-c", ENTRIES, str(root)]
        timed([str(BIN / "complaints"), "check"], repo)  # fills the facts cache
        if cold:
            results["tracking entries, cold"] = median_of(
                1, command, repo, before=lambda: keys_file(root).unlink(missing_ok=True)
            )
        stand_in_keys(root)
        results["tracking entries, warm"] = median_of(
            runs, command, repo, before=lambda: stand_in_keys(root)
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cold-up-to", type=int, default=1000)
    args = parser.parse_args()
    print("| N | row | s (runs) | peak MiB |\n|---|---|---|---|")
    for n in (int(s) for s in args.sizes.split(",")):
        for row, t in measure(n, args.seed, args.runs, n <= args.cold_up_to).items():
            print(f"| {n:,} | {row} | {t.seconds:.2f} ({t.runs}) | {t.peak_mib:.0f} |", flush=True)


if __name__ == "__main__":
    main()
