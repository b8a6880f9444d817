"""The HTML report in a real browser: headless Debian Chromium driven by Selenium.

Needs the Debian packages chromium and chromium-driver (.ci/run installs them); skipped,
with the reason, where they are not installed.
"""

import shutil

import pytest

from fwbm_bench.report import write_report

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                reason="Debian chromium and chromium-driver are not installed (.ci/run installs them)")


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,1000"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def test_report_renders_sorts_and_logs_no_errors(browser, tmp_path):
    import test_leaderboard as fixtures
    from selenium.webdriver.common.by import By

    from fwbm_bench.leaderboard import build_leaderboard
    from fwbm_bench.scoring import benchmark_registry

    variants = ["empirical", "shuffled-1", "lesion-task-input", "lesion-task-input-random-1"]
    fc = {"model-a": dict(zip(variants, [0.8, 0.2, 0.8, 0.8])), "<b>model-b</b>": dict(zip(variants, [0.3] * 4))}
    task = {"model-a": dict(zip(variants, [0.9, 0.3, 0.1, 0.8])), "<b>model-b</b>": dict(zip(variants, [0.6] * 4))}
    config = {"entries": list(fc), "subjects": ["hcp-1", "hcp-2"], "connectomes": variants}
    registry = {k: b for k, b in benchmark_registry(["hcp"], ["working_memory"]).items()
                if k in ("hcp-fc-corr", "delayed-response") or b.criterion == "U"}
    cards = {"hcp": {"has_bold": True, "description": "", "provenance": "", "licence": "", "caveats": ""}}
    ds = build_leaderboard(fixtures._unification_files(tmp_path, fc, task), [], [], config, registry, cards, "x")
    page = tmp_path / "report" / "index.html"
    write_report(ds, page)

    browser.get(page.as_uri())
    screenshot = tmp_path / "report.png"
    assert browser.save_screenshot(str(screenshot)) and screenshot.stat().st_size > 10_000
    table = browser.find_element(By.ID, "leaderboard")
    headers = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]

    def first_column():
        return [row.find_elements(By.TAG_NAME, "td")[0].text for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")]

    assert first_column() == ["model-a", "<b>model-b</b>"]  # escaped: shown as text, not bold
    c3 = table.find_elements(By.CSS_SELECTOR, "thead th")[headers.index("C3")]
    c3.click()  # the first click sorts descending
    by_c3 = sorted(ds.entry.values, key=lambda e: -float(ds.criterion_score.sel(entry=e, criterion="C3")))
    assert first_column() == [str(e) for e in by_c3]
    c3.click()  # ascending
    assert first_column() == [str(e) for e in reversed(by_c3)]
    for table_id in ("criteria-card", "unification"):
        assert browser.find_element(By.ID, table_id).find_elements(By.CSS_SELECTOR, "tbody tr")
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == [], errors
    table.find_element(By.LINK_TEXT, "model-a").click()  # the entry's own page
    assert browser.find_element(By.TAG_NAME, "h1").text == "model-a"
    assert [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"] == []
