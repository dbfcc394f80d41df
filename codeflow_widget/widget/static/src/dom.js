// @ts-check
/**
 * Small DOM helpers: elements from tags (strings become text nodes, never HTML), templates,
 * sizes and the host's theme. Nothing here knows about the lesson.
 */

/** @param {string} template @param {Record<string, any>} params */
export function fmt(template, params) {
  return String(template ?? "").replace(/\{(\w+)\}/g, (m, key) => (key in params ? String(params[key]) : m));
}

/**
 * Create an element. Strings become text nodes — never HTML.
 * @param {string} tag @param {Record<string, any>} [attrs] @param {(Node|string|null|undefined)[]} [children]
 */
export function h(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

/**
 * Replace an element's children, skipping null/undefined (replaceChildren would print "null").
 * @param {Element} el @param {(Node|string|null|undefined)[]} children
 */
export function fill(el, ...children) {
  el.replaceChildren(...children.filter((c) => c !== null && c !== undefined));
}

/** @param {number} ms */
export function seconds(ms) {
  return ms > 0 ? `${(ms / 1000).toFixed(1)} s` : "";
}

/** @param {number} n */
export function size(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function isDark() {
  const flag = document.body?.dataset?.jpThemeLight;
  if (flag === "false") return true;
  if (flag === "true") return false;
  return !!window.matchMedia?.("(prefers-color-scheme: dark)").matches; // Colab, plain pages
}

/** Toggle an attribute only when it changes (no needless style recalculation). @param {HTMLElement} el */
export function setData(el, key, value) {
  if (el.dataset[key] !== value) el.dataset[key] = value;
}
