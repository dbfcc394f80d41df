// @ts-check
/**
 * Kernel-rendered HTML → a sanitised fragment, through DOMPurify (vendored from npm into
 * static/vendor, bundled here; never from a CDN). The kernel already renders model text with
 * raw HTML disabled; this allow-list is the second wall: only the tags and attributes that
 * markdown-it and Pygments emit survive, no SVG or MathML, no URLs but http(s)/mailto/#.
 */
import DOMPurify from "../vendor/purify.es.mjs";

const TAGS = [
  "a", "b", "blockquote", "br", "code", "del", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6",
  "hr", "i", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup", "table", "tbody", "td",
  "tfoot", "th", "thead", "tr", "ul",
];
const ATTRS = ["class", "href", "title", "colspan", "rowspan", "align", "start"];
const SAFE_URL = /^(?:https?:|mailto:|#)/i;

let purifier = /** @type {any} */ (null);

function configured() {
  if (purifier) return purifier;
  purifier = DOMPurify(window);
  purifier.addHook("afterSanitizeAttributes", (/** @type {Element} */ node) => {
    if (node.hasAttribute("href") && !SAFE_URL.test((node.getAttribute("href") || "").trim())) {
      node.removeAttribute("href");
    }
    if (node.tagName === "A") {
      node.setAttribute("target", "_blank");
      node.setAttribute("rel", "noopener noreferrer nofollow");
    }
  });
  return purifier;
}

/** @param {string} html @returns {DocumentFragment} */
export function safeFragment(html) {
  return configured().sanitize(String(html ?? ""), {
    ALLOWED_TAGS: TAGS,
    ALLOWED_ATTR: ATTRS,
    ALLOWED_URI_REGEXP: SAFE_URL,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    RETURN_DOM_FRAGMENT: true,
  });
}
