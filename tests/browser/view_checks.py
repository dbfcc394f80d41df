"""Measurements the lesson-view browser tests take inside the page (JavaScript run by Playwright)."""

from __future__ import annotations

import re

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")

# [performance.now(), length] of an element's text every 100 ms for `ms` milliseconds.
SAMPLE_LENGTH = """
([el, ms]) => new Promise((done) => {
  const out = [];
  const start = performance.now();
  const timer = setInterval(() => {
    out.push([performance.now(), el.textContent.length]);
    if (performance.now() - start >= ms) { clearInterval(timer); done(out); }
  }, 100);
})
"""

# The scroll container the view sits in (the notebook's), found from the view upwards.
SCROLLER = """
window.__cfScroller = (el) => {
  for (let node = el.parentElement; node; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (/(auto|scroll)/.test(style.overflowY) && node.scrollHeight > node.clientHeight) return node;
  }
  return document.scrollingElement;
};
"""

# Is the newest text of the active phase inside the visible part of the notebook?
ACTIVE_IN_VIEW = """
(root) => {
  const phase = root.querySelector('.cf-phase[data-state="active"]');
  if (!phase) return null;
  const stream = phase.querySelector('.cf-stream:not([hidden])');
  const edge = stream || phase.querySelector('.cf-thinking[open] .cf-thinking-text') || phase;
  const box = edge.getBoundingClientRect();
  const scroller = window.__cfScroller(root);
  const area = scroller === document.scrollingElement
    ? { top: 0, bottom: window.innerHeight } : scroller.getBoundingClientRect();
  return box.bottom > area.top + 20 && box.top < area.bottom - 20;
}
"""

# Text the view's chrome shows (the model's own words — thinking, answers, file names, the wish
# in the text box — and the language buttons, which name themselves, are left out).
CHROME_TEXT = """
(root) => {
  // the learner's and the lesson's own words (a version's wish, the streams) are content, not chrome
  // (the requirement → plan → code panel's items quote the lesson's artefacts: [data-ids])
  const skip = '.cf-thinking-text, .cf-stream, .cf-rendered, .cf-input, .cf-langs, ' +
    '.cf-project-name, .cf-tree, code, .cf-run-output, .cf-insert-code, .cf-v-wish, ' +
    '.cf-trace li[data-ids]';
  const out = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest(skip) || !node.data.trim()) continue;
    if (el.closest('[hidden]') || !el.getClientRects().length) continue;
    out.push(node.data.trim());
  }
  for (const el of root.querySelectorAll('[placeholder], [aria-label]')) {
    if (!el.closest('.cf-langs')) out.push(el.getAttribute('placeholder') || '', el.getAttribute('aria-label') || '');
  }
  return out.filter(Boolean);
}
"""

# WCAG contrast of every visible text in the view against the background it is drawn on
# (alpha-composited up the tree). Disabled controls are exempt (WCAG 1.4.3).
CONTRAST = """
(root) => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3])).concat(1);
  const background = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const bg = parse(getComputedStyle(node).backgroundColor);
      if (bg && bg[3] > 0) { layers.push(bg); if (bg[3] >= 1) break; }
    }
    let colour = [255, 255, 255, 1];
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const out = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.data.trim() || el.closest('[hidden]') || !el.getClientRects().length) continue;
    if (el.closest(':disabled')) continue;
    const style = getComputedStyle(el);
    let opacity = 1;
    for (let n = el; n; n = n.parentElement) opacity *= Number(getComputedStyle(n).opacity);
    const bg = background(el);
    const fg = over([...parse(style.color).slice(0, 3), parse(style.color)[3] * opacity], bg);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    out.push({ text: node.data.trim().slice(0, 40), ratio: (a + 0.05) / (b + 0.05), need: large ? 3 : 4.5,
      italic: style.fontStyle === 'italic', cls: el.className });
  }
  return out;
}
"""

BUTTONS = """
(root) => [...root.querySelectorAll('button')].filter((b) => b.getClientRects().length).map((b) => {
  const s = getComputedStyle(b);
  // A segment of a button group (pace, language) is framed by the group's border.
  const group = b.closest('[role="group"]');
  const framed = group ? parseFloat(getComputedStyle(group).borderTopWidth) : 0;
  return { text: b.textContent.trim(), border: Math.max(parseFloat(s.borderTopWidth), framed),
    bg: s.backgroundColor };
})
"""
