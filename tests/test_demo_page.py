"""The demo page in a real headless Chromium, driven by the keyboard as a person would: the stretch
first at 3 a.m. with the microphone left open, "yes" and the hold's countdown running, then
British English and 999 for chest pain. Also: its text contrast, a phone's width, and that the
browser asked nothing of any address but the demo's own.

It saves a screenshot of the hold as it runs: into the test's own folder, or over docs/demo.png
(the README's picture) when UPDATE_DEMO_SCREENSHOT is set (`make demo-screenshot`). A screenshot
differs on every run (the clock, the countdown), so a plain test run leaves the checkout alone.

Needs Chromium and ChromeDriver (`make install` installs Debian's; CHROMIUM and CHROMEDRIVER
point elsewhere). Speech synthesis has no voices headless: the page paces the words by the
skill's own timeline, which is what is checked here; the sound is the browser's.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.demo_server import running_demo
from tests.locales import EMERGENCY
from tests.words import STRETCH

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "docs" / "demo.png"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
# Without the background-networking flags Chromium reaches for Google's services at start.
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-default-apps",
         "--window-size=1280,1240"]
WAIT = 10  # seconds, at most, for anything the page should do at once

# Text colour against the background it sits on, for every element with text of its own outside
# the Echo Show's screen (the skill's APL document, drawn as the skill designed it): WCAG AA.
CONTRAST = """
const parse = (c) => { const p = c.match(/[\\d.]+/g).map(Number); return p.length > 3 && p[3] === 0 ? null : p; };
const lum = (p) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                     return 0.2126 * f(p[0]) + 0.7152 * f(p[1]) + 0.0722 * f(p[2]); };
const backdrop = (el) => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c) return c; } return [255, 255, 255]; };
const screen = document.getElementById("screen-frame");
const failures = [];
for (const el of document.querySelectorAll("body *")) {
  if (screen.contains(el) || !el.getClientRects().length) continue;
  if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
  const style = getComputedStyle(el);
  const [a, b] = [lum(parse(style.color)), lum(backdrop(el))];
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
  if (ratio < (size >= 24 || (bold && size >= 18.66) ? 3 : 4.5))
    failures.push(`${el.tagName} "${el.textContent.trim().slice(0, 40)}": ${ratio.toFixed(2)}`);
}
return failures;
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        pytest.fail(f"Chromium and ChromeDriver are needed ({CHROMIUM}, {CHROMEDRIVER}): "
                    "make install puts Debian's there")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium')}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture
def demo():
    with running_demo() as server:
        yield server


class Page:
    """The demo page, used with the keyboard."""

    def __init__(self, driver, url: str):
        self.driver = driver
        driver.get(url)
        self.until(lambda _: self.find("body").get_attribute("data-ready") == "true")

    def find(self, css: str):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def until(self, condition, wait: float = WAIT):
        return WebDriverWait(self.driver, wait, poll_frequency=0.05).until(condition)

    def text(self, css: str) -> str:
        return self.find(css).text

    def say(self, words: str) -> str:
        """Types the words and Enter; returns the text of Alexa's answer once it is shown."""
        answers = len(self.driver.find_elements(By.CSS_SELECTOR, "#transcript li.alexa"))
        self.find("#words").send_keys(words, Keys.ENTER)
        self.until(lambda _: len(self.driver.find_elements(
            By.CSS_SELECTOR, "#transcript li.alexa")) > answers)
        return self.driver.find_elements(By.CSS_SELECTOR, "#transcript li.alexa")[-1].text

    def skip(self) -> None:
        self.find("#skip").send_keys(Keys.ENTER)

    def mic(self) -> str:
        return self.find("#mic").get_attribute("data-state")

    def settle(self, css: str, value: str) -> None:
        """Waits until the device has taken a new setting (the page says so in its notes)."""
        self.until(lambda _: value in self.text(css))


def test_a_night_cramp_then_chest_pain_in_british_english(browser, demo, tmp_path):
    page = Page(browser, demo.url)

    # 3 a.m., by the keyboard: from "Now", the arrow key picks the next time.
    page.find("input[name=time][value=now]").send_keys(Keys.ARROW_RIGHT)
    page.until(lambda _: page.text("#clock").startswith("03:00"))

    answer = page.say("i have a leg cramp")
    assert answer.startswith("Alexa softly, slower\n" + STRETCH)
    assert page.mic() == "speaking"
    assert page.text("#caption").startswith(STRETCH)
    page.skip()  # the rest of the answer: the microphone opens after it, as on a device
    page.until(lambda _: page.mic() == "listening")

    answer = page.say("yes")
    assert "10 s pause" in answer
    page.skip()  # the words before the hold; then the hold itself, counted down
    page.until(lambda _: not page.find("#pause").get_attribute("hidden"))
    first = int(page.text("#pause-left"))
    page.until(lambda _: int(page.text("#pause-left")) < first, wait=3)
    assert first <= 10
    # The Echo Show draws the same step with Amazon's renderer, its countdown on the hold too.
    page.until(lambda _: "Straighten" in page.text("#screen"))
    page.until(lambda _: any(line.strip().isdigit() and int(line) < 30
                             for line in page.text("#screen").splitlines()), wait=3)
    browser.execute_script("window.scrollTo(0, 0)")
    shot = SCREENSHOT if os.environ.get("UPDATE_DEMO_SCREENSHOT") else tmp_path / "demo.png"
    assert browser.save_screenshot(str(shot))

    # British English: the session ends with the change, and chest pain is sent to 999 at once.
    page.find("#locale").send_keys("B")
    page.settle("#transcript", "The session ended")
    assert page.find("#locale").get_attribute("value") == "en-GB"
    answer = page.say("i have chest pain")
    assert f"Call {EMERGENCY['en-GB']} now" in answer
    assert page.text("#caption").startswith(f"Call {EMERGENCY['en-GB']} now")
    assert page.mic() == "speaking-closing"
    page.skip()
    page.until(lambda _: page.mic() == "closed")

    assert browser.execute_script(CONTRAST) == []
    assert off_this_machine(browser, demo.url) == []


def test_on_a_phone_nothing_is_wider_than_the_screen(browser, demo):
    browser.set_window_size(390, 844)
    try:
        page = Page(browser, demo.url)
        assert page.find("#words").is_displayed()
        assert browser.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth")
        assert browser.execute_script(CONTRAST) == []
    finally:
        browser.set_window_size(1280, 1240)


def off_this_machine(driver, url: str) -> list[str]:
    """Every address on a network the browser asked for that is not the demo's own (its own
    pages, chrome://, and inline data: and blob: are no network)."""
    asked = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            asked.append(message["params"]["request"]["url"])
    return [address for address in asked
            if address.split(":", 1)[0] in ("http", "https", "ws", "wss", "ftp")
            and not address.startswith(url)]
