"""The report of the bundled build, rendered in headless Chromium (Debian's chromium and chromium-driver,
which `make test` installs where absent, driven by Selenium), read from the rendered layout: no text
overlaps another or leaves its chart, every chart has a title, an axis title and, where colour means
something, a legend naming each colour; no number anywhere is in scientific notation. A screenshot of
the whole page is saved as data/published/report.png for people to look at."""

import base64
import json
import re
import shutil

import pytest

from tests.conftest import DATA

pytestmark = pytest.mark.integration
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
# The flags a closed network needs: without the background ones Chromium keeps dialling Google's hosts.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1000,1000")
LAYOUT = """
const own = t => [...t.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('');
const box = r => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom});
return [...document.querySelectorAll('svg')].map(svg => ({
  title: svg.getAttribute('aria-label'),
  box: box(svg.getBoundingClientRect()),
  texts: [...svg.querySelectorAll('text')].map(t => ({cls: t.getAttribute('class'), text: own(t),
                                                      box: box(t.getBoundingClientRect())})),
  colours: [...new Set([...svg.querySelectorAll('rect[fill]:not(.swatch), polyline')]
                       .map(e => e.getAttribute('stroke') || e.getAttribute('fill')))],  // a line's, a bar's
  swatches: [...svg.querySelectorAll('rect.swatch')].map(e => e.getAttribute('fill')),
}));
"""
SCIENTIFIC = re.compile(r"(?<![\w.-])\d+(\.\d+)?[eE][+-]?\d+(?![\w-])")  # 8.94e+03, 7e5; not ids


@pytest.fixture(scope="module")
def rendered(bundled_build, tmp_path_factory):
    """(layout of every chart, the page's text), from the bundled build's published report."""
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("NO BROWSER: Debian's chromium and chromium-driver are not installed; `make test` installs them "
                    "(apt-get install chromium chromium-driver). The report's layout is NOT tested.")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get((bundled_build[0]["published"] / "report.html").resolve().as_uri())
        charts, text = driver.execute_script(LAYOUT), driver.execute_script("return document.body.innerText")
        height = driver.execute_script("return document.documentElement.scrollHeight")
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
            "captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": 1000, "height": height, "scale": 1}})
    finally:
        driver.quit()
    screenshot = DATA / "published" / "report.png"
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    screenshot.write_bytes(base64.b64decode(shot["data"]))
    return charts, text, screenshot


def overlaps(a: dict, b: dict, slack: float = 0.5) -> bool:
    return (min(a["right"], b["right"]) - max(a["left"], b["left"]) > slack
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > slack)


def test_the_report_renders_every_chart_and_a_screenshot(rendered):
    charts, _, screenshot = rendered
    assert len(charts) == 7, [c["title"] for c in charts]
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 50_000


def test_no_text_overlaps_another_or_leaves_its_chart(rendered):
    for chart in rendered[0]:
        texts = [t for t in chart["texts"] if t["text"].strip()]
        for i, a in enumerate(texts):
            box, edge = a["box"], chart["box"]
            assert (box["left"] >= edge["left"] - 1 and box["right"] <= edge["right"] + 1
                    and box["top"] >= edge["top"] - 1 and box["bottom"] <= edge["bottom"] + 1), (chart["title"], a)
            clashes = [b["text"] for b in texts[i + 1:] if overlaps(box, b["box"])]
            assert not clashes, (chart["title"], a["text"], clashes)


def test_every_chart_has_a_title_an_axis_title_and_a_legend_for_its_colours(rendered):
    for chart in rendered[0]:
        classes = [t["cls"] for t in chart["texts"]]
        assert "title" in classes and "axis-title" in classes, chart["title"]
        if len(chart["colours"]) > 1:  # each colour a bar or line is drawn in has its swatch in the legend
            assert set(chart["colours"]) <= set(chart["swatches"]), (chart["title"], chart["colours"])
            assert classes.count("legend") >= len(chart["colours"]), chart["title"]


def test_no_number_in_the_report_is_in_scientific_notation(rendered, bundled_build):
    _, text, _ = rendered
    build_id = json.loads((bundled_build[0]["published"] / "manifest.json").read_text())["build_id"]
    text = text.replace(build_id, "")  # a hex digest may read as one (12e45678)
    assert len(text) > 5_000 and not SCIENTIFIC.search(text), SCIENTIFIC.search(text)
    assert SCIENTIFIC.search("recomputed 8.94e+03 MWh") and SCIENTIFIC.search("7e5")
