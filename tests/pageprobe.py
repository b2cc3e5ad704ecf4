"""Measurements taken inside a loaded page by the browser tests (tests/test_browser.py), each
returning plain data that says where a problem is: a CSS-like path to the element, the start of
its outerHTML and the numbers measured. Kept apart from the tests so each probe can be read (and
tried on a hand-made page) on its own."""

from __future__ import annotations

# Shared JavaScript helpers, prepended to each probe: where an element is, and what it looks like.
_DESCRIBE = r"""
const describe = (el) => {
  const parts = [];
  for (let node = el; node && node.nodeType === 1 && parts.length < 5; node = node.parentElement) {
    let part = node.localName;
    if (node.id) { parts.unshift(part + '#' + CSS.escape(node.id)); break; }
    const classes = [...node.classList].slice(0, 2).map(c => '.' + CSS.escape(c)).join('');
    part += classes;
    const parent = node.parentElement;
    if (parent) {
      const same = [...parent.children].filter(c => c.localName === node.localName);
      if (same.length > 1) part += ':nth-of-type(' + (same.indexOf(node) + 1) + ')';
    }
    parts.unshift(part);
    if (node.localName === 'body') break;
  }
  const html = el.outerHTML.replace(/\s+/g, ' ');
  return {selector: parts.join(' > '), html: html.length > 160 ? html.slice(0, 160) + '…' : html};
};
"""

OVERFLOW = _DESCRIBE + r"""
() => {
  // The document scrolls sideways when the root's scroll width exceeds its client width (the
  // viewport less any vertical scrollbar). To say why, list the outermost elements whose box
  // reaches past either edge and whose overflow no ancestor clips or scrolls: those are what
  // widen the document (a wide table inside a scrolling wrapper does not).
  const root = document.documentElement;
  const limit = root.clientWidth;
  const found = {scrollWidth: root.scrollWidth, clientWidth: limit, culprits: []};
  if (root.scrollWidth <= limit) return found;
  const contained = (el) => {
    for (let a = el.parentElement; a && a !== document.body && a !== root; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const sticksOut = (el) => {
    const r = el.getBoundingClientRect();
    return (r.width > 0 || r.height > 0) && r.right > limit + 0.5;
  };
  for (const el of document.body.querySelectorAll('*')) {
    if (!sticksOut(el) || contained(el)) continue;
    if (el.parentElement && el.parentElement !== document.body && sticksOut(el.parentElement)
        && !contained(el.parentElement)) continue;
    const r = el.getBoundingClientRect();
    found.culprits.push({...describe(el), left: r.left, right: r.right, width: r.width});
    if (found.culprits.length >= 8) break;
  }
  return found;
}
"""

SVG_TEXT = _DESCRIBE + r"""
(minimum) => {
  // The size a reader sees of an SVG text is its font size times the scale from the SVG's user
  // units to CSS pixels on screen. getComputedStyle(text).fontSize is in user units (an SVG's
  // font-size, attribute or CSS, is resolved in its own coordinate system), and getScreenCTM()
  // is the matrix [a c e; b d f] from the element's user space to the viewport: it includes
  // the viewBox-to-viewport scaling of every enclosing <svg> (so a 640-unit chart squeezed into
  // a 350 px phone column scales by 0.55) and any transform="…" on the way. A glyph's height is
  // along the y axis, which the matrix maps to the vector (c, d); its length is the vertical
  // scale even when the chart is stretched unevenly (preserveAspectRatio="none") or rotated.
  // The bounding box height (about 1.2 × the rendered size, the line box) is reported next to
  // it as a cross-check. Texts not rendered (display:none, hidden, empty) are skipped, and a
  // <tspan> only counts when it sets a size of its own.
  const small = [];
  let measured = 0;
  for (const el of document.querySelectorAll('svg text, svg tspan, svg textPath')) {
    if (!el.textContent.trim()) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility !== 'visible') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (el.localName !== 'text' && el.parentElement
        && getComputedStyle(el.parentElement).fontSize === style.fontSize) continue;
    const m = el.getScreenCTM();
    if (!m) continue;
    const scale = Math.hypot(m.c, m.d);
    const size = parseFloat(style.fontSize) * scale;
    measured += 1;
    if (size < minimum) {
      small.push({...describe(el), text: el.textContent.trim().slice(0, 40), size: size,
                  fontSize: style.fontSize, scale: scale, boxHeight: box.height});
    }
  }
  return {measured, small};
}
"""

