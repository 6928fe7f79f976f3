r"""The built site in headless Chromium (Debian's chromium + chromedriver, driven by Selenium).

The pages are opened from disk (``file://``) with every host name unresolvable, as a reader
without network would open them. For every page of the table of contents: no JavaScript console
error, no broken internal link or image, math rendered by the MathJax copy in the build (no raw
``\(`` left in the visible text), no table wider than its container at 1280 px. The landing page
opens with the per-milestone verdict overview. Screenshots go to ``.screenshots/`` (git-ignored).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import warnings
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO / ".screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
    # no network: every host name fails to resolve, so a CDN dependency shows as an error
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--allow-file-access-from-files",
]

# Defects of the current published runs, found by this test and open (issue 10): each is fixed by
# changing the notebook and republishing its full run. They are reported as warnings, never hidden;
# any other problem fails the test. Remove an entry when its notebook is republished (none open now).
KNOWN_DEFECTS: list[str] = []

pytestmark = [pytest.mark.book, pytest.mark.slow, pytest.mark.xdist_group("site")]


def toc_pages() -> list[str]:
    """Page names (``intro``, ``notebooks/01_...``) of the table of contents, in order."""
    toc = yaml.safe_load((REPO / "book" / "_toc.yml").read_text())
    return [toc["root"]] + [ch["file"] for part in toc.get("parts", []) for ch in part["chapters"]]


@pytest.fixture(scope="module")
def driver():
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("no chromium/chromedriver on this machine (`make browser` installs them as root)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download a browser
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    drv.set_page_load_timeout(60)
    drv.set_script_timeout(60)  # _WAIT_FOR_MATH polls up to 40 s
    yield drv
    drv.quit()
    shutil.rmtree(profile, ignore_errors=True)


# Wait for MathJax itself: the script loads asynchronously, so `MathJax.startup` may not exist yet
# when the page's load event fires (under load it often does not). Poll for it (up to 40 s) on pages
# that include a MathJax script, then wait for its startup promise (typesetting done).
_WAIT_FOR_MATH = """
const done = arguments[arguments.length - 1];
const hasScript = [...document.scripts].some(s => /mathjax/i.test(s.src || ''));
if (!hasScript) { done(null); return; }
const t0 = Date.now();
(function poll() {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    MathJax.startup.promise.then(() => done(true), () => done(false));
  } else if (Date.now() - t0 > 40000) {
    done(null);
  } else {
    setTimeout(poll, 100);
  }
})();
"""

_VISIBLE_TEXT = """
const body = document.querySelector('main') || document.body;
const copy = body.cloneNode(true);
copy.querySelectorAll('pre, code, script, style, mjx-container, .highlight, textarea')
  .forEach(e => e.remove());
return copy.innerText;
"""

_WIDE_TABLES = """
const out = [];
document.querySelectorAll('main table').forEach((t, i) => {
  const box = t.parentElement.getBoundingClientRect();
  const article = document.querySelector('.bd-article') || document.body;
  const limit = Math.min(box.width, article.getBoundingClientRect().width);
  if (t.getBoundingClientRect().width > limit + 1 || t.scrollWidth > t.clientWidth + 1) {
    out.push([i, Math.round(t.getBoundingClientRect().width), Math.round(limit),
              (t.innerText || '').slice(0, 60), !!t.closest('.cell_output')]);
  }
});
return out;
"""


def _ids(path: Path, cache: dict) -> set[str]:
    if path not in cache:
        cache[path] = set(re.findall(r'\bid="([^"]+)"', path.read_text(errors="replace")))
    return cache[path]


def test_site_in_headless_chromium(built_site, driver):
    html = built_site
    SCREENSHOTS.mkdir(exist_ok=True)
    pages = toc_pages()
    problems: list[str] = []
    checked_links = 0
    id_cache: dict = {}
    for name in pages:
        path = html / f"{name}.html"
        assert path.is_file(), f"{name}: not built"
        driver.get(path.as_uri())
        math = driver.execute_async_script(_WAIT_FOR_MATH)
        for entry in driver.get_log("browser"):
            if entry.get("level") == "SEVERE":
                problems.append(f"{name}: console error: {entry.get('message', '')[:200]}")
        text = driver.execute_script(_VISIBLE_TEXT)
        for raw in ("\\(", "\\[", "$$"):
            if raw in text:
                i = text.index(raw)
                problems.append(
                    f"{name}: raw math {raw!r} in visible text: {text[max(0, i - 40) : i + 40]!r}"
                )
        if "$" in (path.read_text()) and math is None and "\\(" in path.read_text():
            problems.append(f"{name}: page has math but MathJax did not load")
        for wide in driver.execute_script(_WIDE_TABLES):
            hint = " (a notebook output: show fewer columns, split or transpose it)" if wide[4] else ""
            problems.append(
                f"{name}: table {wide[0]} is {wide[1]} px wide in a {wide[2]} px container{hint}: {wide[3]!r}"
            )
        for img in driver.execute_script(
            "return [...document.querySelectorAll('main img')]"
            ".map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0])"
        ):
            if not img[1]:
                problems.append(f"{name}: broken image {img[0]}")
        for href in driver.execute_script(
            "return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
        ):
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//") or href.startswith("mailto:"):
                continue  # external links are not followed (no network)
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            checked_links += 1
            if not target.is_file():
                problems.append(f"{name}: broken link {href}")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and unquote(parts.fragment) not in _ids(target, id_cache)
            ):
                problems.append(f"{name}: link {href}: no id {parts.fragment!r} in {target.name}")
        if name == pages[0]:
            driver.save_screenshot(str(SCREENSHOTS / "landing.png"))
            overview = driver.find_elements("css selector", ".verdict-overview table")
            assert overview, "the landing page has no verdict overview table"
            linked = driver.find_elements("css selector", ".verdict-overview table a[href*='notebooks/']")
            assert linked, "the verdict overview does not link to the chapters"
            assert driver.find_elements("css selector", "mjx-container"), (
                "no rendered math on the landing page"
            )
        if name.startswith("notebooks/01_"):
            driver.save_screenshot(str(SCREENSHOTS / "chapter-01.png"))
    print(f"checked {len(pages)} pages and {checked_links} internal links; screenshots in {SCREENSHOTS}")
    known = [p for p in problems if any(re.search(rx, p) for rx in KNOWN_DEFECTS)]
    for p in known:
        warnings.warn(f"known site defect (open, see KNOWN_DEFECTS): {p}", stacklevel=1)
    problems = [p for p in problems if p not in known]
    assert not problems, "\n".join(problems)
    assert (SCREENSHOTS / "landing.png").stat().st_size > 10_000
