#!/usr/bin/env python
"""The security checks scripts/test.sh runs on the project's own files.

1. bandit over the product code, the scripts and the benches (settings: ``[tool.bandit]`` in
   pyproject.toml): any finding of high severity fails.
2. pip-audit over the pinned packages of requirements.txt, requirements-test.txt and
   requirements-setup.txt (uv), asking PyPI and then OSV for known vulnerabilities: any known
   vulnerability fails.

A package that no advisory source could be asked about is NOT AUDITED. pip-audit itself then
says "No known vulnerabilities found" and exits 0 (it skips what it cannot look up); this script
reads its JSON instead, names every package it could not check, and never calls that a pass. On
a machine where no advisory source answers (an offline intranet, a sandbox) the run goes on with
NOT AUDITED printed; AUDIT_REQUIRED=1 (set it in CI with network access) makes it an error.

``--skip-bandit`` leaves bandit out: scripts/test.sh passes it, since the suite's own test runs
bandit (tests/test_security_checks.py) and two runs of it would compete for the same cores.

Exit status: 0 passed (or NOT AUDITED without AUDIT_REQUIRED), 1 a finding, 2 NOT AUDITED with
AUDIT_REQUIRED=1.
"""

from __future__ import annotations

import json
import os
import subprocess  # nosec B404: runs the project's own tools with fixed arguments
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# pip-audit does not follow "-r" here: every file is named.
REQUIREMENTS = ["requirements.txt", "requirements-test.txt", "requirements-setup.txt"]
SOURCES = ["pypi", "osv"]


def _run(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True)  # nosec B603


def bandit() -> bool:
    result = _run([str(BIN / "bandit"), "-c", "pyproject.toml", "-r", ".", "--severity-level", "high", "-q"])
    if result.returncode == 0:
        print("bandit: no finding of high severity")
        return True
    print(result.stdout + result.stderr)
    print("bandit: FAILED (findings of high severity above)")
    return False


@dataclass
class Audit:
    audited: dict[str, str] = field(default_factory=dict)  # package → the source that answered
    vulnerable: list[str] = field(default_factory=list)
    not_audited: dict[str, str] = field(default_factory=dict)  # package → why
    silent: list[str] = field(default_factory=list)  # sources that did not answer at all


def _pip_audit(source: str) -> tuple[list[dict] | None, str]:
    requirements = [arg for name in REQUIREMENTS for arg in ("-r", name)]
    options = ["--no-deps", "--disable-pip", "-s", source, "-f", "json", "--progress-spinner", "off"]
    result = _run([str(BIN / "pip-audit"), *options, "--timeout", "20", *requirements])
    try:
        return json.loads(result.stdout)["dependencies"], ""
    except (ValueError, KeyError):
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"{source}: {last[:200]}"


def audit() -> Audit:
    found = Audit()
    why: dict[str, list[str]] = {}  # package → what each source said when it could not check it
    for source in SOURCES:
        dependencies, error = _pip_audit(source)
        if dependencies is None:
            found.silent.append(error)
            continue
        for dependency in dependencies:
            key = dependency["name"]
            if key in found.audited:
                continue
            if "skip_reason" in dependency:
                why.setdefault(key, []).append(f"{source}: {dependency['skip_reason']}")
                continue
            found.audited[key] = source
            for vulnerability in dependency.get("vulns", []):
                fixed = ", ".join(vulnerability.get("fix_versions", [])) or "no fixed version"
                found.vulnerable.append(
                    f"{key}=={dependency.get('version', '?')}: {vulnerability['id']} (fixed in {fixed})"
                )
    for key, said in why.items():
        if key not in found.audited:
            found.not_audited[key] = "; ".join(said)
    if not found.audited and not why:
        found.not_audited["every pinned package"] = "no source listed them"
    return found


def main(argv: list[str] = ()) -> int:
    if "--skip-bandit" in argv:
        # scripts/test.sh: bandit runs in the suite (tests/test_security_checks.py), not twice.
        print("bandit: run by the test suite (tests/test_security_checks.py), not here")
        ok = True
    else:
        ok = bandit()
    result = audit()
    for line in result.vulnerable:
        print(f"VULNERABLE {line}")
    if result.vulnerable:
        print(f"audit: FAILED ({len(result.vulnerable)} known vulnerabilities in pinned packages)")
        ok = False
    if result.not_audited:
        banner = "!" * 78
        print(banner)
        print(
            f"NOT AUDITED: {len(result.not_audited)} pinned packages could not be checked for known "
            f"vulnerabilities ({len(result.audited)} were). No advisory source answered for:"
        )
        for name, why in sorted(result.not_audited.items()):
            print(f"  {name}: {why}")
        for error in result.silent:
            print(f"  (and for all of them) {error}")
        print("This is not a pass. Run scripts/security.py where PyPI or OSV is reachable.")
        print(banner)
    elif not result.vulnerable:
        print(f"audit: {len(result.audited)} pinned packages, no known vulnerabilities")
    if not ok:
        return 1
    if result.not_audited and os.environ.get("AUDIT_REQUIRED") == "1":
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
