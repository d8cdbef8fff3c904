"""What the browser tests assert on every public page: only our host, no console error, no sideways
scroll, tap targets of 44 px, page weight, and an axe-core scan with no serious or critical violation."""

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, Request

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PAGE_WEIGHT_BUDGET = 150 * 1024
TAP_TARGET = 44

# Interactive elements that are too small to tap, as "tag#id 'text' WxH". A radio button or checkbox
# counts with its label (the label is what a finger taps); hidden elements (skip link) are left out.
_SMALL_TAP_TARGETS_JS = """(minimum) => {
  const small = [];
  for (const el of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea")) {
    const style = getComputedStyle(el);
    let box = el.getBoundingClientRect();
    if (style.visibility === "hidden" || style.display === "none" || box.width <= 1 || box.height <= 1) continue;
    if (box.right <= 0 || el.closest(".hp")) continue;  // off-screen for people (the honeypot): nobody taps it
    if (el.type === "radio" || el.type === "checkbox") {
      const label = el.labels && el.labels[0];
      if (label) box = label.getBoundingClientRect();
    }
    if (box.height < minimum || box.width < minimum) {
      small.push(`${el.tagName.toLowerCase()}#${el.id} '${(el.innerText || el.value || "").trim().slice(0, 30)}' `
                 + `${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}"""


@dataclass
class Watched:
    """A tab that records every request and every console error."""

    page: Page
    origin: str
    requests: list[Request] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.page.on("request", lambda request: self.requests.append(request))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        # The console says only "Failed to load resource"; keep the address too.
        self.page.on("response", lambda response: response.status >= 400 and self.errors.append(f"HTTP {response.status} {response.url}"))

    def goto(self, url: str) -> None:
        self.requests.clear()
        self.page.goto(url if url.startswith("http") else self.origin + url)

    def foreign_requests(self) -> list[str]:
        """Requests to any host but the test server."""
        ours = urlsplit(self.origin).netloc
        return [r.url for r in self.requests if r.url.startswith("http") and urlsplit(r.url).netloc != ours]

    def transfer_bytes(self) -> int:
        """Bytes on the wire (headers and encoded bodies) for the requests since the last goto()."""
        self.page.wait_for_load_state("load")
        sizes = [request.sizes() for request in self.requests if request.url.startswith("http")]
        return sum(size["responseHeadersSize"] + size["responseBodySize"] for size in sizes)

    def sideways_scroll(self) -> int:
        """How many pixels the page is wider than the screen (0: no sideways scrolling)."""
        return self.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")

    def small_tap_targets(self) -> list[str]:
        return self.page.evaluate(_SMALL_TAP_TARGETS_JS, TAP_TARGET)

    def axe_violations(self) -> list[str]:
        """Serious and critical axe-core violations, as "rule: selectors"."""
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            # evaluate() runs outside the page's Content-Security-Policy: nothing is added to the page itself.
            self.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
        result = self.page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
        return [
            f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']]}"
            for violation in result
            if violation["impact"] in ("serious", "critical")
        ]

    def assert_sound(self, *, axe: bool = True) -> None:
        """The checks every public page must pass."""
        assert self.foreign_requests() == []
        assert self.errors == []
        assert self.sideways_scroll() == 0
        assert self.small_tap_targets() == []
        if axe:
            assert self.axe_violations() == []

    def html_lang(self) -> str:
        return self.page.get_attribute("html", "lang")
