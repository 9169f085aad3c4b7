"""Kill rate per mutated module from mutmut's results (mutants/<module>.meta), after scripts/mutation.sh.

    .venv/bin/python scripts/mutation_report.py [--survivors]

Killed = a test failed (or timed out) on the mutant. The rate is killed ÷ (killed + survived +
no tests): a mutant that no test reaches counts against the module. Mutants judged equivalent in
docs/testing.md are listed there; they stay in the figures as survivors.
"""

from __future__ import annotations

import json
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KILLED = {1, 3, 36, 24, -24, 152, 255}  # a failing test; a timeout (an endless loop is caught too)
SURVIVED = {0}
NO_TESTS = {5, 33}


def main() -> int:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    show_survivors = "--survivors" in sys.argv
    totals: Counter = Counter()
    print(f"{'module':<34}{'mutants':>8}{'killed':>8}{'survived':>9}{'no test':>8}{'other':>7}{'rate':>8}")
    survivors: list[str] = []
    for module in config["only_mutate"]:
        meta = ROOT / "mutants" / f"{module}.meta"
        if not meta.exists():
            print(f"{module:<34}  (not mutated yet)")
            continue
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        counts = Counter()
        for name, code in codes.items():
            if code in KILLED:
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
        print(
            f"{module:<34}{len(codes):>8}{counts['killed']:>8}{counts['survived']:>9}"
            f"{counts['no tests']:>8}{counts['other']:>7}{rate:>8}"
        )
        totals.update(counts)
        totals["mutants"] += len(codes)
    judged = totals["killed"] + totals["survived"] + totals["no tests"]
    rate = f"{100 * totals['killed'] / judged:.1f}%" if judged else "–"
    print(
        f"{'all rule modules':<34}{totals['mutants']:>8}{totals['killed']:>8}{totals['survived']:>9}"
        f"{totals['no tests']:>8}{totals['other']:>7}{rate:>8}"
    )
    if show_survivors:
        print("\nSurvivors (mutmut show <name> prints the change):")
        for name in survivors:
            print(f"  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
