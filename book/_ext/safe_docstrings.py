"""Sphinx extension: docstrings that are not valid reStructuredText render verbatim.

Some docstrings of ``reviewlib`` are plain text with ASCII formulas (``|w_m|``, indented equation
blocks) that read well in a terminal but are not valid reST, and the book is built with warnings as
errors. After napoleon has converted Google sections, each docstring is parsed once by docutils
(Sphinx-only roles and directives aside); one that produces a warning is shown as a literal block
instead, so the API page shows every docstring exactly and the build stays strict for pages.
"""

from __future__ import annotations

import io
import re

from docutils.core import publish_doctree

_ROLE = re.compile(r":[\w:+-]+:(`)")
_SPHINX_ONLY = (
    "Unknown interpreted text role",
    "Unknown directive type",
    "No role entry",
    "No directive entry",
)


def _is_clean(text: str) -> bool:
    """Whether docutils parses ``text`` without a warning (Sphinx-only roles/directives aside)."""
    stream = io.StringIO()
    settings = {"report_level": 2, "halt_level": 5, "warning_stream": stream}
    try:
        publish_doctree(_ROLE.sub(r"\1", text), settings_overrides=settings)
    except Exception:  # anything docutils cannot parse is shown verbatim
        return False
    problems = [
        m for m in stream.getvalue().split("<string>:") if m.strip() and not any(s in m for s in _SPHINX_ONLY)
    ]
    return not problems


def _process(app, what, name, obj, options, lines):
    if not lines or _is_clean("\n".join(lines)):
        return
    summary, rest = [], list(lines)
    while rest and rest[0].strip():
        summary.append(rest.pop(0))
    summary_text = " ".join(s.strip() for s in summary)
    if not _is_clean(summary_text):
        rest = summary + rest
        summary_text = ""
    new = [summary_text.replace("|", "\\|"), ""] if summary_text else []
    body = list(rest)
    while body and not body[0].strip():
        body.pop(0)
    if body:
        new += ["::", ""] + ["    " + line for line in body] + [""]
    lines[:] = new


def setup(app):
    """Register the docstring check after napoleon (priority 500)."""
    app.connect("autodoc-process-docstring", _process, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
