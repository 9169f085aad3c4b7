"""Start-up checks: refuse to run imports or exports without defusedxml.

openpyxl (used for the templates) parses XML with the standard library unless defusedxml is
installed, and then silently expands entity bombs; it decides once, at import time.
"""

from django.core.checks import Error, Tags, register


@register(Tags.security)
def check_defusedxml(app_configs=None, **kwargs):
    try:
        import defusedxml  # noqa: F401
        from openpyxl.xml import DEFUSEDXML
    except ImportError:
        DEFUSEDXML = False
    if DEFUSEDXML:
        return []
    return [
        Error(
            "defusedxml is not installed (or openpyxl does not use it): spreadsheet XML would be parsed "
            "without protection against entity expansion.",
            hint="pip install defusedxml (it is pinned in requirements.txt).",
            id="imports.E001",
        )
    ]
