"""Templates reference no external URL: every asset is vendored (intranets are often offline)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTERNAL = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?(?:https?:)?//""", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"""\sstyle\s*=\s*["']|<style[\s>]""", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)


def _templates():
    skip = {".venv", "node_modules", "staticfiles", "var"}
    for path in ROOT.rglob("*.html"):
        if not skip & set(path.relative_to(ROOT).parts):
            yield path


def _site_assets():
    for path in (ROOT / "static").rglob("*"):
        if path.suffix in {".css", ".js"} and "vendor" not in path.parts:
            yield path


def test_there_are_templates_to_check():
    assert len(list(_templates())) >= 5


def test_no_template_references_an_external_url():
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in _templates()
        for match in EXTERNAL.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders


def test_no_site_stylesheet_or_script_loads_from_elsewhere():
    offenders = [str(p) for p in _site_assets() if re.search(r"https?://", p.read_text(encoding="utf-8"))]
    assert not offenders, offenders


def test_no_template_has_inline_scripts_styles_or_event_handlers():
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, INLINE_HANDLER):
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert not offenders, offenders


def test_pages_carry_a_content_security_policy_without_unsafe_inline(client, db):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