LANDMARKS = r"""
() => ({h1: document.querySelectorAll('h1').length,
        main: document.querySelectorAll('main#main').length,
        nav: document.querySelectorAll('nav').length,
        lang: document.documentElement.lang})
"""


def overflow_report(found: dict) -> str:
    lines = [f"the document is {found['scrollWidth']}px wide for a {found['clientWidth']}px viewport"]
    for c in found["culprits"]:
        lines.append(f"  {c['selector']}: from {c['left']:.0f}px to {c['right']:.0f}px "
                     f"({c['width']:.0f}px wide)\n      {c['html']}")
    if not found["culprits"]:
        lines.append("  (no single element reaches past the edge: look for negative margins or "
                     "a pseudo-element)")
    return "\n".join(lines)


def svg_text_report(found: dict, minimum: float) -> str:
    lines = [f"{len(found['small'])} of {found['measured']} SVG texts render under {minimum:g}px:"]
    for t in found["small"][:10]:
        lines.append(f"  {t['size']:.1f}px = font-size {t['fontSize']} × scale {t['scale']:.3f} "
                     f"(box {t['boxHeight']:.1f}px tall) {t['text']!r}\n"
                     f"      {t['selector']}\n      {t['html']}")
    if len(found["small"]) > 10:
        lines.append(f"  … and {len(found['small']) - 10} more")
    return "\n".join(lines)


def axe_report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} elements] {v['helpUrl']}")
        for node in v["nodes"][:5]:
            target = " ".join(str(t) for t in node["target"])
            html = " ".join(node.get("html", "").split())
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"  {target}\n      {html[:160]}\n      {summary[:240]}")
        if len(v["nodes"]) > 5:
            lines.append(f"  … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


TABLES = _DESCRIBE + r"""
() => {
  // Every table shown in <main>: how much wider it is than the box it sits in (its parent, such
  // as a .table-scroll wrapper), and whether that box scrolls and can be reached with the
  // keyboard (tabindex=0, a role=region with a name). A table folded in a closed <details> is
  // not shown, and not measured.
  const found = [];
  for (const table of document.querySelectorAll('main table')) {
    if (!table.checkVisibility()) continue;  // a closed <details> keeps its content's boxes
    const box = table.parentElement;
    const hidden = table.getBoundingClientRect().width - box.clientWidth;
    const scrolls = ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
    const reachable = box.tabIndex === 0 && box.getAttribute('role') === 'region' && !!box.getAttribute('aria-label');
    found.push({...describe(table), hidden: Math.round(hidden), box: box.clientWidth, scrolls, reachable});
  }
  return found;
}
"""

HEADER = _DESCRIBE + r"""
() => {
  // The header's parts a reader sees (the brand, each top-level entry of the wide menu, or the
  // phone's Menu button) and whether each shares the brand's line: a part starting below the
  // brand's bottom has wrapped onto a line of its own.
  const brand = document.querySelector('.masthead .brand');
  if (!brand) return {brand: null, parts: []};
  const b = brand.getBoundingClientRect();
  const parts = [...document.querySelectorAll('.masthead .nav-wide > ul > li, .masthead .nav-menu > summary')]
    .filter(e => e.getClientRects().length)
    .map(e => { const r = e.getBoundingClientRect();
                return {...describe(e), text: e.textContent.trim().split(/\s+/)[0], top: r.top, bottom: r.bottom,
                        below: r.top >= b.bottom - 1 || r.bottom <= b.top + 1}; });
  return {brand: {top: b.top, bottom: b.bottom}, parts};
}
"""


def tables_report(tables: list[dict], width: int) -> str:
    lines = []
    for t in tables:
        lines.append(f"  {t['selector']}: {t['hidden']}px wider than its {t['box']}px box"
                     f"{'' if t['scrolls'] else ', which does not scroll'}"
                     f"{'' if t['reachable'] else ', not reachable with the keyboard'}\n      {t['html']}")
    return f"{len(tables)} table(s) cut off at {width}px:\n" + "\n".join(lines)


def header_report(found: dict) -> str:
    if found["brand"] is None:
        return "no .brand in the header"
    wrapped = [p for p in found["parts"] if p["below"]]
    return (f"the header takes more than one line: {len(wrapped)} of {len(found['parts'])} entries are off the "
            f"brand's line ({found['brand']['top']:.0f}-{found['brand']['bottom']:.0f}px): "
            + ", ".join(f"{p['text']!r} at {p['top']:.0f}px" for p in wrapped))
