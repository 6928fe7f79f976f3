"""Sphinx extension: drop repeated ``<script>`` entries from each page.

With Sphinx 7, sphinx-thebe and sphinx-togglebutton register their inline configuration scripts
twice; the repeated ``const THEBE_JS_URL`` is a JavaScript error on every page ("Identifier has
already been declared"), which the browser test reports. Identical entries are kept once.
"""

from __future__ import annotations


def _dedupe(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for js in scripts:
        # the repeated inline scripts differ only in filename None vs ""
        key = (str(getattr(js, "filename", js) or ""), repr(sorted(getattr(js, "attributes", {}).items())))
        if key in seen:
            continue
        seen.add(key)
        kept.append(js)
    scripts[:] = kept


def setup(app):
    """Run early: ``html-page-context`` stops at the first listener that returns a template."""
    app.connect("html-page-context", _dedupe, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
