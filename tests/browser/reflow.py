"""Reflow at 320 CSS pixels (WCAG 2.2 1.4.10), as the browser tests check it (issue 15 C15).

At 320 px wide a page must not scroll sideways. A table too wide for the screen may scroll inside
its own region instead ({% scrolling_table %}, protocol_portal/templatetags/tables.py): a
``role="region"`` named for the table, with ``tabindex="0"`` so that keyboard users can scroll it.
Nothing else may stick out of the window, and nothing may be cut off by a box that hides what
overflows it.
"""

from __future__ import annotations

from playwright.sync_api import Page

REFLOW_WIDTH = 320

# The page's width and the window's; the outermost elements that stick out past the window's right
# edge (outside any scrolling region) or are cut off by a box hiding its overflow; and the boxes
# that scroll sideways without being a named, focusable region. Elements matching or inside the
# ``exclude`` selectors are left out.
OVERFLOW = """exclude => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const describe = el => {
    const rect = el.getBoundingClientRect();
    let name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '');
    for (const c of el.classList) name += '.' + c;
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ');
    return `${name}${text ? ` "${text.length > 40 ? text.slice(0, 40) + '…' : text}"` : ''}`
      + ` (${Math.round(rect.left)} to ${Math.round(rect.right)} px)`;
  };
  // The nearest box between the element and the page that scrolls or hides what overflows it. An
  // absolutely positioned box escapes every box inside its containing block (the nearest positioned
  // one): GOV.UK's text for screen readers only, inside a region that is not positioned, still
  // widens the page.
  const container = el => {
    for (let box = el; ;) {
      const position = getComputedStyle(box).position;
      if (position === 'fixed') return null;
      box = position === 'absolute' ? box.offsetParent : box.parentElement;
      if (!box || box === document.body || box === root) return null;
      if (getComputedStyle(box).overflowX !== 'visible') return box;
    }
  };
  const scrolls = box => ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
  const outside = [], cut = [], unlabelled = [];
  const reported = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (exclude.some(selector => el.closest(selector))) continue;
    const rect = el.getBoundingClientRect();
    if (rect.right > width + 1 && rect.width && rect.height && !reported.some(r => r.contains(el))
        && getComputedStyle(el).visibility !== 'hidden') {
      const box = container(el);
      if (!box) {
        outside.push(describe(el)); reported.push(el);
      } else if (!scrolls(box) && box.getBoundingClientRect().width > 1) {
        // Hidden overflow loses content; a 1 px box is text for screen readers only.
        cut.push(`${describe(el)} in ${describe(box)}`); reported.push(el);
      }
    }
    if (el.scrollWidth > el.clientWidth + 1 && scrolls(el) && !['TEXTAREA', 'SELECT', 'INPUT'].includes(el.tagName)
        && !(el.getAttribute('role') === 'region' && el.getAttribute('tabindex') === '0'
             && (el.getAttribute('aria-label') || '').trim())) {
      unlabelled.push(describe(el));
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: width, outside, cut, unlabelled};
}"""


def reflow_problems(page: Page, *, exclude: list[str] | None = None) -> list[str]:
    """What stops the page as it is now from reflowing at 320 px; the window's size is put back.
    ``exclude`` lists CSS selectors of markup we do not own."""
    size = page.viewport_size or {"width": 1280, "height": 720}
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": size["height"]})
    try:
        found = page.evaluate(OVERFLOW, exclude or [])
    finally:
        page.set_viewport_size(size)
    problems = []
    if found["scrollWidth"] > found["clientWidth"]:
        problems.append(f"the page is {found['scrollWidth']} px wide in a {found['clientWidth']} px window")
    if found["outside"]:
        problems.append("sticking out: " + "; ".join(found["outside"]))
    if found["cut"]:
        problems.append("cut off: " + "; ".join(found["cut"]))
    if found["unlabelled"]:
        problems.append("scrolls sideways but is no named region with tabindex=0: " + "; ".join(found["unlabelled"]))
    return problems
