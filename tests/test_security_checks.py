"""The suite's security checks (#10.10): bandit fails on a finding of high severity, the audit of
the pinned packages fails on a known vulnerability, and a package no advisory source could be
asked about is reported as NOT AUDITED, never as passing (pip-audit alone then says "No known
vulnerabilities found" and exits 0)."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "security.py"


@pytest.fixture
def security():
    spec = importlib.util.spec_from_file_location("security_checks", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def _skipped(name, version):  # pip-audit's JSON for a package its source does not know
    reason = f"Dependency not found on PyPI and could not be audited: {name} ({version})"
    return {"name": name, "skip_reason": reason}


def _answers(security, monkeypatch, by_source, *, bandit_ok=True):
    monkeypatch.setattr(security, "bandit", lambda: bandit_ok)
    monkeypatch.setattr(
        security, "_pip_audit", lambda source: by_source.get(source, (None, f"{source}: unreachable"))
    )


def test_packages_no_source_could_check_are_not_audited_and_never_a_pass(security, monkeypatch, capsys):
    _answers(
        security, monkeypatch, {"pypi": ([_skipped("django", "5.2.19"), _skipped("pillow", "13.0.0")], "")}
    )
    assert security.main() == 0  # the suite goes on …
    out = capsys.readouterr().out
    assert "NOT AUDITED: 2 pinned packages" in out and "django" in out and "osv: unreachable" in out
    assert "no known vulnerabilities" not in out  # … but nothing says it passed
    monkeypatch.setenv("AUDIT_REQUIRED", "1")
    assert security.main() == 2


def test_when_no_source_answers_at_all_nothing_is_audited(security, monkeypatch, capsys):
    _answers(security, monkeypatch, {})
    monkeypatch.setenv("AUDIT_REQUIRED", "1")
    assert security.main() == 2
    assert "NOT AUDITED" in capsys.readouterr().out


def test_a_package_another_source_checks_is_audited(security, monkeypatch, capsys):
    checked = {"name": "django", "version": "5.2.19", "vulns": []}
    _answers(security, monkeypatch, {"pypi": ([_skipped("django", "5.2.19")], ""), "osv": ([checked], "")})
    assert security.main() == 0
    assert "audit: 1 pinned packages, no known vulnerabilities" in capsys.readouterr().out


def test_a_known_vulnerability_fails(security, monkeypatch, capsys):
    vulnerable = {
        "name": "django",
        "version": "5.2.0",
        "vulns": [{"id": "PYSEC-0000-0", "fix_versions": ["5.2.1"], "aliases": [], "description": ""}],
    }
    _answers(security, monkeypatch, {"pypi": ([vulnerable], "")})
    assert security.main() == 1
    assert "VULNERABLE django==5.2.0: PYSEC-0000-0 (fixed in 5.2.1)" in capsys.readouterr().out


def test_a_high_bandit_finding_fails(security, monkeypatch, tmp_path, capsys):
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    code = "import subprocess\n\n\ndef run(name):\n    subprocess.call(name, shell=True)\n"
    (tmp_path / "shell.py").write_text(code)  # B602: a shell with input, high severity
    monkeypatch.setattr(security, "ROOT", tmp_path)
    assert security.bandit() is False
    assert "B602" in capsys.readouterr().out


def test_the_project_has_no_high_bandit_finding(security):
    assert security.bandit() is True


def test_skip_bandit_runs_the_audit_alone(security, monkeypatch, capsys):
    def no_bandit():
        raise AssertionError("bandit ran")

    monkeypatch.setattr(security, "bandit", no_bandit)
    monkeypatch.setattr(security, "audit", lambda: security.Audit(audited={"django": "pypi"}))
    assert security.main(["--skip-bandit"]) == 0
    out = capsys.readouterr().out
    assert "bandit: run by the test suite" in out
    assert "audit: 1 pinned packages, no known vulnerabilities" in out


def test_the_real_audit_of_the_pins_says_what_it_did(security, monkeypatch, capsys):
    """Whatever the network allows here: exit 0 and either a clean audit or NOT AUDITED. The audit
    is real (pip-audit over the pins, asking the advisory sources); bandit, which ``main`` runs
    first, is the test above's and is not run a second time here."""
    monkeypatch.setattr(security, "bandit", lambda: True)
    code = security.main()
    out = capsys.readouterr().out
    audited = "pinned packages, no known vulnerabilities" in out
    assert code == 0, out
    assert audited != ("NOT AUDITED" in out), out


def test_the_suite_runs_the_security_checks():
    # the audit beside pytest; bandit once, as test_the_project_has_no_high_bandit_finding above
    assert ".venv/bin/python scripts/security.py --skip-bandit" in (ROOT / "scripts" / "test.sh").read_text()
    pins = (ROOT / "requirements-test.txt").read_text().splitlines()
    assert any(line.startswith("bandit==") for line in pins) and any(
        line.startswith("pip-audit==") for line in pins
    )


def test_the_recorded_pip_audit_format_is_what_the_script_reads(security, tmp_path):
    """pip-audit's own JSON, from a real run against a requirements file, has the keys read here."""
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("polib==1.2.0\n")
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "pip-audit"),
            *("--no-deps", "--disable-pip", "-f", "json", "--progress-spinner", "off", "--timeout", "20"),
            *("-r", str(requirements)),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    (dependency,) = json.loads(result.stdout)["dependencies"]
    assert dependency["name"] == "polib" and ("skip_reason" in dependency or "vulns" in dependency)
