"""The HTML report in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``), driven by Selenium through the system chromedriver.

Checks that the page loads with no console error, that nothing is requested from outside
``file://`` (the report is self-contained), that every figure is drawn at a non-zero size,
and saves a full-page PNG screenshot as an artifact (to ``$SCALINGLAB_ARTIFACTS``, else
pytest's temporary folder; its path is printed). Skips, saying why, where Chromium, its
driver or Selenium is missing or the browser cannot start.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import scalinglab
from scalinglab.report import write_report

# its module's fixtures: 9.6 s in the suite on a 2-core AMD EPYC, for a few quick tests
pytestmark = pytest.mark.heavy

CHROMIUM = os.environ.get("SCALINGLAB_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("SCALINGLAB_CHROMEDRIVER", "/usr/bin/chromedriver")
# no network on CI machines: every background service that would reach out is switched off
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
)
LOCAL_SCHEMES = ("file:", "data:", "about:", "chrome:", "blob:")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    webdriver = pytest.importorskip(
        "selenium.webdriver", reason="selenium is not installed (pip install -e '.[browser]')"
    )
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service

    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not (Path(path).is_file() and os.access(path, os.X_OK)):
            pytest.skip(f"{path} not found: install Debian's {package} (apt-get install {package})")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tmp_path_factory.mktemp("chromium-profile")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    except WebDriverException as err:
        pytest.skip(f"Chromium cannot start here: {err.msg or err}".splitlines()[0])
    driver.set_page_load_timeout(60)  # a local file: a hang is a failure, not a wait
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    table = scalinglab.simulated_runs()
    result = scalinglab.fit("chinchilla", table, bootstrap=30)
    folder = tmp_path_factory.mktemp("report")
    return write_report(result, table, folder / "report.html", budgets=[1e21, 1e23])


def _load(browser: Any, page: Path) -> dict[str, Any]:
    """Open ``page``; collect its console messages and every request made while loading."""
    browser.get("about:blank")
    browser.get_log("browser")  # reading a log empties it: start clean
    browser.get_log("performance")
    url = page.resolve().as_uri()
    browser.get(url)  # returns once the page has loaded
    requests = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            params = message["params"]
            requests.append((params.get("documentURL", ""), params["request"]["url"]))
    return {"url": url, "console": browser.get_log("browser"), "requests": requests}


def _errors(loaded: dict[str, Any]) -> list[Any]:
    return [m for m in loaded["console"] if m["level"] in ("SEVERE", "ERROR")]


def _leaving(loaded: dict[str, Any]) -> list[str]:
    return [url for _, url in loaded["requests"] if not url.startswith(LOCAL_SCHEMES)]


@pytest.fixture(scope="module")
def loaded(browser: Any, report: Path) -> dict[str, Any]:
    return _load(browser, report)


def test_the_checks_catch_a_page_that_is_not_self_contained(browser: Any, tmp_path: Path) -> None:
    """The negative control: a page with a script error and an outside image fails both."""
    leaky = tmp_path / "leaky.html"
    leaky.write_text(
        "<!DOCTYPE html><html><head><link rel='icon' href='data:,'></head><body>"
        "<img src='http://127.0.0.1:9/logo.png'><script>console.error('boom')</script>"
        "</body></html>",
        encoding="utf-8",
    )
    loaded = _load(browser, leaky)
    assert any("boom" in m["message"] for m in _errors(loaded))
    assert _leaving(loaded) == ["http://127.0.0.1:9/logo.png"]


@pytest.mark.heavy
def test_no_console_errors(loaded: dict[str, Any]) -> None:
    assert _errors(loaded) == []


def test_nothing_requested_from_outside(browser: Any, loaded: dict[str, Any]) -> None:
    from_page = [url for document, url in loaded["requests"] if document == loaded["url"]]
    # the page itself, and inline data only (matplotlib embeds a colour bar as a data: PNG)
    assert [u for u in from_page if not u.startswith("data:")] == [loaded["url"]]
    assert _leaving(loaded) == []
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert resources == []


def test_every_figure_has_a_size(browser: Any, loaded: dict[str, Any]) -> None:
    sizes = browser.execute_script(
        "return Array.from(document.querySelectorAll('figure svg, img'))"
        ".map(e => { const r = e.getBoundingClientRect();"
        " return [e.closest('figure').id, r.width, r.height]; })"
    )
    assert [s[0] for s in sizes] == [
        "fig-loss-scaling", "fig-residuals", "fig-frontier", "fig-backtest", "fig-isoflop",
    ]  # fmt: skip
    for key, width, height in sizes:
        assert width > 300 and height > 100, key
    sections = browser.execute_script(
        "return Array.from(document.querySelectorAll('main > section')).map(s => s.id)"
    )
    assert sections == ["fit", "figures", "plan", "backtest", "isoflop", "data", "card"]
    title = browser.execute_script("return document.querySelector('.banner').innerText")
    assert "SIMULATED DATA" in title


def test_headers_sit_as_their_cells(browser: Any, loaded: dict[str, Any]) -> None:
    """Each column's header is aligned as its cells: right over numbers (a ``num`` cell), left
    over text; every header was left-aligned, over right-aligned numbers."""
    columns = browser.execute_script(
        "return Array.from(document.querySelectorAll('table')).filter(t => t.tHead)"
        ".flatMap(t => Array.from(t.tHead.rows[0].cells).map((th, i) => ["
        " th.textContent, getComputedStyle(th).textAlign,"
        " Array.from(t.tBodies[0].rows).some(r => r.cells[i] && r.cells[i].matches('td.num'))]))"
    )
    assert any(numeric for _, _, numeric in columns) and not all(n for _, _, n in columns)
    for header, align, numeric in columns:
        assert align == ("right" if numeric else "left"), (header, align)


def test_screenshot(browser: Any, loaded: dict[str, Any], tmp_path: Path) -> None:
    folder = Path(os.environ.get("SCALINGLAB_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    assert height > 2000  # the whole report, not an empty page
    browser.set_window_size(1280, min(int(height), 12000))
    path = folder / "report-chromium.png"
    assert browser.save_screenshot(str(path))
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 50_000
    print(f"screenshot: {path}")


#: A printed A4 page's width in CSS pixels less Chromium's default margins (8.27 in less
#: 2 × 0.4 in, at 96 px an inch): a page wider is shrunk to fit the sheet when printed.
PRINTED_WIDTH = 717


@contextmanager
def _printed(browser: Any) -> Iterator[None]:
    """The page as printed: print media at :data:`PRINTED_WIDTH`, undone on the way out."""
    try:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": PRINTED_WIDTH, "height": 1000, "deviceScaleFactor": 1, "mobile": False},
        )
        yield
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


@pytest.mark.heavy
def test_wide_tables_fit_the_printed_page(browser: Any, tmp_path: Path) -> None:
    """Printed, nothing is wider than the sheet, so Chromium does not shrink the page: the
    bundled runs' data table (long run names, two label columns) and the backtest's were
    865 px wide at print media, shrinking the whole page to ~83%."""
    from scalinglab.data import default_runs

    runs = default_runs()
    result = scalinglab.fit("chinchilla", runs, bootstrap=0)
    page = write_report(result, runs, tmp_path / "wide.html", budgets=[1e21], holdout="largest:4")
    _load(browser, page)
    with _printed(browser):
        wider = browser.execute_script(
            "const w = document.documentElement.clientWidth;"
            "return Array.from(document.querySelectorAll('main *'))"
            ".filter(e => e.getBoundingClientRect().right > w + 0.5)"
            ".map(e => e.tagName + '.' + e.className)"
        )
        tables = browser.execute_script("return document.querySelectorAll('table.data').length")
    assert tables == 1 and wider == []


#: Where a table cell's text wraps between two characters neither of which is a space (nor
#: a hyphen ending a header's word): the cell's text and the two characters.
_BROKEN_CELLS = """
const broken = [];
for (const cell of document.querySelectorAll(arguments[0])) {
  const text = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  let top = null, before = ' ', node;
  while ((node = text.nextNode())) {
    for (let i = 0; i < node.data.length; i++) {
      const range = document.createRange();
      range.setStart(node, i); range.setEnd(node, i + 1);
      const rects = range.getClientRects();
      if (!rects.length) continue;
      const ch = node.data[i];
      if (top !== null && rects[0].top > top + 2 && !/\\s/.test(ch) && !/[\\s-]/.test(before))
        broken.push([cell.textContent, before + ch]);
      top = rects[0].top; before = ch;
    }
  }
}
return broken;
"""


@pytest.mark.heavy
def test_printed_numbers_stay_whole(browser: Any, tmp_path: Path) -> None:
    """Printed, a number's cell wraps at its spaces alone and a header between its words:
    the bundled runs' page printed ``3.25e20`` as ``3.25e2`` over ``0``, ``2.6881`` as
    ``2.688`` over ``1`` and the header ``actual`` as ``actu`` over ``al`` (187 cells of its
    tables), where a long run name, a text cell, may still wrap anywhere."""
    from scalinglab.data import default_runs

    runs = default_runs()
    result = scalinglab.fit("chinchilla", runs, bootstrap=0)
    page = write_report(result, runs, tmp_path / "print.html", budgets=[1e21], holdout="largest:4")
    _load(browser, page)
    with _printed(browser):
        numbers = browser.execute_script("return document.querySelectorAll('td.num').length")
        broken = browser.execute_script(_BROKEN_CELLS, "main td.num, main thead th")
        wrapped = browser.execute_script(_BROKEN_CELLS, "main td:not(.num)")
    assert numbers > 100 and broken == []
    assert wrapped  # the control: a run name too long for its column does wrap mid-word
