#!/usr/bin/env python
"""Extracts the translatable strings into the catalogues, app by app, and compiles them.

Each app keeps its own catalogue in <app>/locale/zh_Hans/LC_MESSAGES/django.po (app code and
app templates); the project's templates/ and linyi_ecoagency/ go to locale/. Run
``python scripts/messages.py`` after changing user-facing text, then fill the empty msgstr
entries. ``--check`` extracts into a temporary copy and lists strings missing from the catalogues.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["agencies", "reporting", "imports", "ledger", "vehicles", "waste", "campaigns"]
LOCALE = "zh_Hans"
IGNORE_AT_ROOT = [
    *APPS,
    ".venv",
    "tests",
    "bench",
    "scripts",
    "var",
    "static",
    "staticfiles",
    "docs",
    "mutants",
]


def _env(root: Path) -> dict:
    settings = {"DJANGO_SETTINGS_MODULE": "linyi_ecoagency.settings", "DEBUG": "1"}
    return {**os.environ, **settings, "PYTHONPATH": str(root)}


def _run(args, cwd):
    subprocess.run([sys.executable, *args], cwd=cwd, env=_env(cwd), check=True, stdout=subprocess.DEVNULL)


def extract(root: Path) -> None:
    """``makemessages`` in each app's folder (its own catalogue) and at the root (the project's
    catalogue), all in one Django process started for ``root`` (this script with ``--extract``)."""
    subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--extract", str(root)],
        cwd=root,
        env=_env(root),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _extract_here(root: Path) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    options = {"locale": [LOCALE], "no_obsolete": True, "no_location": True, "verbosity": 0}
    for app in APPS:
        app_dir = root / app
        (app_dir / "locale").mkdir(exist_ok=True)
        os.chdir(app_dir)
        call_command("makemessages", **options)
    os.chdir(root)
    call_command("makemessages", ignore_patterns=[f"{name}/*" for name in IGNORE_AT_ROOT], **options)


def catalogues(root: Path) -> list[Path]:
    return [
        # mutants/ is mutmut's working copy of the apps (scripts/mutation.sh), not ours.
        *sorted(p for p in root.glob(f"*/locale/{LOCALE}/LC_MESSAGES/django.po") if p.parts[-5] != "mutants"),
        root / "locale" / LOCALE / "LC_MESSAGES" / "django.po",
    ]


MSGID = re.compile(r'^msgid "(.*)"$')


def msgids(po: Path) -> set[str]:
    if not po.exists():
        return set()
    ids, current, in_id = set(), None, False
    for line in po.read_text(encoding="utf-8").splitlines():
        match = MSGID.match(line)
        if match:
            current, in_id = match.group(1), True
        elif in_id and line.startswith('"'):
            current += line[1:-1]
        else:
            if in_id and current:
                ids.add(current)
            in_id = False
    return ids


def check() -> list[str]:
    """Strings in the code that the committed catalogues lack."""
    missing = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "project"
        shutil.copytree(
            ROOT,
            copy,
            ignore=shutil.ignore_patterns(
                ".venv", ".git", "var", "staticfiles", "vendor", "node_modules", "*.mo", "mutants"
            ),
        )
        extract(copy)
        for po in catalogues(copy):
            original = ROOT / po.relative_to(copy)
            for msgid in sorted(msgids(po) - msgids(original)):
                missing.append(f"{original.relative_to(ROOT)}: {msgid}")
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--extract", metavar="ROOT", help=argparse.SUPPRESS)  # extract()'s own process
    args = parser.parse_args()
    if args.extract:
        _extract_here(Path(args.extract))
        return 0
    if args.check:
        missing = check()
        print("\n".join(missing) or "Catalogues are up to date.")
        return 1 if missing else 0
    extract(ROOT)
    _run([str(ROOT / "manage.py"), "compilemessages", "-v0", "--ignore=.venv", "--ignore=mutants"], ROOT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
