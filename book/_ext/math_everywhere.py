"""Sphinx extension: load MathJax on every page, not only on pages whose body has math.

The sidebar lists chapter titles with math ($T_c$); on a page without math of its own, Sphinx
would not load MathJax and the sidebar would show the raw TeX source. The "always" assets policy
makes Sphinx add MathJax (and the other extensions' page assets) to every page.
"""

from __future__ import annotations


def setup(app):
    """Register the extension: every page gets every asset."""
    app.set_html_assets_policy("always")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
