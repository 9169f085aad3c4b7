"""Kill rate per mutated module from mutmut's results (mutants/<module>.meta), after scripts/mutation.sh.

    .venv/bin/python scripts/mutation_report.py [--survivors]

Killed = a test failed (or timed out) on the mutant. The rate is killed ÷ (killed + survived +
no tests): a mutant that no test reaches counts against the module. Mutants judged equivalent in
docs/testing.md are listed there; they stay in the figures as survivors. A module with mutants
not run (a run stopped, or never started on it) has no figure yet: its rate is of the mutants
judged so far and the last column says "partial"; the totals are given over the complete modules
and over everything judged.

Mutants of the functions in START_UP are counted apart ("start-up"), not in the rate: they run
once before any test — registering indicators, kinds and bases, decorating views, building
closures at import — or fill a process-wide cache, and mutmut switches a mutant on per call in a
process forked after start-up, so no test can ever see them (their effect is tested through the
registries, tests/test_registries.py and the URL walk).
"""

from __future__ import annotations

import json
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A failing test; a timeout (an endless loop is caught too): SIGXCPU at the CPU limit mutmut sets,
# or the kernel's SIGKILL (-9) at the hard limit one CPU second later when SIGXCPU did not end
# the process (mutmut itself files -9 as "segfault"; nothing else here sends SIGKILL to a test
# process, short of the kernel's out-of-memory killer, which would show in `dmesg`).
KILLED = {1, 3, 36, 24, -24, -9, 152, 255}
SURVIVED = {0}
NO_TESTS = {5, 33}
START_UP = {
    "ledger.indicators.x_register",
    "ledger.indicators.x_usage_compute",
    "reporting.targets.bases.x_register",
    "reporting.targets.bases.x__agency_year_field",
    "imports.kinds.x_register_builtin_kinds",
    "agencies.scoping.x_register_verification_models",
    "agencies.scoping.x_scope_required",
    "agencies.scoping.x_public_view",
    "agencies.scoping.x__scope_paths",
    "agencies.scoping.x__scoped_foreign_keys",
}


def main() -> int:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    show_survivors = "--survivors" in sys.argv
    totals: Counter = Counter()
    print(
        f"{'module':<34}{'mutants':>8}{'start-up':>9}{'killed':>8}{'survived':>9}{'no test':>8}"
        f"{'not run':>8}{'rate':>8}  run"
    )
    complete: Counter = Counter()
    survivors: list[str] = []
    for module in config["only_mutate"]:
        meta = ROOT / "mutants" / f"{module}.meta"
        if not meta.exists():
            print(f"{module:<34}  (not mutated yet)")
            continue
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        counts = Counter()
        for name, code in codes.items():
            if name.rpartition("__mutmut_")[0] in START_UP:
                counts["start-up"] += 1
            elif code in KILLED:
                counts["killed"] += 1
            elif code in SURVIVED:
                counts["survived"] += 1
                survivors.append(name)
            elif code in NO_TESTS:
                counts["no tests"] += 1
                survivors.append(name)
            else:
                counts["other"] += 1
        judged = counts["killed"] + counts["survived"] + counts["no tests"]
        rate = f"{100 * counts['killed'] / judged:.1f}%" if judged else "–"
        run = "complete" if not counts["other"] else "partial" if judged else "not run"
        print(
            f"{module:<34}{len(codes):>8}{counts['start-up']:>9}{counts['killed']:>8}{counts['survived']:>9}"
            f"{counts['no tests']:>8}{counts['other']:>8}{rate:>8}  {run}"
        )
        totals.update(counts)
        totals["mutants"] += len(codes)
        if not counts["other"]:
            complete.update(counts)
            complete["mutants"] += len(codes)
    for label, sums in (("complete modules", complete), ("all rule modules (judged)", totals)):
        judged = sums["killed"] + sums["survived"] + sums["no tests"]
        rate = f"{100 * sums['killed'] / judged:.1f}%" if judged else "–"
        print(
            f"{label:<34}{sums['mutants']:>8}{sums['start-up']:>9}{sums['killed']:>8}"
            f"{sums['survived']:>9}{sums['no tests']:>8}{sums['other']:>8}{rate:>8}"
        )
    if show_survivors:
        print("\nSurvivors (mutmut show <name> prints the change):")
        for name in survivors:
            print(f"  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
