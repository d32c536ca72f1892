"""Checks a browser test runs on any page of the app: horizontal overflow, axe-core,
the focus ring's contrast, and the main menu's links.

axe-core is vendored under tests/browser/vendor/ (a test asset, MPL-2.0): no CDN. It
is injected as an inline script, so the browser context that uses it must be made
with `bypass_csp=True` (the app's CSP allows scripts from its own origin only).
"""

from __future__ import annotations

from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => `${v.id} (${v.impact}): ` +
    v.nodes.slice(0, 3).map(n => n.target.join(" ") + " — " +
      (n.failureSummary || "").split("\\n").slice(1, 2).join("")).join(" | "));
}"""

# The focused element's outline colour against the background it is drawn on: the
# ring sits outside the element (outline-offset), so the background is the first
# ancestor's that is not transparent. Alpha is composed on white, as a page would.
_FOCUS_RING = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const rgba = c => { const n = (c.match(/[\\d.]+/g) || []).map(Number); return n.length === 3 ? [...n, 1] : n; };
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const style = getComputedStyle(el);
  const describe = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    " “" + (el.textContent || el.value || "").trim().slice(0, 30) + "”";
  if (style.outlineStyle === "none" || parseFloat(style.outlineWidth) < 2) {
    return {element: describe, ratio: 0, why: "no outline"};
  }
  let bg = [255, 255, 255];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const c = rgba(getComputedStyle(node).backgroundColor);
    if (c[3] > 0) { bg = c.slice(0, 3).map(v => v * c[3] + 255 * (1 - c[3])); break; }
  }
  const ring = rgba(style.outlineColor);
  const a = lum(ring), b = lum(bg);
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  return {element: describe, ratio: Math.round(ratio * 100) / 100, ring: style.outlineColor, background: `rgb(${bg})`};
}"""


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def overflowing(page, limit: int = 3) -> list[str]:
    """The innermost elements that reach past the viewport's right edge (to say why)."""
    return page.evaluate(
        r"""(limit) => {
          const out = [];
          for (const el of document.querySelectorAll("body *")) {
            const r = el.getBoundingClientRect();
            if (r.right > window.innerWidth + 0.5 && r.width > 0 &&
                ![...el.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 0.5)) {
              const classes = typeof el.className === "string" ? el.className.trim().split(/\s+/) : [];
              out.push([el.tagName.toLowerCase(), ...classes].join(".") + ` (right edge ${Math.round(r.right)})`);
            }
          }
          return out.slice(0, limit);
        }""",
        limit,
    )


def axe_violations(page) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_SOURCE)
    return page.evaluate(_AXE_RUN, AXE_TAGS)


def focus_ring(page) -> dict | None:
    """The focused element's ring: {element, ratio, ring, background} (ratio 0: no ring)."""
    return page.evaluate(_FOCUS_RING)


def focus_ring_problems(page, *, tabs: int = 6, minimum: float = 3.0) -> list[str]:
    """Tab from the top of the page `tabs` times; each focused element must draw a
    ring of at least `minimum`:1 against its background."""
    page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    page.evaluate(
        "document.body.setAttribute('tabindex', '-1'); document.body.focus(); document.body.removeAttribute('tabindex')"
    )
    problems = []
    for _ in range(tabs):
        page.keyboard.press("Tab")
        ring = page.evaluate(_FOCUS_RING)
        if ring is None:
            continue
        if ring["ratio"] < minimum:
            why = ring.get("why") or f"{ring['ratio']}:1 ({ring['ring']} on {ring['background']})"
            problems.append(f"focus ring on {ring['element']}: {why}")
    return problems


def menu_links(page) -> list[dict]:
    """Every link the main menu offers (dropdown entries too, open or not)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('nav[aria-label="Main"] a[href]')]
              .map(a => ({href: a.getAttribute('href'), label: a.textContent.trim(),
                          current: a.getAttribute('aria-current')}))"""
    )
