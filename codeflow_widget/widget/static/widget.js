// codeflow_widget/widget/static/src/dom.js
function fmt(template, params) {
  return String(template ?? "").replace(/\{(\w+)\}/g, (m, key) => key in params ? String(params[key]) : m);
}
function h(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === void 0 || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child !== null && child !== void 0) node.append(child);
  }
  return node;
}
function fill(el, ...children) {
  el.replaceChildren(...children.filter((c) => c !== null && c !== void 0));
}
function seconds(ms) {
  return ms > 0 ? `${(ms / 1e3).toFixed(1)} s` : "";
}
function size(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
function isDark() {
  const flag = document.body?.dataset?.jpThemeLight;
  if (flag === "false") return true;
  if (flag === "true") return false;
  return !!window.matchMedia?.("(prefers-color-scheme: dark)").matches;
}
function setData(el, key, value) {
  if (el.dataset[key] !== value) el.dataset[key] = value;
}

// codeflow_widget/widget/static/src/follow.js
var SCROLL_EVERY_MS = 400;
var KEYS = /* @__PURE__ */ new Set(["PageUp", "PageDown", "Home", "End", "ArrowUp", "ArrowDown", " "]);
var Follower = class {
  /** @param {HTMLElement} root @param {() => Element | null} target */
  constructor(root, target) {
    this.root = root;
    this.target = target;
    this.following = true;
    this.live = false;
    this.last = 0;
    this.chip = h("button", { class: "cf-btn cf-back", type: "button", hidden: true, onclick: () => this.resume() });
    root.append(this.chip);
    this.onUser = (e) => {
      if (!this.live) return;
      if (e instanceof KeyboardEvent && (!KEYS.has(e.key) || this.root.contains(
        /** @type {Node} */
        e.target
      ))) return;
      this.following = false;
      this.chip.hidden = false;
    };
    for (const name of ["wheel", "touchmove", "keydown"]) window.addEventListener(name, this.onUser, { capture: true, passive: true });
  }
  /** @param {string} label */
  label(label) {
    this.chip.textContent = label;
  }
  /** @param {boolean} live a run is on screen right now */
  setLive(live) {
    this.live = live;
    if (!live) this.chip.hidden = true;
  }
  resume() {
    this.following = true;
    this.chip.hidden = true;
    this.last = 0;
    this.nudge(true);
  }
  /** Keep the newest text in view (throttled). @param {boolean} [now] */
  nudge(now = false) {
    if (!this.live || !this.following) return;
    const t = Date.now();
    if (!now && t - this.last < SCROLL_EVERY_MS) return;
    this.last = t;
    const el = this.target();
    if (!el) return;
    const box = el.getBoundingClientRect();
    const view = window.innerHeight || document.documentElement.clientHeight;
    if (box.bottom > view - 24 || box.bottom < 80) {
      el.scrollIntoView({ block: box.height > view * 0.7 ? "end" : "center", behavior: "smooth" });
    }
  }
  dispose() {
    for (const name of ["wheel", "touchmove", "keydown"]) window.removeEventListener(name, this.onUser, { capture: true });
    this.chip.remove();
  }
};

// codeflow_widget/widget/static/src/kernel.js
var NoKernel = class extends Error {
};
var MISSES = 3;
var viewCounter = 0;
var Kernel = class {
  /** @param {AnyModel} model */
  constructor(model) {
    this.model = model;
    this.viewId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}${++viewCounter}`;
    this.counter = 0;
    this.pending = /* @__PURE__ */ new Map();
  }
  /**
   * @param {string} kind @param {Record<string, any>} [payload] @param {number} [timeoutMs] 0 = wait
   * @returns {Promise<{result: any, buffers: DataView[]}>}
   */
  command(kind, payload = {}, timeoutMs = 3e4) {
    const id = `${this.viewId}-${++this.counter}`;
    return new Promise((resolve, reject) => {
      const timer = timeoutMs ? setTimeout(() => {
        this.pending.delete(id);
        reject(new NoKernel(kind));
      }, timeoutMs) : null;
      this.pending.set(id, { resolve, reject, timer });
      try {
        this.model.send({ kind, id, ...payload });
      } catch {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new NoKernel(kind));
      }
    });
  }
  /** A response from the kernel: true when it was one of ours. @param {any} msg @param {DataView[]} buffers */
  answer(msg, buffers) {
    const entry = this.pending.get(msg.id);
    if (!entry) return false;
    this.pending.delete(msg.id);
    clearTimeout(entry.timer);
    if (msg.error !== void 0) entry.reject(new Error(String(msg.error)));
    else entry.resolve({ result: msg.result, buffers: buffers || [] });
    return true;
  }
  dispose() {
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    this.pending.clear();
  }
};
var Heartbeat = class {
  /** @param {Kernel} kernel @param {() => boolean} live @param {() => void} lost @param {() => void} back */
  constructor(kernel, live, lost, back) {
    this.misses = 0;
    this.timer = setInterval(async () => {
      if (!live()) return;
      try {
        await kernel.command("ping", {}, 9e3);
        if (this.misses >= MISSES) back();
        this.misses = 0;
      } catch (err) {
        if (!(err instanceof NoKernel)) return;
        this.misses += 1;
        if (this.misses === MISSES) lost();
      }
    }, 5e3);
  }
  dispose() {
    clearInterval(this.timer);
  }
};

// codeflow_widget/widget/static/vendor/purify.es.mjs
/*! @license DOMPurify 3.2.6 | (c) Cure53 and other contributors | Released under the Apache license 2.0 and Mozilla Public License 2.0 | github.com/cure53/DOMPurify/blob/3.2.6/LICENSE */
var {
  entries,
  setPrototypeOf,
  isFrozen,
  getPrototypeOf,
  getOwnPropertyDescriptor
} = Object;
var {
  freeze,
  seal,
  create
} = Object;
var {
  apply,
  construct
} = typeof Reflect !== "undefined" && Reflect;
if (!freeze) {
  freeze = function freeze2(x) {
    return x;
  };
}
if (!seal) {
  seal = function seal2(x) {
    return x;
  };
}
if (!apply) {
  apply = function apply2(fun, thisValue, args) {
    return fun.apply(thisValue, args);
  };
}
if (!construct) {
  construct = function construct2(Func, args) {
    return new Func(...args);
  };
}
var arrayForEach = unapply(Array.prototype.forEach);
var arrayLastIndexOf = unapply(Array.prototype.lastIndexOf);
var arrayPop = unapply(Array.prototype.pop);
var arrayPush = unapply(Array.prototype.push);
var arraySplice = unapply(Array.prototype.splice);
var stringToLowerCase = unapply(String.prototype.toLowerCase);
var stringToString = unapply(String.prototype.toString);
var stringMatch = unapply(String.prototype.match);
var stringReplace = unapply(String.prototype.replace);
var stringIndexOf = unapply(String.prototype.indexOf);
var stringTrim = unapply(String.prototype.trim);
var objectHasOwnProperty = unapply(Object.prototype.hasOwnProperty);
var regExpTest = unapply(RegExp.prototype.test);
var typeErrorCreate = unconstruct(TypeError);
function unapply(func) {
  return function(thisArg) {
    if (thisArg instanceof RegExp) {
      thisArg.lastIndex = 0;
    }
    for (var _len = arguments.length, args = new Array(_len > 1 ? _len - 1 : 0), _key = 1; _key < _len; _key++) {
      args[_key - 1] = arguments[_key];
    }
    return apply(func, thisArg, args);
  };
}
function unconstruct(func) {
  return function() {
    for (var _len2 = arguments.length, args = new Array(_len2), _key2 = 0; _key2 < _len2; _key2++) {
      args[_key2] = arguments[_key2];
    }
    return construct(func, args);
  };
}
function addToSet(set, array) {
  let transformCaseFunc = arguments.length > 2 && arguments[2] !== void 0 ? arguments[2] : stringToLowerCase;
  if (setPrototypeOf) {
    setPrototypeOf(set, null);
  }
  let l = array.length;
  while (l--) {
    let element = array[l];
    if (typeof element === "string") {
      const lcElement = transformCaseFunc(element);
      if (lcElement !== element) {
        if (!isFrozen(array)) {
          array[l] = lcElement;
        }
        element = lcElement;
      }
    }
    set[element] = true;
  }
  return set;
}
function cleanArray(array) {
  for (let index = 0; index < array.length; index++) {
    const isPropertyExist = objectHasOwnProperty(array, index);
    if (!isPropertyExist) {
      array[index] = null;
    }
  }
  return array;
}
function clone(object) {
  const newObject = create(null);
  for (const [property, value] of entries(object)) {
    const isPropertyExist = objectHasOwnProperty(object, property);
    if (isPropertyExist) {
      if (Array.isArray(value)) {
        newObject[property] = cleanArray(value);
      } else if (value && typeof value === "object" && value.constructor === Object) {
        newObject[property] = clone(value);
      } else {
        newObject[property] = value;
      }
    }
  }
  return newObject;
}
function lookupGetter(object, prop) {
  while (object !== null) {
    const desc = getOwnPropertyDescriptor(object, prop);
    if (desc) {
      if (desc.get) {
        return unapply(desc.get);
      }
      if (typeof desc.value === "function") {
        return unapply(desc.value);
      }
    }
    object = getPrototypeOf(object);
  }
  function fallbackValue() {
    return null;
  }
  return fallbackValue;
}
var html$1 = freeze(["a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "bdi", "bdo", "big", "blink", "blockquote", "body", "br", "button", "canvas", "caption", "center", "cite", "code", "col", "colgroup", "content", "data", "datalist", "dd", "decorator", "del", "details", "dfn", "dialog", "dir", "div", "dl", "dt", "element", "em", "fieldset", "figcaption", "figure", "font", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "i", "img", "input", "ins", "kbd", "label", "legend", "li", "main", "map", "mark", "marquee", "menu", "menuitem", "meter", "nav", "nobr", "ol", "optgroup", "option", "output", "p", "picture", "pre", "progress", "q", "rp", "rt", "ruby", "s", "samp", "section", "select", "shadow", "small", "source", "spacer", "span", "strike", "strong", "style", "sub", "summary", "sup", "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "time", "tr", "track", "tt", "u", "ul", "var", "video", "wbr"]);
var svg$1 = freeze(["svg", "a", "altglyph", "altglyphdef", "altglyphitem", "animatecolor", "animatemotion", "animatetransform", "circle", "clippath", "defs", "desc", "ellipse", "filter", "font", "g", "glyph", "glyphref", "hkern", "image", "line", "lineargradient", "marker", "mask", "metadata", "mpath", "path", "pattern", "polygon", "polyline", "radialgradient", "rect", "stop", "style", "switch", "symbol", "text", "textpath", "title", "tref", "tspan", "view", "vkern"]);
var svgFilters = freeze(["feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feImage", "feMerge", "feMergeNode", "feMorphology", "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence"]);
var svgDisallowed = freeze(["animate", "color-profile", "cursor", "discard", "font-face", "font-face-format", "font-face-name", "font-face-src", "font-face-uri", "foreignobject", "hatch", "hatchpath", "mesh", "meshgradient", "meshpatch", "meshrow", "missing-glyph", "script", "set", "solidcolor", "unknown", "use"]);
var mathMl$1 = freeze(["math", "menclose", "merror", "mfenced", "mfrac", "mglyph", "mi", "mlabeledtr", "mmultiscripts", "mn", "mo", "mover", "mpadded", "mphantom", "mroot", "mrow", "ms", "mspace", "msqrt", "mstyle", "msub", "msup", "msubsup", "mtable", "mtd", "mtext", "mtr", "munder", "munderover", "mprescripts"]);
var mathMlDisallowed = freeze(["maction", "maligngroup", "malignmark", "mlongdiv", "mscarries", "mscarry", "msgroup", "mstack", "msline", "msrow", "semantics", "annotation", "annotation-xml", "mprescripts", "none"]);
var text = freeze(["#text"]);
var html = freeze(["accept", "action", "align", "alt", "autocapitalize", "autocomplete", "autopictureinpicture", "autoplay", "background", "bgcolor", "border", "capture", "cellpadding", "cellspacing", "checked", "cite", "class", "clear", "color", "cols", "colspan", "controls", "controlslist", "coords", "crossorigin", "datetime", "decoding", "default", "dir", "disabled", "disablepictureinpicture", "disableremoteplayback", "download", "draggable", "enctype", "enterkeyhint", "face", "for", "headers", "height", "hidden", "high", "href", "hreflang", "id", "inputmode", "integrity", "ismap", "kind", "label", "lang", "list", "loading", "loop", "low", "max", "maxlength", "media", "method", "min", "minlength", "multiple", "muted", "name", "nonce", "noshade", "novalidate", "nowrap", "open", "optimum", "pattern", "placeholder", "playsinline", "popover", "popovertarget", "popovertargetaction", "poster", "preload", "pubdate", "radiogroup", "readonly", "rel", "required", "rev", "reversed", "role", "rows", "rowspan", "spellcheck", "scope", "selected", "shape", "size", "sizes", "span", "srclang", "start", "src", "srcset", "step", "style", "summary", "tabindex", "title", "translate", "type", "usemap", "valign", "value", "width", "wrap", "xmlns", "slot"]);
var svg = freeze(["accent-height", "accumulate", "additive", "alignment-baseline", "amplitude", "ascent", "attributename", "attributetype", "azimuth", "basefrequency", "baseline-shift", "begin", "bias", "by", "class", "clip", "clippathunits", "clip-path", "clip-rule", "color", "color-interpolation", "color-interpolation-filters", "color-profile", "color-rendering", "cx", "cy", "d", "dx", "dy", "diffuseconstant", "direction", "display", "divisor", "dur", "edgemode", "elevation", "end", "exponent", "fill", "fill-opacity", "fill-rule", "filter", "filterunits", "flood-color", "flood-opacity", "font-family", "font-size", "font-size-adjust", "font-stretch", "font-style", "font-variant", "font-weight", "fx", "fy", "g1", "g2", "glyph-name", "glyphref", "gradientunits", "gradienttransform", "height", "href", "id", "image-rendering", "in", "in2", "intercept", "k", "k1", "k2", "k3", "k4", "kerning", "keypoints", "keysplines", "keytimes", "lang", "lengthadjust", "letter-spacing", "kernelmatrix", "kernelunitlength", "lighting-color", "local", "marker-end", "marker-mid", "marker-start", "markerheight", "markerunits", "markerwidth", "maskcontentunits", "maskunits", "max", "mask", "media", "method", "mode", "min", "name", "numoctaves", "offset", "operator", "opacity", "order", "orient", "orientation", "origin", "overflow", "paint-order", "path", "pathlength", "patterncontentunits", "patterntransform", "patternunits", "points", "preservealpha", "preserveaspectratio", "primitiveunits", "r", "rx", "ry", "radius", "refx", "refy", "repeatcount", "repeatdur", "restart", "result", "rotate", "scale", "seed", "shape-rendering", "slope", "specularconstant", "specularexponent", "spreadmethod", "startoffset", "stddeviation", "stitchtiles", "stop-color", "stop-opacity", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-opacity", "stroke", "stroke-width", "style", "surfacescale", "systemlanguage", "tabindex", "tablevalues", "targetx", "targety", "transform", "transform-origin", "text-anchor", "text-decoration", "text-rendering", "textlength", "type", "u1", "u2", "unicode", "values", "viewbox", "visibility", "version", "vert-adv-y", "vert-origin-x", "vert-origin-y", "width", "word-spacing", "wrap", "writing-mode", "xchannelselector", "ychannelselector", "x", "x1", "x2", "xmlns", "y", "y1", "y2", "z", "zoomandpan"]);
var mathMl = freeze(["accent", "accentunder", "align", "bevelled", "close", "columnsalign", "columnlines", "columnspan", "denomalign", "depth", "dir", "display", "displaystyle", "encoding", "fence", "frame", "height", "href", "id", "largeop", "length", "linethickness", "lspace", "lquote", "mathbackground", "mathcolor", "mathsize", "mathvariant", "maxsize", "minsize", "movablelimits", "notation", "numalign", "open", "rowalign", "rowlines", "rowspacing", "rowspan", "rspace", "rquote", "scriptlevel", "scriptminsize", "scriptsizemultiplier", "selection", "separator", "separators", "stretchy", "subscriptshift", "supscriptshift", "symmetric", "voffset", "width", "xmlns"]);
var xml = freeze(["xlink:href", "xml:id", "xlink:title", "xml:space", "xmlns:xlink"]);
var MUSTACHE_EXPR = seal(/\{\{[\w\W]*|[\w\W]*\}\}/gm);
var ERB_EXPR = seal(/<%[\w\W]*|[\w\W]*%>/gm);
var TMPLIT_EXPR = seal(/\$\{[\w\W]*/gm);
var DATA_ATTR = seal(/^data-[\-\w.\u00B7-\uFFFF]+$/);
var ARIA_ATTR = seal(/^aria-[\-\w]+$/);
var IS_ALLOWED_URI = seal(
  /^(?:(?:(?:f|ht)tps?|mailto|tel|callto|sms|cid|xmpp|matrix):|[^a-z]|[a-z+.\-]+(?:[^a-z+.\-:]|$))/i
  // eslint-disable-line no-useless-escape
);
var IS_SCRIPT_OR_DATA = seal(/^(?:\w+script|data):/i);
var ATTR_WHITESPACE = seal(
  /[\u0000-\u0020\u00A0\u1680\u180E\u2000-\u2029\u205F\u3000]/g
  // eslint-disable-line no-control-regex
);
var DOCTYPE_NAME = seal(/^html$/i);
var CUSTOM_ELEMENT = seal(/^[a-z][.\w]*(-[.\w]+)+$/i);
var EXPRESSIONS = /* @__PURE__ */ Object.freeze({
  __proto__: null,
  ARIA_ATTR,
  ATTR_WHITESPACE,
  CUSTOM_ELEMENT,
  DATA_ATTR,
  DOCTYPE_NAME,
  ERB_EXPR,
  IS_ALLOWED_URI,
  IS_SCRIPT_OR_DATA,
  MUSTACHE_EXPR,
  TMPLIT_EXPR
});
var NODE_TYPE = {
  element: 1,
  attribute: 2,
  text: 3,
  cdataSection: 4,
  entityReference: 5,
  // Deprecated
  entityNode: 6,
  // Deprecated
  progressingInstruction: 7,
  comment: 8,
  document: 9,
  documentType: 10,
  documentFragment: 11,
  notation: 12
  // Deprecated
};
var getGlobal = function getGlobal2() {
  return typeof window === "undefined" ? null : window;
};
var _createTrustedTypesPolicy = function _createTrustedTypesPolicy2(trustedTypes, purifyHostElement) {
  if (typeof trustedTypes !== "object" || typeof trustedTypes.createPolicy !== "function") {
    return null;
  }
  let suffix = null;
  const ATTR_NAME = "data-tt-policy-suffix";
  if (purifyHostElement && purifyHostElement.hasAttribute(ATTR_NAME)) {
    suffix = purifyHostElement.getAttribute(ATTR_NAME);
  }
  const policyName = "dompurify" + (suffix ? "#" + suffix : "");
  try {
    return trustedTypes.createPolicy(policyName, {
      createHTML(html2) {
        return html2;
      },
      createScriptURL(scriptUrl) {
        return scriptUrl;
      }
    });
  } catch (_) {
    console.warn("TrustedTypes policy " + policyName + " could not be created.");
    return null;
  }
};
var _createHooksMap = function _createHooksMap2() {
  return {
    afterSanitizeAttributes: [],
    afterSanitizeElements: [],
    afterSanitizeShadowDOM: [],
    beforeSanitizeAttributes: [],
    beforeSanitizeElements: [],
    beforeSanitizeShadowDOM: [],
    uponSanitizeAttribute: [],
    uponSanitizeElement: [],
    uponSanitizeShadowNode: []
  };
};
function createDOMPurify() {
  let window2 = arguments.length > 0 && arguments[0] !== void 0 ? arguments[0] : getGlobal();
  const DOMPurify = (root) => createDOMPurify(root);
  DOMPurify.version = "3.2.6";
  DOMPurify.removed = [];
  if (!window2 || !window2.document || window2.document.nodeType !== NODE_TYPE.document || !window2.Element) {
    DOMPurify.isSupported = false;
    return DOMPurify;
  }
  let {
    document: document2
  } = window2;
  const originalDocument = document2;
  const currentScript = originalDocument.currentScript;
  const {
    DocumentFragment,
    HTMLTemplateElement,
    Node,
    Element,
    NodeFilter,
    NamedNodeMap = window2.NamedNodeMap || window2.MozNamedAttrMap,
    HTMLFormElement,
    DOMParser,
    trustedTypes
  } = window2;
  const ElementPrototype = Element.prototype;
  const cloneNode = lookupGetter(ElementPrototype, "cloneNode");
  const remove = lookupGetter(ElementPrototype, "remove");
  const getNextSibling = lookupGetter(ElementPrototype, "nextSibling");
  const getChildNodes = lookupGetter(ElementPrototype, "childNodes");
  const getParentNode = lookupGetter(ElementPrototype, "parentNode");
  if (typeof HTMLTemplateElement === "function") {
    const template = document2.createElement("template");
    if (template.content && template.content.ownerDocument) {
      document2 = template.content.ownerDocument;
    }
  }
  let trustedTypesPolicy;
  let emptyHTML = "";
  const {
    implementation,
    createNodeIterator,
    createDocumentFragment,
    getElementsByTagName
  } = document2;
  const {
    importNode
  } = originalDocument;
  let hooks = _createHooksMap();
  DOMPurify.isSupported = typeof entries === "function" && typeof getParentNode === "function" && implementation && implementation.createHTMLDocument !== void 0;
  const {
    MUSTACHE_EXPR: MUSTACHE_EXPR2,
    ERB_EXPR: ERB_EXPR2,
    TMPLIT_EXPR: TMPLIT_EXPR2,
    DATA_ATTR: DATA_ATTR2,
    ARIA_ATTR: ARIA_ATTR2,
    IS_SCRIPT_OR_DATA: IS_SCRIPT_OR_DATA2,
    ATTR_WHITESPACE: ATTR_WHITESPACE2,
    CUSTOM_ELEMENT: CUSTOM_ELEMENT2
  } = EXPRESSIONS;
  let {
    IS_ALLOWED_URI: IS_ALLOWED_URI$1
  } = EXPRESSIONS;
  let ALLOWED_TAGS = null;
  const DEFAULT_ALLOWED_TAGS = addToSet({}, [...html$1, ...svg$1, ...svgFilters, ...mathMl$1, ...text]);
  let ALLOWED_ATTR = null;
  const DEFAULT_ALLOWED_ATTR = addToSet({}, [...html, ...svg, ...mathMl, ...xml]);
  let CUSTOM_ELEMENT_HANDLING = Object.seal(create(null, {
    tagNameCheck: {
      writable: true,
      configurable: false,
      enumerable: true,
      value: null
    },
    attributeNameCheck: {
      writable: true,
      configurable: false,
      enumerable: true,
      value: null
    },
    allowCustomizedBuiltInElements: {
      writable: true,
      configurable: false,
      enumerable: true,
      value: false
    }
  }));
  let FORBID_TAGS = null;
  let FORBID_ATTR = null;
  let ALLOW_ARIA_ATTR = true;
  let ALLOW_DATA_ATTR = true;
  let ALLOW_UNKNOWN_PROTOCOLS = false;
  let ALLOW_SELF_CLOSE_IN_ATTR = true;
  let SAFE_FOR_TEMPLATES = false;
  let SAFE_FOR_XML = true;
  let WHOLE_DOCUMENT = false;
  let SET_CONFIG = false;
  let FORCE_BODY = false;
  let RETURN_DOM = false;
  let RETURN_DOM_FRAGMENT = false;
  let RETURN_TRUSTED_TYPE = false;
  let SANITIZE_DOM = true;
  let SANITIZE_NAMED_PROPS = false;
  const SANITIZE_NAMED_PROPS_PREFIX = "user-content-";
  let KEEP_CONTENT = true;
  let IN_PLACE = false;
  let USE_PROFILES = {};
  let FORBID_CONTENTS = null;
  const DEFAULT_FORBID_CONTENTS = addToSet({}, ["annotation-xml", "audio", "colgroup", "desc", "foreignobject", "head", "iframe", "math", "mi", "mn", "mo", "ms", "mtext", "noembed", "noframes", "noscript", "plaintext", "script", "style", "svg", "template", "thead", "title", "video", "xmp"]);
  let DATA_URI_TAGS = null;
  const DEFAULT_DATA_URI_TAGS = addToSet({}, ["audio", "video", "img", "source", "image", "track"]);
  let URI_SAFE_ATTRIBUTES = null;
  const DEFAULT_URI_SAFE_ATTRIBUTES = addToSet({}, ["alt", "class", "for", "id", "label", "name", "pattern", "placeholder", "role", "summary", "title", "value", "style", "xmlns"]);
  const MATHML_NAMESPACE = "http://www.w3.org/1998/Math/MathML";
  const SVG_NAMESPACE = "http://www.w3.org/2000/svg";
  const HTML_NAMESPACE = "http://www.w3.org/1999/xhtml";
  let NAMESPACE = HTML_NAMESPACE;
  let IS_EMPTY_INPUT = false;
  let ALLOWED_NAMESPACES = null;
  const DEFAULT_ALLOWED_NAMESPACES = addToSet({}, [MATHML_NAMESPACE, SVG_NAMESPACE, HTML_NAMESPACE], stringToString);
  let MATHML_TEXT_INTEGRATION_POINTS = addToSet({}, ["mi", "mo", "mn", "ms", "mtext"]);
  let HTML_INTEGRATION_POINTS = addToSet({}, ["annotation-xml"]);
  const COMMON_SVG_AND_HTML_ELEMENTS = addToSet({}, ["title", "style", "font", "a", "script"]);
  let PARSER_MEDIA_TYPE = null;
  const SUPPORTED_PARSER_MEDIA_TYPES = ["application/xhtml+xml", "text/html"];
  const DEFAULT_PARSER_MEDIA_TYPE = "text/html";
  let transformCaseFunc = null;
  let CONFIG = null;
  const formElement = document2.createElement("form");
  const isRegexOrFunction = function isRegexOrFunction2(testValue) {
    return testValue instanceof RegExp || testValue instanceof Function;
  };
  const _parseConfig = function _parseConfig2() {
    let cfg = arguments.length > 0 && arguments[0] !== void 0 ? arguments[0] : {};
    if (CONFIG && CONFIG === cfg) {
      return;
    }
    if (!cfg || typeof cfg !== "object") {
      cfg = {};
    }
    cfg = clone(cfg);
    PARSER_MEDIA_TYPE = // eslint-disable-next-line unicorn/prefer-includes
    SUPPORTED_PARSER_MEDIA_TYPES.indexOf(cfg.PARSER_MEDIA_TYPE) === -1 ? DEFAULT_PARSER_MEDIA_TYPE : cfg.PARSER_MEDIA_TYPE;
    transformCaseFunc = PARSER_MEDIA_TYPE === "application/xhtml+xml" ? stringToString : stringToLowerCase;
    ALLOWED_TAGS = objectHasOwnProperty(cfg, "ALLOWED_TAGS") ? addToSet({}, cfg.ALLOWED_TAGS, transformCaseFunc) : DEFAULT_ALLOWED_TAGS;
    ALLOWED_ATTR = objectHasOwnProperty(cfg, "ALLOWED_ATTR") ? addToSet({}, cfg.ALLOWED_ATTR, transformCaseFunc) : DEFAULT_ALLOWED_ATTR;
    ALLOWED_NAMESPACES = objectHasOwnProperty(cfg, "ALLOWED_NAMESPACES") ? addToSet({}, cfg.ALLOWED_NAMESPACES, stringToString) : DEFAULT_ALLOWED_NAMESPACES;
    URI_SAFE_ATTRIBUTES = objectHasOwnProperty(cfg, "ADD_URI_SAFE_ATTR") ? addToSet(clone(DEFAULT_URI_SAFE_ATTRIBUTES), cfg.ADD_URI_SAFE_ATTR, transformCaseFunc) : DEFAULT_URI_SAFE_ATTRIBUTES;
    DATA_URI_TAGS = objectHasOwnProperty(cfg, "ADD_DATA_URI_TAGS") ? addToSet(clone(DEFAULT_DATA_URI_TAGS), cfg.ADD_DATA_URI_TAGS, transformCaseFunc) : DEFAULT_DATA_URI_TAGS;
    FORBID_CONTENTS = objectHasOwnProperty(cfg, "FORBID_CONTENTS") ? addToSet({}, cfg.FORBID_CONTENTS, transformCaseFunc) : DEFAULT_FORBID_CONTENTS;
    FORBID_TAGS = objectHasOwnProperty(cfg, "FORBID_TAGS") ? addToSet({}, cfg.FORBID_TAGS, transformCaseFunc) : clone({});
    FORBID_ATTR = objectHasOwnProperty(cfg, "FORBID_ATTR") ? addToSet({}, cfg.FORBID_ATTR, transformCaseFunc) : clone({});
    USE_PROFILES = objectHasOwnProperty(cfg, "USE_PROFILES") ? cfg.USE_PROFILES : false;
    ALLOW_ARIA_ATTR = cfg.ALLOW_ARIA_ATTR !== false;
    ALLOW_DATA_ATTR = cfg.ALLOW_DATA_ATTR !== false;
    ALLOW_UNKNOWN_PROTOCOLS = cfg.ALLOW_UNKNOWN_PROTOCOLS || false;
    ALLOW_SELF_CLOSE_IN_ATTR = cfg.ALLOW_SELF_CLOSE_IN_ATTR !== false;
    SAFE_FOR_TEMPLATES = cfg.SAFE_FOR_TEMPLATES || false;
    SAFE_FOR_XML = cfg.SAFE_FOR_XML !== false;
    WHOLE_DOCUMENT = cfg.WHOLE_DOCUMENT || false;
    RETURN_DOM = cfg.RETURN_DOM || false;
    RETURN_DOM_FRAGMENT = cfg.RETURN_DOM_FRAGMENT || false;
    RETURN_TRUSTED_TYPE = cfg.RETURN_TRUSTED_TYPE || false;
    FORCE_BODY = cfg.FORCE_BODY || false;
    SANITIZE_DOM = cfg.SANITIZE_DOM !== false;
    SANITIZE_NAMED_PROPS = cfg.SANITIZE_NAMED_PROPS || false;
    KEEP_CONTENT = cfg.KEEP_CONTENT !== false;
    IN_PLACE = cfg.IN_PLACE || false;
    IS_ALLOWED_URI$1 = cfg.ALLOWED_URI_REGEXP || IS_ALLOWED_URI;
    NAMESPACE = cfg.NAMESPACE || HTML_NAMESPACE;
    MATHML_TEXT_INTEGRATION_POINTS = cfg.MATHML_TEXT_INTEGRATION_POINTS || MATHML_TEXT_INTEGRATION_POINTS;
    HTML_INTEGRATION_POINTS = cfg.HTML_INTEGRATION_POINTS || HTML_INTEGRATION_POINTS;
    CUSTOM_ELEMENT_HANDLING = cfg.CUSTOM_ELEMENT_HANDLING || {};
    if (cfg.CUSTOM_ELEMENT_HANDLING && isRegexOrFunction(cfg.CUSTOM_ELEMENT_HANDLING.tagNameCheck)) {
      CUSTOM_ELEMENT_HANDLING.tagNameCheck = cfg.CUSTOM_ELEMENT_HANDLING.tagNameCheck;
    }
    if (cfg.CUSTOM_ELEMENT_HANDLING && isRegexOrFunction(cfg.CUSTOM_ELEMENT_HANDLING.attributeNameCheck)) {
      CUSTOM_ELEMENT_HANDLING.attributeNameCheck = cfg.CUSTOM_ELEMENT_HANDLING.attributeNameCheck;
    }
    if (cfg.CUSTOM_ELEMENT_HANDLING && typeof cfg.CUSTOM_ELEMENT_HANDLING.allowCustomizedBuiltInElements === "boolean") {
      CUSTOM_ELEMENT_HANDLING.allowCustomizedBuiltInElements = cfg.CUSTOM_ELEMENT_HANDLING.allowCustomizedBuiltInElements;
    }
    if (SAFE_FOR_TEMPLATES) {
      ALLOW_DATA_ATTR = false;
    }
    if (RETURN_DOM_FRAGMENT) {
      RETURN_DOM = true;
    }
    if (USE_PROFILES) {
      ALLOWED_TAGS = addToSet({}, text);
      ALLOWED_ATTR = [];
      if (USE_PROFILES.html === true) {
        addToSet(ALLOWED_TAGS, html$1);
        addToSet(ALLOWED_ATTR, html);
      }
      if (USE_PROFILES.svg === true) {
        addToSet(ALLOWED_TAGS, svg$1);
        addToSet(ALLOWED_ATTR, svg);
        addToSet(ALLOWED_ATTR, xml);
      }
      if (USE_PROFILES.svgFilters === true) {
        addToSet(ALLOWED_TAGS, svgFilters);
        addToSet(ALLOWED_ATTR, svg);
        addToSet(ALLOWED_ATTR, xml);
      }
      if (USE_PROFILES.mathMl === true) {
        addToSet(ALLOWED_TAGS, mathMl$1);
        addToSet(ALLOWED_ATTR, mathMl);
        addToSet(ALLOWED_ATTR, xml);
      }
    }
    if (cfg.ADD_TAGS) {
      if (ALLOWED_TAGS === DEFAULT_ALLOWED_TAGS) {
        ALLOWED_TAGS = clone(ALLOWED_TAGS);
      }
      addToSet(ALLOWED_TAGS, cfg.ADD_TAGS, transformCaseFunc);
    }
    if (cfg.ADD_ATTR) {
      if (ALLOWED_ATTR === DEFAULT_ALLOWED_ATTR) {
        ALLOWED_ATTR = clone(ALLOWED_ATTR);
      }
      addToSet(ALLOWED_ATTR, cfg.ADD_ATTR, transformCaseFunc);
    }
    if (cfg.ADD_URI_SAFE_ATTR) {
      addToSet(URI_SAFE_ATTRIBUTES, cfg.ADD_URI_SAFE_ATTR, transformCaseFunc);
    }
    if (cfg.FORBID_CONTENTS) {
      if (FORBID_CONTENTS === DEFAULT_FORBID_CONTENTS) {
        FORBID_CONTENTS = clone(FORBID_CONTENTS);
      }
      addToSet(FORBID_CONTENTS, cfg.FORBID_CONTENTS, transformCaseFunc);
    }
    if (KEEP_CONTENT) {
      ALLOWED_TAGS["#text"] = true;
    }
    if (WHOLE_DOCUMENT) {
      addToSet(ALLOWED_TAGS, ["html", "head", "body"]);
    }
    if (ALLOWED_TAGS.table) {
      addToSet(ALLOWED_TAGS, ["tbody"]);
      delete FORBID_TAGS.tbody;
    }
    if (cfg.TRUSTED_TYPES_POLICY) {
      if (typeof cfg.TRUSTED_TYPES_POLICY.createHTML !== "function") {
        throw typeErrorCreate('TRUSTED_TYPES_POLICY configuration option must provide a "createHTML" hook.');
      }
      if (typeof cfg.TRUSTED_TYPES_POLICY.createScriptURL !== "function") {
        throw typeErrorCreate('TRUSTED_TYPES_POLICY configuration option must provide a "createScriptURL" hook.');
      }
      trustedTypesPolicy = cfg.TRUSTED_TYPES_POLICY;
      emptyHTML = trustedTypesPolicy.createHTML("");
    } else {
      if (trustedTypesPolicy === void 0) {
        trustedTypesPolicy = _createTrustedTypesPolicy(trustedTypes, currentScript);
      }
      if (trustedTypesPolicy !== null && typeof emptyHTML === "string") {
        emptyHTML = trustedTypesPolicy.createHTML("");
      }
    }
    if (freeze) {
      freeze(cfg);
    }
    CONFIG = cfg;
  };
  const ALL_SVG_TAGS = addToSet({}, [...svg$1, ...svgFilters, ...svgDisallowed]);
  const ALL_MATHML_TAGS = addToSet({}, [...mathMl$1, ...mathMlDisallowed]);
  const _checkValidNamespace = function _checkValidNamespace2(element) {
    let parent = getParentNode(element);
    if (!parent || !parent.tagName) {
      parent = {
        namespaceURI: NAMESPACE,
        tagName: "template"
      };
    }
    const tagName = stringToLowerCase(element.tagName);
    const parentTagName = stringToLowerCase(parent.tagName);
    if (!ALLOWED_NAMESPACES[element.namespaceURI]) {
      return false;
    }
    if (element.namespaceURI === SVG_NAMESPACE) {
      if (parent.namespaceURI === HTML_NAMESPACE) {
        return tagName === "svg";
      }
      if (parent.namespaceURI === MATHML_NAMESPACE) {
        return tagName === "svg" && (parentTagName === "annotation-xml" || MATHML_TEXT_INTEGRATION_POINTS[parentTagName]);
      }
      return Boolean(ALL_SVG_TAGS[tagName]);
    }
    if (element.namespaceURI === MATHML_NAMESPACE) {
      if (parent.namespaceURI === HTML_NAMESPACE) {
        return tagName === "math";
      }
      if (parent.namespaceURI === SVG_NAMESPACE) {
        return tagName === "math" && HTML_INTEGRATION_POINTS[parentTagName];
      }
      return Boolean(ALL_MATHML_TAGS[tagName]);
    }
    if (element.namespaceURI === HTML_NAMESPACE) {
      if (parent.namespaceURI === SVG_NAMESPACE && !HTML_INTEGRATION_POINTS[parentTagName]) {
        return false;
      }
      if (parent.namespaceURI === MATHML_NAMESPACE && !MATHML_TEXT_INTEGRATION_POINTS[parentTagName]) {
        return false;
      }
      return !ALL_MATHML_TAGS[tagName] && (COMMON_SVG_AND_HTML_ELEMENTS[tagName] || !ALL_SVG_TAGS[tagName]);
    }
    if (PARSER_MEDIA_TYPE === "application/xhtml+xml" && ALLOWED_NAMESPACES[element.namespaceURI]) {
      return true;
    }
    return false;
  };
  const _forceRemove = function _forceRemove2(node) {
    arrayPush(DOMPurify.removed, {
      element: node
    });
    try {
      getParentNode(node).removeChild(node);
    } catch (_) {
      remove(node);
    }
  };
  const _removeAttribute = function _removeAttribute2(name, element) {
    try {
      arrayPush(DOMPurify.removed, {
        attribute: element.getAttributeNode(name),
        from: element
      });
    } catch (_) {
      arrayPush(DOMPurify.removed, {
        attribute: null,
        from: element
      });
    }
    element.removeAttribute(name);
    if (name === "is") {
      if (RETURN_DOM || RETURN_DOM_FRAGMENT) {
        try {
          _forceRemove(element);
        } catch (_) {
        }
      } else {
        try {
          element.setAttribute(name, "");
        } catch (_) {
        }
      }
    }
  };
  const _initDocument = function _initDocument2(dirty) {
    let doc = null;
    let leadingWhitespace = null;
    if (FORCE_BODY) {
      dirty = "<remove></remove>" + dirty;
    } else {
      const matches = stringMatch(dirty, /^[\r\n\t ]+/);
      leadingWhitespace = matches && matches[0];
    }
    if (PARSER_MEDIA_TYPE === "application/xhtml+xml" && NAMESPACE === HTML_NAMESPACE) {
      dirty = '<html xmlns="http://www.w3.org/1999/xhtml"><head></head><body>' + dirty + "</body></html>";
    }
    const dirtyPayload = trustedTypesPolicy ? trustedTypesPolicy.createHTML(dirty) : dirty;
    if (NAMESPACE === HTML_NAMESPACE) {
      try {
        doc = new DOMParser().parseFromString(dirtyPayload, PARSER_MEDIA_TYPE);
      } catch (_) {
      }
    }
    if (!doc || !doc.documentElement) {
      doc = implementation.createDocument(NAMESPACE, "template", null);
      try {
        doc.documentElement.innerHTML = IS_EMPTY_INPUT ? emptyHTML : dirtyPayload;
      } catch (_) {
      }
    }
    const body = doc.body || doc.documentElement;
    if (dirty && leadingWhitespace) {
      body.insertBefore(document2.createTextNode(leadingWhitespace), body.childNodes[0] || null);
    }
    if (NAMESPACE === HTML_NAMESPACE) {
      return getElementsByTagName.call(doc, WHOLE_DOCUMENT ? "html" : "body")[0];
    }
    return WHOLE_DOCUMENT ? doc.documentElement : body;
  };
  const _createNodeIterator = function _createNodeIterator2(root) {
    return createNodeIterator.call(
      root.ownerDocument || root,
      root,
      // eslint-disable-next-line no-bitwise
      NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_COMMENT | NodeFilter.SHOW_TEXT | NodeFilter.SHOW_PROCESSING_INSTRUCTION | NodeFilter.SHOW_CDATA_SECTION,
      null
    );
  };
  const _isClobbered = function _isClobbered2(element) {
    return element instanceof HTMLFormElement && (typeof element.nodeName !== "string" || typeof element.textContent !== "string" || typeof element.removeChild !== "function" || !(element.attributes instanceof NamedNodeMap) || typeof element.removeAttribute !== "function" || typeof element.setAttribute !== "function" || typeof element.namespaceURI !== "string" || typeof element.insertBefore !== "function" || typeof element.hasChildNodes !== "function");
  };
  const _isNode = function _isNode2(value) {
    return typeof Node === "function" && value instanceof Node;
  };
  function _executeHooks(hooks2, currentNode, data) {
    arrayForEach(hooks2, (hook) => {
      hook.call(DOMPurify, currentNode, data, CONFIG);
    });
  }
  const _sanitizeElements = function _sanitizeElements2(currentNode) {
    let content = null;
    _executeHooks(hooks.beforeSanitizeElements, currentNode, null);
    if (_isClobbered(currentNode)) {
      _forceRemove(currentNode);
      return true;
    }
    const tagName = transformCaseFunc(currentNode.nodeName);
    _executeHooks(hooks.uponSanitizeElement, currentNode, {
      tagName,
      allowedTags: ALLOWED_TAGS
    });
    if (SAFE_FOR_XML && currentNode.hasChildNodes() && !_isNode(currentNode.firstElementChild) && regExpTest(/<[/\w!]/g, currentNode.innerHTML) && regExpTest(/<[/\w!]/g, currentNode.textContent)) {
      _forceRemove(currentNode);
      return true;
    }
    if (currentNode.nodeType === NODE_TYPE.progressingInstruction) {
      _forceRemove(currentNode);
      return true;
    }
    if (SAFE_FOR_XML && currentNode.nodeType === NODE_TYPE.comment && regExpTest(/<[/\w]/g, currentNode.data)) {
      _forceRemove(currentNode);
      return true;
    }
    if (!ALLOWED_TAGS[tagName] || FORBID_TAGS[tagName]) {
      if (!FORBID_TAGS[tagName] && _isBasicCustomElement(tagName)) {
        if (CUSTOM_ELEMENT_HANDLING.tagNameCheck instanceof RegExp && regExpTest(CUSTOM_ELEMENT_HANDLING.tagNameCheck, tagName)) {
          return false;
        }
        if (CUSTOM_ELEMENT_HANDLING.tagNameCheck instanceof Function && CUSTOM_ELEMENT_HANDLING.tagNameCheck(tagName)) {
          return false;
        }
      }
      if (KEEP_CONTENT && !FORBID_CONTENTS[tagName]) {
        const parentNode = getParentNode(currentNode) || currentNode.parentNode;
        const childNodes = getChildNodes(currentNode) || currentNode.childNodes;
        if (childNodes && parentNode) {
          const childCount = childNodes.length;
          for (let i = childCount - 1; i >= 0; --i) {
            const childClone = cloneNode(childNodes[i], true);
            childClone.__removalCount = (currentNode.__removalCount || 0) + 1;
            parentNode.insertBefore(childClone, getNextSibling(currentNode));
          }
        }
      }
      _forceRemove(currentNode);
      return true;
    }
    if (currentNode instanceof Element && !_checkValidNamespace(currentNode)) {
      _forceRemove(currentNode);
      return true;
    }
    if ((tagName === "noscript" || tagName === "noembed" || tagName === "noframes") && regExpTest(/<\/no(script|embed|frames)/i, currentNode.innerHTML)) {
      _forceRemove(currentNode);
      return true;
    }
    if (SAFE_FOR_TEMPLATES && currentNode.nodeType === NODE_TYPE.text) {
      content = currentNode.textContent;
      arrayForEach([MUSTACHE_EXPR2, ERB_EXPR2, TMPLIT_EXPR2], (expr) => {
        content = stringReplace(content, expr, " ");
      });
      if (currentNode.textContent !== content) {
        arrayPush(DOMPurify.removed, {
          element: currentNode.cloneNode()
        });
        currentNode.textContent = content;
      }
    }
    _executeHooks(hooks.afterSanitizeElements, currentNode, null);
    return false;
  };
  const _isValidAttribute = function _isValidAttribute2(lcTag, lcName, value) {
    if (SANITIZE_DOM && (lcName === "id" || lcName === "name") && (value in document2 || value in formElement)) {
      return false;
    }
    if (ALLOW_DATA_ATTR && !FORBID_ATTR[lcName] && regExpTest(DATA_ATTR2, lcName)) ;
    else if (ALLOW_ARIA_ATTR && regExpTest(ARIA_ATTR2, lcName)) ;
    else if (!ALLOWED_ATTR[lcName] || FORBID_ATTR[lcName]) {
      if (
        // First condition does a very basic check if a) it's basically a valid custom element tagname AND
        // b) if the tagName passes whatever the user has configured for CUSTOM_ELEMENT_HANDLING.tagNameCheck
        // and c) if the attribute name passes whatever the user has configured for CUSTOM_ELEMENT_HANDLING.attributeNameCheck
        _isBasicCustomElement(lcTag) && (CUSTOM_ELEMENT_HANDLING.tagNameCheck instanceof RegExp && regExpTest(CUSTOM_ELEMENT_HANDLING.tagNameCheck, lcTag) || CUSTOM_ELEMENT_HANDLING.tagNameCheck instanceof Function && CUSTOM_ELEMENT_HANDLING.tagNameCheck(lcTag)) && (CUSTOM_ELEMENT_HANDLING.attributeNameCheck instanceof RegExp && regExpTest(CUSTOM_ELEMENT_HANDLING.attributeNameCheck, lcName) || CUSTOM_ELEMENT_HANDLING.attributeNameCheck instanceof Function && CUSTOM_ELEMENT_HANDLING.attributeNameCheck(lcName)) || // Alternative, second condition checks if it's an `is`-attribute, AND
        // the value passes whatever the user has configured for CUSTOM_ELEMENT_HANDLING.tagNameCheck
        lcName === "is" && CUSTOM_ELEMENT_HANDLING.allowCustomizedBuiltInElements && (CUSTOM_ELEMENT_HANDLING.tagNameCheck instanceof RegExp && regExpTest(CUSTOM_ELEMENT_HANDLING.tagNameCheck, value) || CUSTOM_ELEMENT_HANDLING.tagNameCheck instanceof Function && CUSTOM_ELEMENT_HANDLING.tagNameCheck(value))
      ) ;
      else {
        return false;
      }
    } else if (URI_SAFE_ATTRIBUTES[lcName]) ;
    else if (regExpTest(IS_ALLOWED_URI$1, stringReplace(value, ATTR_WHITESPACE2, ""))) ;
    else if ((lcName === "src" || lcName === "xlink:href" || lcName === "href") && lcTag !== "script" && stringIndexOf(value, "data:") === 0 && DATA_URI_TAGS[lcTag]) ;
    else if (ALLOW_UNKNOWN_PROTOCOLS && !regExpTest(IS_SCRIPT_OR_DATA2, stringReplace(value, ATTR_WHITESPACE2, ""))) ;
    else if (value) {
      return false;
    } else ;
    return true;
  };
  const _isBasicCustomElement = function _isBasicCustomElement2(tagName) {
    return tagName !== "annotation-xml" && stringMatch(tagName, CUSTOM_ELEMENT2);
  };
  const _sanitizeAttributes = function _sanitizeAttributes2(currentNode) {
    _executeHooks(hooks.beforeSanitizeAttributes, currentNode, null);
    const {
      attributes
    } = currentNode;
    if (!attributes || _isClobbered(currentNode)) {
      return;
    }
    const hookEvent = {
      attrName: "",
      attrValue: "",
      keepAttr: true,
      allowedAttributes: ALLOWED_ATTR,
      forceKeepAttr: void 0
    };
    let l = attributes.length;
    while (l--) {
      const attr = attributes[l];
      const {
        name,
        namespaceURI,
        value: attrValue
      } = attr;
      const lcName = transformCaseFunc(name);
      const initValue = attrValue;
      let value = name === "value" ? initValue : stringTrim(initValue);
      hookEvent.attrName = lcName;
      hookEvent.attrValue = value;
      hookEvent.keepAttr = true;
      hookEvent.forceKeepAttr = void 0;
      _executeHooks(hooks.uponSanitizeAttribute, currentNode, hookEvent);
      value = hookEvent.attrValue;
      if (SANITIZE_NAMED_PROPS && (lcName === "id" || lcName === "name")) {
        _removeAttribute(name, currentNode);
        value = SANITIZE_NAMED_PROPS_PREFIX + value;
      }
      if (SAFE_FOR_XML && regExpTest(/((--!?|])>)|<\/(style|title)/i, value)) {
        _removeAttribute(name, currentNode);
        continue;
      }
      if (hookEvent.forceKeepAttr) {
        continue;
      }
      if (!hookEvent.keepAttr) {
        _removeAttribute(name, currentNode);
        continue;
      }
      if (!ALLOW_SELF_CLOSE_IN_ATTR && regExpTest(/\/>/i, value)) {
        _removeAttribute(name, currentNode);
        continue;
      }
      if (SAFE_FOR_TEMPLATES) {
        arrayForEach([MUSTACHE_EXPR2, ERB_EXPR2, TMPLIT_EXPR2], (expr) => {
          value = stringReplace(value, expr, " ");
        });
      }
      const lcTag = transformCaseFunc(currentNode.nodeName);
      if (!_isValidAttribute(lcTag, lcName, value)) {
        _removeAttribute(name, currentNode);
        continue;
      }
      if (trustedTypesPolicy && typeof trustedTypes === "object" && typeof trustedTypes.getAttributeType === "function") {
        if (namespaceURI) ;
        else {
          switch (trustedTypes.getAttributeType(lcTag, lcName)) {
            case "TrustedHTML": {
              value = trustedTypesPolicy.createHTML(value);
              break;
            }
            case "TrustedScriptURL": {
              value = trustedTypesPolicy.createScriptURL(value);
              break;
            }
          }
        }
      }
      if (value !== initValue) {
        try {
          if (namespaceURI) {
            currentNode.setAttributeNS(namespaceURI, name, value);
          } else {
            currentNode.setAttribute(name, value);
          }
          if (_isClobbered(currentNode)) {
            _forceRemove(currentNode);
          } else {
            arrayPop(DOMPurify.removed);
          }
        } catch (_) {
          _removeAttribute(name, currentNode);
        }
      }
    }
    _executeHooks(hooks.afterSanitizeAttributes, currentNode, null);
  };
  const _sanitizeShadowDOM = function _sanitizeShadowDOM2(fragment) {
    let shadowNode = null;
    const shadowIterator = _createNodeIterator(fragment);
    _executeHooks(hooks.beforeSanitizeShadowDOM, fragment, null);
    while (shadowNode = shadowIterator.nextNode()) {
      _executeHooks(hooks.uponSanitizeShadowNode, shadowNode, null);
      _sanitizeElements(shadowNode);
      _sanitizeAttributes(shadowNode);
      if (shadowNode.content instanceof DocumentFragment) {
        _sanitizeShadowDOM2(shadowNode.content);
      }
    }
    _executeHooks(hooks.afterSanitizeShadowDOM, fragment, null);
  };
  DOMPurify.sanitize = function(dirty) {
    let cfg = arguments.length > 1 && arguments[1] !== void 0 ? arguments[1] : {};
    let body = null;
    let importedNode = null;
    let currentNode = null;
    let returnNode = null;
    IS_EMPTY_INPUT = !dirty;
    if (IS_EMPTY_INPUT) {
      dirty = "<!-->";
    }
    if (typeof dirty !== "string" && !_isNode(dirty)) {
      if (typeof dirty.toString === "function") {
        dirty = dirty.toString();
        if (typeof dirty !== "string") {
          throw typeErrorCreate("dirty is not a string, aborting");
        }
      } else {
        throw typeErrorCreate("toString is not a function");
      }
    }
    if (!DOMPurify.isSupported) {
      return dirty;
    }
    if (!SET_CONFIG) {
      _parseConfig(cfg);
    }
    DOMPurify.removed = [];
    if (typeof dirty === "string") {
      IN_PLACE = false;
    }
    if (IN_PLACE) {
      if (dirty.nodeName) {
        const tagName = transformCaseFunc(dirty.nodeName);
        if (!ALLOWED_TAGS[tagName] || FORBID_TAGS[tagName]) {
          throw typeErrorCreate("root node is forbidden and cannot be sanitized in-place");
        }
      }
    } else if (dirty instanceof Node) {
      body = _initDocument("<!---->");
      importedNode = body.ownerDocument.importNode(dirty, true);
      if (importedNode.nodeType === NODE_TYPE.element && importedNode.nodeName === "BODY") {
        body = importedNode;
      } else if (importedNode.nodeName === "HTML") {
        body = importedNode;
      } else {
        body.appendChild(importedNode);
      }
    } else {
      if (!RETURN_DOM && !SAFE_FOR_TEMPLATES && !WHOLE_DOCUMENT && // eslint-disable-next-line unicorn/prefer-includes
      dirty.indexOf("<") === -1) {
        return trustedTypesPolicy && RETURN_TRUSTED_TYPE ? trustedTypesPolicy.createHTML(dirty) : dirty;
      }
      body = _initDocument(dirty);
      if (!body) {
        return RETURN_DOM ? null : RETURN_TRUSTED_TYPE ? emptyHTML : "";
      }
    }
    if (body && FORCE_BODY) {
      _forceRemove(body.firstChild);
    }
    const nodeIterator = _createNodeIterator(IN_PLACE ? dirty : body);
    while (currentNode = nodeIterator.nextNode()) {
      _sanitizeElements(currentNode);
      _sanitizeAttributes(currentNode);
      if (currentNode.content instanceof DocumentFragment) {
        _sanitizeShadowDOM(currentNode.content);
      }
    }
    if (IN_PLACE) {
      return dirty;
    }
    if (RETURN_DOM) {
      if (RETURN_DOM_FRAGMENT) {
        returnNode = createDocumentFragment.call(body.ownerDocument);
        while (body.firstChild) {
          returnNode.appendChild(body.firstChild);
        }
      } else {
        returnNode = body;
      }
      if (ALLOWED_ATTR.shadowroot || ALLOWED_ATTR.shadowrootmode) {
        returnNode = importNode.call(originalDocument, returnNode, true);
      }
      return returnNode;
    }
    let serializedHTML = WHOLE_DOCUMENT ? body.outerHTML : body.innerHTML;
    if (WHOLE_DOCUMENT && ALLOWED_TAGS["!doctype"] && body.ownerDocument && body.ownerDocument.doctype && body.ownerDocument.doctype.name && regExpTest(DOCTYPE_NAME, body.ownerDocument.doctype.name)) {
      serializedHTML = "<!DOCTYPE " + body.ownerDocument.doctype.name + ">\n" + serializedHTML;
    }
    if (SAFE_FOR_TEMPLATES) {
      arrayForEach([MUSTACHE_EXPR2, ERB_EXPR2, TMPLIT_EXPR2], (expr) => {
        serializedHTML = stringReplace(serializedHTML, expr, " ");
      });
    }
    return trustedTypesPolicy && RETURN_TRUSTED_TYPE ? trustedTypesPolicy.createHTML(serializedHTML) : serializedHTML;
  };
  DOMPurify.setConfig = function() {
    let cfg = arguments.length > 0 && arguments[0] !== void 0 ? arguments[0] : {};
    _parseConfig(cfg);
    SET_CONFIG = true;
  };
  DOMPurify.clearConfig = function() {
    CONFIG = null;
    SET_CONFIG = false;
  };
  DOMPurify.isValidAttribute = function(tag, attr, value) {
    if (!CONFIG) {
      _parseConfig({});
    }
    const lcTag = transformCaseFunc(tag);
    const lcName = transformCaseFunc(attr);
    return _isValidAttribute(lcTag, lcName, value);
  };
  DOMPurify.addHook = function(entryPoint, hookFunction) {
    if (typeof hookFunction !== "function") {
      return;
    }
    arrayPush(hooks[entryPoint], hookFunction);
  };
  DOMPurify.removeHook = function(entryPoint, hookFunction) {
    if (hookFunction !== void 0) {
      const index = arrayLastIndexOf(hooks[entryPoint], hookFunction);
      return index === -1 ? void 0 : arraySplice(hooks[entryPoint], index, 1)[0];
    }
    return arrayPop(hooks[entryPoint]);
  };
  DOMPurify.removeHooks = function(entryPoint) {
    hooks[entryPoint] = [];
  };
  DOMPurify.removeAllHooks = function() {
    hooks = _createHooksMap();
  };
  return DOMPurify;
}
var purify = createDOMPurify();

// codeflow_widget/widget/static/src/sanitize.js
var TAGS = [
  "a",
  "b",
  "blockquote",
  "br",
  "code",
  "del",
  "div",
  "em",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "hr",
  "i",
  "li",
  "ol",
  "p",
  "pre",
  "s",
  "span",
  "strong",
  "sub",
  "sup",
  "table",
  "tbody",
  "td",
  "tfoot",
  "th",
  "thead",
  "tr",
  "ul"
];
var ATTRS = ["class", "href", "title", "colspan", "rowspan", "align", "start"];
var SAFE_URL = /^(?:https?:|mailto:|#)/i;
var purifier = (
  /** @type {any} */
  null
);
function configured() {
  if (purifier) return purifier;
  purifier = purify(window);
  purifier.addHook("afterSanitizeAttributes", (node) => {
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
function safeFragment(html2) {
  return configured().sanitize(String(html2 ?? ""), {
    ALLOWED_TAGS: TAGS,
    ALLOWED_ATTR: ATTRS,
    ALLOWED_URI_REGEXP: SAFE_URL,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    RETURN_DOM_FRAGMENT: true
  });
}

// codeflow_widget/widget/static/src/phase.js
var PHASES = (
  /** @type {const} */
  ["specify", "plan", "implement"]
);
var CLOSE_THINKING_AFTER_MS = 8e3;
var LONG_PX = 900;
var PhaseView = class {
  /** @param {string} phase @param {HTMLElement} stepsEl @param {HTMLElement} phasesEl */
  constructor(phase, stepsEl, phasesEl) {
    this.phase = phase;
    this.step = h("li", { class: "cf-step", "data-phase": phase });
    this.stepName = h("span", { class: "cf-step-name" });
    this.stepState = h("span", { class: "cf-step-state" });
    this.stepTime = h("span", { class: "cf-step-time" });
    this.step.append(h("span", { class: "cf-step-dot", "aria-hidden": "true" }), this.stepName, this.stepState, this.stepTime);
    stepsEl.append(this.step);
    this.section = h("section", { class: "cf-phase", "data-phase": phase });
    this.heading = h("h3", { class: "cf-phase-title" });
    this.state = h("span", { class: "cf-phase-state", "aria-live": "polite" });
    this.time = h("span", { class: "cf-phase-time" });
    this.edu = h("p", { class: "cf-edu" });
    this.note = h("p", { class: "cf-note" });
    this.thinkingText = document.createTextNode("");
    this.thinkingPre = h("pre", { class: "cf-thinking-text" }, [this.thinkingText]);
    this.summary = h("summary", {});
    this.details = /** @type {HTMLDetailsElement} */
    h("details", { class: "cf-thinking" }, [this.summary, this.thinkingPre]);
    this.userToggled = false;
    this.programmatic = false;
    this.details.addEventListener("toggle", () => {
      if (!this.programmatic) this.userToggled = true;
    });
    this.outputText = document.createTextNode("");
    this.stream = h("pre", { class: "cf-stream" }, [this.outputText]);
    this.rendered = h("div", { class: "cf-rendered" });
    this.foldBtn = h("button", { class: "cf-btn cf-fold", type: "button", onclick: () => this.toggleFold() });
    this.folded = false;
    this.progress = h("p", { class: "cf-progress", role: "status", hidden: true });
    this.section.append(
      h("div", { class: "cf-phase-head" }, [this.heading, this.state, this.time]),
      this.edu,
      this.note,
      this.details,
      this.stream,
      this.rendered,
      this.foldBtn,
      this.progress
    );
    this.renderedHtml = null;
    this.nextSeenAt = 0;
    phasesEl.append(this.section);
  }
  /** @param {string} kind @param {string} text */
  append(kind, text2) {
    (kind === "thinking" ? this.thinkingText : this.outputText).appendData(text2);
    if (kind === "content") this.stream.hidden = false;
    else this.details.hidden = false;
  }
  clearLive() {
    this.thinkingText.data = "";
    this.outputText.data = "";
  }
  /** The element where new text appears (what follow-scroll keeps in view). */
  liveEdge() {
    if (!this.stream.hidden) return this.stream;
    if (!this.details.hidden && this.details.open) return this.thinkingPre;
    return this.section;
  }
  /**
   * @param {PhaseState} s @param {any} L the labels @param {boolean} nextActive the next phase is on screen
   * @param {number} skew kernel clock − browser clock
   */
  render(s, L, nextActive, skew) {
    const status = s.status || "pending";
    setData(this.step, "state", status);
    setData(this.section, "state", status);
    const index = PHASES.indexOf(
      /** @type {any} */
      this.phase
    ) + 1;
    const name = L.phases?.[this.phase] || this.phase;
    const sub = L.phaseSub?.[this.phase] || "";
    this.stepName.textContent = sub ? `${name} ${sub}` : name;
    this.stepState.textContent = L.state?.[status] || status;
    this.heading.textContent = sub ? `${index}. ${name} \xB7 ${sub}` : `${index}. ${name}`;
    this.state.textContent = L.state?.[status] || status;
    this.edu.textContent = s.educational_message || "";
    const notes = [];
    if ((s.attempt || 1) > 1) notes.push(fmt(L.attempt, { n: s.attempt }));
    if (s.note) notes.push(s.note);
    this.note.textContent = notes.join(" \xB7 ");
    this.note.hidden = !notes.length;
    this.summary.textContent = L.thinking;
    this.stream.setAttribute("aria-label", `${L.phases[this.phase]} \xB7 ${L.output}`);
    this.renderTime(s, skew);
    const done = status === "completed" || status === "failed";
    if (done) {
      if (s.thinking !== void 0 && this.thinkingText.data !== s.thinking) this.thinkingText.data = s.thinking;
      if (s.output && this.outputText.data !== s.output) this.outputText.data = s.output;
    } else if (status === "pending" && !s.output) {
      this.clearLive();
    }
    const html2 = status === "completed" ? s.output_html || "" : "";
    if (this.renderedHtml !== html2) this.swapRendered(html2);
    this.stream.hidden = !!html2 || !this.outputText.data;
    this.details.hidden = !this.thinkingText.data && status !== "active";
    this.renderFold(L);
    if (nextActive && !this.nextSeenAt) this.nextSeenAt = Date.now();
    if (!nextActive) this.nextSeenAt = 0;
    this.status = status;
    this.settleThinking();
  }
  /** Open while read; closed once the next phase has been on screen a while (the view's tick
   * calls this too, so it closes on time without waiting for another update). */
  settleThinking() {
    if (this.userToggled) return;
    const status = this.status || "pending";
    const done = status === "completed" || status === "failed";
    const read = done && this.nextSeenAt && Date.now() - this.nextSeenAt > CLOSE_THINKING_AFTER_MS;
    const open = status === "active" || status === "stopped" || done && !read && !!this.thinkingText.data && status !== "failed" || status === "failed";
    if (this.details.open !== open) {
      this.programmatic = true;
      this.details.open = open;
      setTimeout(() => this.programmatic = false, 0);
    }
  }
  /** Rendered HTML takes the live text's place; the section keeps its height for a moment. @param {string} html */
  swapRendered(html2) {
    const before = this.section.offsetHeight;
    this.renderedHtml = html2;
    this.rendered.replaceChildren(html2 ? safeFragment(html2) : "");
    this.rendered.hidden = !html2;
    if (html2 && before) {
      this.section.style.minHeight = `${before}px`;
      setTimeout(() => this.section.style.minHeight = "", 1200);
    }
  }
  /** @param {any} L */
  renderFold(L) {
    const target = this.rendered.hidden ? null : this.rendered;
    const long = !!target && (this.folded || target.scrollHeight > LONG_PX);
    this.foldBtn.hidden = !long;
    this.foldBtn.textContent = this.folded ? L.expand : L.collapse;
    this.foldBtn.setAttribute("aria-expanded", String(!this.folded));
    this.rendered.classList.toggle("cf-folded", this.folded);
  }
  toggleFold() {
    this.folded = !this.folded;
    this.rendered.classList.toggle("cf-folded", this.folded);
    this.foldBtn.setAttribute("aria-expanded", String(!this.folded));
    if (this.folded) this.section.scrollIntoView({ block: "nearest" });
  }
  /** @param {PhaseState} s @param {number} skew */
  renderTime(s, skew) {
    let ms = s.elapsed_ms || 0;
    if (s.status === "active" && s.started_at) ms = Math.max(0, Date.now() + skew - s.started_at);
    const text2 = seconds(ms);
    this.stepTime.textContent = text2;
    this.time.textContent = text2;
  }
  /** @param {any} progress @param {any} L @param {number} skew */
  renderProgress(progress, L, skew) {
    const step = progress?.step || "";
    let text2 = "";
    if (step === "checking") text2 = L.progressChecking;
    else if (step === "writing") text2 = L.progressWriting;
    else if (step === "trial_run") {
      const total = Math.round(progress.total_s || 0);
      const n = Math.min(total, Math.max(0, Math.floor((Date.now() + skew - (progress.started_at || 0)) / 1e3)));
      text2 = fmt(L.progressTrial, { n, total });
    }
    this.progress.textContent = text2;
    this.progress.hidden = !text2;
  }
};

// codeflow_widget/widget/static/src/changes.js
var TRAITS = ["versions", "change", "checkpoint", "step_mode", "trace", "project", "status", "texts", "language"];
var RUNNING = /* @__PURE__ */ new Set(["pending", "processing", "retrying"]);
var STYLE = `
.cf-ch { display: grid; gap: 12px; margin-top: 12px; }
.cf-ch-box { border: 1px solid var(--cf-border, #c4cbd3); border-radius: 8px; padding: 10px 12px; }
.cf-ch-box h4 { margin: 0 0 6px; font-size: 14px; }
.cf-ch textarea { width: 100%; box-sizing: border-box; font: inherit; min-height: 3em; }
.cf-ch-editor { min-height: 16em !important; font-family: var(--jp-code-font-family, monospace) !important; font-size: 12px; }
.cf-ch-row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-top: 6px; }
.cf-diff { margin: 6px 0 0; padding: 6px 8px; font: 12px/1.45 var(--jp-code-font-family, monospace);
  white-space: pre-wrap; overflow-wrap: anywhere; background: var(--cf-bg2, #f3f4f6); border-radius: 6px; }
.cf-diff .cf-add { background: rgba(26, 127, 55, 0.18); display: block; }
.cf-diff .cf-del { background: rgba(193, 31, 43, 0.16); display: block; }
.cf-diff .cf-hunk { color: var(--cf-link, #0b5cad); display: block; }
.cf-versions { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
.cf-versions li[data-crashed="true"] .cf-v-head { color: var(--cf-bad, #c11f2b); }
.cf-v-head { display: flex; gap: 8px; flex-wrap: wrap; align-items: baseline; }
.cf-v-files { color: var(--cf-fg2, #4a5260); font-size: 12px; }
.cf-trace { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) minmax(0, 1fr); gap: 8px; font-size: 12px; }
.cf-trace ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 3px; }
.cf-trace li { padding: 2px 4px; border-radius: 4px; overflow-wrap: anywhere; }
.cf-trace .cf-rid { cursor: default; font-weight: 600; }
.cf-trace li.cf-hl { background: rgba(250, 200, 60, 0.45); }
.cf-toggle { display: inline-flex; gap: 4px; align-items: center; }
`;
function diffView(text2) {
  const lines = String(text2 || "").split("\n");
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  return h("pre", { class: "cf-diff" }, lines.map((line) => {
    const cls = line.startsWith("+++") || line.startsWith("---") ? "" : line.startsWith("+") ? "cf-add" : line.startsWith("-") ? "cf-del" : line.startsWith("@@") ? "cf-hunk" : "";
    return h("span", { class: cls || void 0, text: `${line}
` });
  }));
}
var ChangesPanel = class {
  /**
   * @param {any} model
   * @param {(kind: string, payload?: Record<string, any>) => Promise<any>} act
   * @param {() => Record<string, any>} labels
   */
  constructor(model, act, labels) {
    this.model = model;
    this.act = act;
    this.labels = labels;
    this.openDiffs = {};
    this.el = h("div", { class: "cf-ch", "data-part": "changes" });
    this.el.append(h("style", { text: STYLE }));
    this.body = h("div", { class: "cf-ch" });
    this.el.append(this.body);
    this.stepBox = h("input", { type: "checkbox", "data-act": "step_mode", onchange: () => this.setStep() });
    this.stepLabel = h("span");
    this.toggle = h("label", { class: "cf-toggle" }, [this.stepBox, this.stepLabel]);
    this.followInput = h("textarea", { rows: 2, "data-part": "follow-up-input", onkeydown: (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.followUp();
      }
    } });
    this.editor = h("textarea", { class: "cf-ch-editor", "data-part": "checkpoint-editor" });
    this.redoNote = h("input", { type: "text", "data-part": "redo-note" });
    this.editorFor = "";
    this.onChange = () => this.update();
    for (const name of TRAITS) model.on(`change:${name}`, this.onChange);
    this.update();
  }
  dispose() {
    for (const name of TRAITS) this.model.off(`change:${name}`, this.onChange);
  }
  get L() {
    return this.labels() || {};
  }
  setStep() {
    this.model.set("step_mode", this.stepBox.checked);
    this.model.save_changes();
  }
  async followUp() {
    const text2 = this.followInput.value.trim();
    if (!text2) return;
    const answer = await this.act("follow_up", { text: text2 });
    if (answer) this.followInput.value = "";
  }
  update() {
    const m = this.model, L = this.L;
    this.stepBox.checked = !!m.get("step_mode");
    this.stepLabel.textContent = L.stepMode || "";
    this.toggle.title = L.stepModeHint || "";
    const project = m.get("project") || {};
    const running = RUNNING.has(m.get("status"));
    const parts = [h("div", { class: "cf-ch-row" }, [this.toggle]), this.checkpointView(L), this.diffsView(L)];
    if (project.name && !project.kept && !running) parts.push(this.followUpView(L));
    parts.push(this.versionsView(L, running), this.traceView(L));
    fill(this.body, ...parts);
  }
  /** @param {any} L */
  checkpointView(L) {
    const cp = this.model.get("checkpoint") || {};
    if (!cp.phase) {
      this.editorFor = "";
      return null;
    }
    const key = `${cp.phase}:${cp.text.length}:${cp.text.slice(0, 40)}`;
    if (this.editorFor !== key) {
      this.editor.value = cp.text;
      this.editorFor = key;
      this.redoNote.value = "";
    }
    this.redoNote.placeholder = L.redoPlaceholder || "";
    const phaseName = (L.phases || {})[cp.phase] || cp.phase;
    const resume = () => this.act("resume", this.editor.value === cp.text ? {} : { text: this.editor.value });
    const redo = () => this.act("redo", { note: this.redoNote.value });
    return h("div", { class: "cf-ch-box", "data-part": "checkpoint", "data-phase": cp.phase }, [
      h("h4", { text: fmt(L.checkpointTitle, { phase: phaseName }) }),
      this.editor,
      h("div", { class: "cf-ch-row" }, [
        h("button", { class: "cf-btn cf-primary", type: "button", "data-act": "resume", onclick: resume }, [L.continue || ""]),
        this.redoNote,
        h("button", { class: "cf-btn", type: "button", "data-act": "redo", onclick: redo }, [L.redo || ""])
      ])
    ]);
  }
  /** @param {any} L */
  diffsView(L) {
    const diffs = (this.model.get("change") || {}).diffs || [];
    if (!diffs.length) return null;
    return h("div", { class: "cf-ch-box", "data-part": "change-diffs" }, diffs.map((d) => h("div", { "data-file": d.file, "data-kind": d.kind }, [
      h("h4", { text: fmt(d.kind === "redo" ? L.redoDiffTitle : L.diffTitle, { file: d.file }) }),
      diffView(d.diff)
    ])));
  }
  /** @param {any} L */
  followUpView(L) {
    this.followInput.placeholder = L.followUpPlaceholder || "";
    return h("div", { class: "cf-ch-box", "data-part": "follow-up" }, [
      h("h4", { text: L.followUpTitle || "" }),
      this.followInput,
      h("div", { class: "cf-ch-row" }, [
        h("button", { class: "cf-btn cf-primary", type: "button", "data-act": "follow_up", onclick: () => this.followUp() }, [L.followUpButton || ""])
      ])
    ]);
  }
  /** @param {any} L @param {boolean} running */
  versionsView(L, running) {
    const versions = this.model.get("versions") || [];
    if (!versions.length) return null;
    const last = versions[versions.length - 1];
    const items = [...versions].reverse().map((v) => {
      const smoke = v.smoke ? v.crashed ? L.versionCrashed : L.versionOk : "";
      const buttons = [
        h("button", { class: "cf-btn", type: "button", "data-act": "version_diff", onclick: () => this.toggleDiff(v.n) }, [L.versionDiff || ""])
      ];
      if (v.n !== last.n) {
        buttons.push(h("button", { class: "cf-btn", type: "button", "data-act": "restore", disabled: running, onclick: () => this.act("restore", { n: v.n }) }, [L.versionRestore || ""]));
      } else if (v.crashed && versions.length > 1) {
        buttons.push(h("button", { class: "cf-btn cf-primary", type: "button", "data-act": "undo", disabled: running, onclick: () => this.act("undo") }, [L.versionUndo || ""]));
      }
      const kind = L[`kind_${v.kind}`] || v.kind;
      const current = v.n === last.n ? ` \xB7 ${L.versionCurrent || ""}` : "";
      return h("li", { "data-version": String(v.n), "data-crashed": String(!!v.crashed) }, [
        h("div", { class: "cf-v-head" }, [
          h("strong", { text: `v${v.n}${current}` }),
          h("span", { text: kind }),
          h("span", { class: "cf-v-wish", text: v.wish }),
          h("span", { class: "cf-v-files", text: `${(v.files_changed || []).join(", ")}${smoke ? ` \xB7 ${smoke}` : ""}` }),
          ...buttons
        ]),
        this.openDiffs[v.n] !== void 0 ? diffView(this.openDiffs[v.n]) : null
      ]);
    });
    return h("div", { class: "cf-ch-box", "data-part": "versions" }, [h("h4", { text: L.versionsTitle || "" }), h("ul", { class: "cf-versions" }, items)]);
  }
  /** @param {number} n */
  async toggleDiff(n) {
    if (this.openDiffs[n] !== void 0) {
      delete this.openDiffs[n];
      this.update();
      return;
    }
    const answer = await this.act("version_diff", { n });
    if (answer && answer.result) {
      this.openDiffs[n] = answer.result.diff || "";
      this.update();
    }
  }
  /** @param {any} L */
  traceView(L) {
    const trace = this.model.get("trace") || {};
    const reqs = trace.requirements || [];
    if (!reqs.some((r) => r.explicit)) return null;
    const linked = [];
    const mark = (rid, on) => {
      for (const node of linked) node.classList.toggle("cf-hl", on && (node.dataset.ids || "").split(" ").includes(rid));
    };
    const item = (text2, ids) => {
      const li = h("li", { "data-ids": ids.join(" "), text: text2 });
      linked.push(li);
      return li;
    };
    const reqItems = reqs.map((r) => {
      const li = item(r.text, [r.id]);
      li.classList.add("cf-rid");
      li.dataset.rid = r.id;
      li.tabIndex = 0;
      for (const [ev, on] of [["mouseenter", true], ["focus", true], ["mouseleave", false], ["blur", false]]) {
        li.addEventListener(String(ev), () => mark(r.id, !!on));
      }
      return li;
    });
    const planItems = (trace.plan || []).map((p) => item(p.text, p.ids));
    const codeItems = (trace.code || []).map((c) => item(`${c.file}:${c.line} ${c.function} \u2014 ${c.text}`, c.ids));
    const column = (items, part) => h("ul", { "data-part": part }, items.length ? items : [h("li", { text: L.traceNone || "" })]);
    return h("div", { class: "cf-ch-box", "data-part": "trace" }, [
      h("h4", { text: L.traceTitle || "" }),
      h("p", { class: "cf-v-files", text: L.traceHint || "" }),
      h("div", { class: "cf-trace" }, [column(reqItems, "trace-requirements"), column(planItems, "trace-plan"), column(codeItems, "trace-code")])
    ]);
  }
};

// codeflow_widget/widget/static/src/project.js
var WIDGET_MIME = "application/vnd.jupyter.widget-view+json";
function tree(node) {
  if (!node) return h("span");
  const item = (n) => n.type === "directory" ? h("li", { class: "cf-dir" }, [h("span", { text: `${n.name}/` }), h("ul", {}, (n.children || []).map(item))]) : h("li", { class: "cf-file" }, [h("span", { text: n.name }), h("span", { class: "cf-size", text: size(n.size || 0) })]);
  return h("ul", { class: "cf-tree" }, [item(node)]);
}
function renderProject(el, project, L, ctx) {
  el.hidden = !project.name;
  if (!project.name) return el.replaceChildren();
  const deps = project.dependencies?.length ? project.dependencies.join(", ") : L.noDeps;
  const smoke = project.smoke_run;
  const buttons = [];
  if (!project.kept) {
    buttons.push(h("button", { class: "cf-btn cf-primary", type: "button", disabled: ctx.runStatus === "running", onclick: ctx.run }, [L.run]));
    if (project.window) buttons.push(h("button", { class: "cf-btn cf-run-window", type: "button", disabled: ctx.runStatus === "running", onclick: ctx.runWindow }, [L.runWindow]));
    if (project.downloadable) buttons.push(h("button", { class: "cf-btn", type: "button", onclick: ctx.download }, [L.download]));
    buttons.push(h("button", { class: "cf-btn", type: "button", onclick: ctx.insert }, [L.insert]));
  }
  const total = project.total_files ? fmt(L.totalFiles, { n: project.total_files, size: size(project.total_size_bytes || 0) }) : "";
  fill(
    el,
    h("h3", {}, [`${L.project}: `, h("span", { class: "cf-project-name", text: project.name })]),
    project.kept ? h("p", { class: "cf-warn", text: L.kept }) : null,
    !project.downloadable && !project.kept ? h("p", { class: "cf-warn", text: L.notValidated }) : null,
    h("dl", { class: "cf-facts" }, [
      h("dt", { text: L.path }),
      h("dd", {}, [h("code", { text: project.path })]),
      h("dt", { text: L.deps }),
      h("dd", { text: deps }),
      smoke ? h("dt", { text: L.smoke }) : null,
      smoke ? h("dd", { class: smoke.ok ? "cf-ok" : "cf-bad", text: `${smoke.ok ? "\u2713" : "\u2717"} ${smoke.message}` }) : null,
      project.run_command ? h("dt", { text: L.runCommand }) : null,
      project.run_command ? h("dd", {}, [h("code", { class: "cf-run-command", text: project.run_command })]) : null,
      h("dt", { text: L.files }),
      h("dd", {}, [total ? h("div", { class: "cf-total", text: total }) : null, tree(project.tree)])
    ]),
    h("div", { class: "cf-actions" }, buttons),
    ctx.runStatus === "running" ? h("p", { class: "cf-running-note", text: L.running }) : null,
    ctx.runOutput ? h("pre", { class: `cf-run-output cf-run-${ctx.runStatus}`, text: ctx.runOutput }) : null,
    // The in-cell player (its own widget) lives in one slot that survives re-renders of the card.
    project.player_model ? h("p", { class: "cf-player-note", text: L.playerHere }) : null,
    project.player_model ? ctx.playerSlot : null,
    ctx.insertNote ? h("p", { class: "cf-insert-note", role: "status", text: ctx.insertNote.text }) : null,
    ctx.insertNote?.code ? h("pre", { class: "cf-insert-code", text: ctx.insertNote.code }) : null
  );
}
async function embedWidget(model, modelId, slot) {
  const manager = model.widget_manager;
  const child = await manager.get_model(modelId);
  const view = await manager.create_view(child, {});
  slot.replaceChildren(view.el);
  view.trigger?.("displayed");
  return view;
}
function insertBelow(model, modelId, cells) {
  try {
    const shared = model.widget_manager?.context?.model?.sharedModel;
    if (!shared || typeof shared.insertCells !== "function") return false;
    const list = shared.cells || [];
    let index = -1;
    for (let i = 0; i < list.length; i++) {
      const cell = list[i];
      if (cell.cell_type !== "code") continue;
      const outputs = typeof cell.getOutputs === "function" ? cell.getOutputs() : [];
      if (outputs.some((o) => o?.data?.[WIDGET_MIME]?.model_id === modelId)) index = i;
    }
    if (index < 0) return false;
    shared.insertCells(index + 1, cells.map((source) => ({ cell_type: "code", source, metadata: {} })));
    return true;
  } catch {
    return false;
  }
}

// codeflow_widget/widget/static/src/card.js
var ProjectCard = class {
  /** @param {import("./view.js").LessonView} view */
  constructor(view) {
    this.view = view;
    this.model = view.model;
    this.el = h("div", { class: "cf-project" });
    this.playerSlot = h("div", { class: "cf-player-slot" });
    this.playerId = null;
    this.playerView = null;
    this.insertNote = null;
  }
  /** @param {any} L */
  render(L) {
    const m = this.model;
    renderProject(this.el, m.get("project") || {}, L, {
      runStatus: m.get("run_status") || "idle",
      runOutput: m.get("run_output") || "",
      insertNote: this.insertNote,
      run: () => this.view.act("run_project"),
      runWindow: () => this.view.act("run_project", { window: true }),
      download: () => this.download(),
      insert: () => this.insertCells(),
      playerSlot: this.playerSlot
    });
    this.showPlayer((m.get("project") || {}).player_model || null);
  }
  async download() {
    const reply = await this.view.act("download");
    if (!reply || !reply.buffers.length) return;
    const blob = new Blob([reply.buffers[0]], { type: "application/zip" });
    const url = URL.createObjectURL(blob);
    const link = h("a", { href: url, download: reply.result.filename, hidden: true });
    this.el.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 3e4);
  }
  async insertCells() {
    const reply = await this.view.act("insert_cells");
    if (!reply) return;
    const { cells, model_id: modelId } = reply.result;
    const L = this.view.L;
    if (await insertBelow(this.model, modelId, cells)) {
      this.insertNote = { text: fmt(L.inserted, { n: cells.length }), code: "" };
    } else {
      const code = cells.join("\n\n");
      let copied = false;
      try {
        await navigator.clipboard.writeText(code);
        copied = true;
      } catch {
        copied = false;
      }
      this.insertNote = { text: copied ? L.copied : L.manual, code };
    }
    this.view.update();
  }
  /** Embed the kernel's player widget in the card; a new id replaces it, none removes it. @param {string | null} id */
  async showPlayer(id) {
    if (id === this.playerId) return;
    this.playerId = id;
    this.playerView?.remove();
    this.playerView = null;
    this.playerSlot.replaceChildren();
    if (!id) return;
    try {
      const view = await embedWidget(this.model, id, this.playerSlot);
      if (this.playerId === id) this.playerView = view;
      else view.remove();
    } catch (err) {
      if (this.playerId === id) this.playerSlot.textContent = String(err);
    }
  }
};

// codeflow_widget/widget/static/src/findings.js
var FindingsList = class {
  constructor() {
    this.el = h("div", { class: "cf-findings" });
    this.key = "";
  }
  /** @param {any[]} findings @param {any} L @param {string} lang */
  render(findings, L, lang) {
    const key = JSON.stringify([lang, findings, L.findings]);
    if (this.key === key) return;
    this.key = key;
    this.el.hidden = !findings.length;
    if (!findings.length) return this.el.replaceChildren();
    fill(
      this.el,
      h("h3", { text: L.findings }),
      h("ul", {}, findings.map(
        (f) => h("li", { class: `cf-finding cf-${f.severity}` }, [
          h("span", { class: "cf-finding-icon", "aria-hidden": "true", text: f.severity === "error" ? "\u2717" : "!" }),
          h("span", { class: "cf-finding-where", text: f.line ? fmt(L.line, f) : f.file }),
          h("span", { text: ` ${lang === "en" ? f.message_en || f.message : f.message} ` }),
          h("code", { text: f.code })
        ])
      ))
    );
  }
};

// codeflow_widget/widget/static/src/header.js
var PACES = ["slow", "normal", "fast", "instant"];
var Header = class {
  /** @param {{setPace: (pace: string) => void, setLanguage: (lang: string) => void}} view */
  constructor(view) {
    this.titleEl = h("div", { class: "cf-title" });
    this.badge = h("span", { class: "cf-badge" });
    this.paceLabel = h("span", { class: "cf-pace-label" });
    this.paceBtns = PACES.map(
      (pace) => h("button", { class: "cf-seg", type: "button", "data-pace": pace, onclick: () => view.setPace(pace) })
    );
    this.paceGroup = h("div", { class: "cf-pace", role: "group" }, [this.paceLabel, ...this.paceBtns]);
    this.langZh = h("button", { class: "cf-seg", type: "button", onclick: () => view.setLanguage("zh") }, ["\u4E2D\u6587"]);
    this.langEn = h("button", { class: "cf-seg", type: "button", onclick: () => view.setLanguage("en") }, ["English"]);
    this.langGroup = h("div", { class: "cf-langs", role: "group" }, [this.langZh, this.langEn]);
    this.el = h("div", { class: "cf-head" }, [this.titleEl, this.badge, this.paceGroup, this.langGroup]);
  }
  /** @param {any} L @param {string} lang @param {string} pace @param {boolean} offline @param {string} providerLabel */
  render(L, lang, pace, offline, providerLabel) {
    this.titleEl.textContent = L.title || "";
    this.langGroup.setAttribute("aria-label", L.language || "");
    this.langZh.setAttribute("aria-pressed", String(lang === "zh"));
    this.langEn.setAttribute("aria-pressed", String(lang === "en"));
    this.paceLabel.textContent = L.pace || "";
    this.paceGroup.setAttribute("aria-label", L.pace || "");
    this.paceBtns.forEach((btn, i) => {
      btn.textContent = L.pace_names?.[PACES[i]] || PACES[i];
      btn.setAttribute("aria-pressed", String(PACES[i] === pace));
    });
    this.badge.textContent = offline ? L.offline : providerLabel || "";
    this.badge.classList.toggle("cf-offline", offline);
    this.badge.hidden = !this.badge.textContent;
  }
};

// codeflow_widget/widget/static/src/request.js
var RUNNING2 = /* @__PURE__ */ new Set(["pending", "processing", "retrying"]);
var MAX_CHARS = 1e3;
var NEAR_CHARS = 900;
var RequestArea = class {
  /** @param {import("./view.js").LessonView} view */
  constructor(view) {
    this.view = view;
    this.model = view.model;
    const act = (kind) => () => view.act(kind);
    const button = (kind, primary = false) => h("button", { class: primary ? "cf-btn cf-primary" : "cf-btn", type: "button", "data-act": kind, onclick: act(kind) });
    this.input = /** @type {HTMLTextAreaElement} */
    h("textarea", { class: "cf-input", rows: 2, "data-lm-suppress-shortcuts": "true" });
    this.input.addEventListener("keydown", (e) => this.onKey(e));
    this.input.addEventListener("keyup", (e) => e.stopPropagation());
    this.input.addEventListener("input", () => this.renderCounter());
    this.counter = h("div", { class: "cf-counter", "aria-live": "polite" });
    this.examplesEl = h("div", { class: "cf-examples" });
    this.suggestEl = h("div", { class: "cf-suggest" });
    this.generateBtn = h("button", { class: "cf-btn cf-primary", type: "button", onclick: () => this.generate() });
    this.stopBtn = button("stop");
    this.continueBtn = button("continue", true);
    this.restartBtn = button("restart");
    this.retryBtn = button("retry");
    this.ffBtn = button("fast_forward");
    this.skipBtn = button("skip_to_result");
    this.statusEl = h("div", { class: "cf-status", role: "status", "aria-live": "polite" });
    this.retryNote = h("p", { class: "cf-retry-note" });
    const actions = h("div", { class: "cf-actions" }, [
      this.generateBtn,
      this.stopBtn,
      this.continueBtn,
      this.restartBtn,
      this.retryBtn,
      this.ffBtn,
      this.skipBtn,
      this.statusEl
    ]);
    this.el = h("div", { class: "cf-request" }, [this.input, this.counter, this.examplesEl, actions, this.retryNote]);
  }
  /** @param {KeyboardEvent} event */
  onKey(event) {
    event.stopPropagation();
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      this.generate();
    }
  }
  generate() {
    if (RUNNING2.has(this.model.get("status")) || this.view.inflight.has("generate")) return;
    if ([...this.input.value].length > MAX_CHARS) return this.renderCounter();
    this.view.act("generate", { text: this.input.value });
  }
  /** @param {string} status @param {boolean} running @param {any} L */
  render(status, running, L) {
    this.input.placeholder = L.placeholder || "";
    this.input.setAttribute("aria-label", L.requestLabel || "");
    if (document.activeElement !== this.input && !this.input.value) this.input.value = this.model.get("request") || "";
    this.renderCounter();
    this.renderExamples(running);
    this.renderActions(status, running, L);
    this.renderSuggestions(status, L);
  }
  /** A wish no offline lesson matched: the closest lessons, one click each. @param {string} status @param {any} L */
  renderSuggestions(status, L) {
    const list = status === "failed" ? this.model.get("suggestions") || [] : [];
    const key = JSON.stringify([list, L.suggestions]);
    if (this.suggestKey === key) return;
    this.suggestKey = key;
    this.suggestEl.hidden = !list.length;
    fill(
      this.suggestEl,
      list.length ? h("span", { class: "cf-examples-label", text: L.suggestions || "" }) : null,
      ...list.map(
        (s) => h("button", {
          class: "cf-btn",
          type: "button",
          "data-lesson": s.id,
          onclick: () => {
            this.input.value = s.example;
            this.model.set("request", s.example);
            this.model.save_changes();
            this.view.act("generate", { text: s.example });
          }
        }, [s.name])
      )
    );
  }
  /** @param {string} status @param {boolean} running @param {any} L */
  renderActions(status, running, L) {
    const m = this.model;
    const gone = !!this.view.kernelState;
    this.generateBtn.textContent = L.generate || "";
    this.generateBtn.disabled = running || [...this.input.value].length > MAX_CHARS;
    this.stopBtn.textContent = L.stop || "";
    this.stopBtn.hidden = gone || !(running || m.get("run_status") === "running");
    this.ffBtn.textContent = L.fastForward || "";
    this.skipBtn.textContent = L.skipToResult || "";
    this.ffBtn.hidden = this.skipBtn.hidden = gone || !running || m.get("pace") === "instant";
    this.continueBtn.textContent = L.continue || "";
    this.restartBtn.textContent = L.restart || "";
    this.continueBtn.hidden = this.restartBtn.hidden = gone || status !== "stopped";
    const retries = m.get("retry_count") || 0;
    const max = m.get("max_retries") || 3;
    const failed = status === "failed";
    const atLimit = retries >= max;
    this.retryBtn.textContent = retries > 0 ? `${L.retry} (${retries}/${max})` : L.retry || "";
    this.retryBtn.setAttribute("aria-label", fmt(L.retryAria, { n: Math.min(retries + 1, max), max }));
    this.retryBtn.hidden = gone || !failed || atLimit || !m.get("can_retry");
    this.retryNote.textContent = failed && atLimit ? fmt(L.retryLimit, { max }) : "";
    this.retryNote.hidden = !this.retryNote.textContent;
    let line = fmt(L.statusLine, { status: L.request?.[status] || (status === "lost" ? L.state?.stopped : status) });
    if (retries > 0) line += ` \xB7 ${fmt(L.retried, { n: retries, max })}`;
    this.statusEl.textContent = line;
  }
  renderCounter() {
    const L = this.view.L;
    const n = [...this.input.value].length;
    let text2 = fmt(L.counter, { n, max: MAX_CHARS });
    if (n > MAX_CHARS) text2 = fmt(L.counterOver, { over: n - MAX_CHARS, max: MAX_CHARS });
    else if (n >= NEAR_CHARS) text2 = fmt(L.counterNear, { left: MAX_CHARS - n, max: MAX_CHARS });
    this.counter.textContent = text2;
    setData(this.counter, "level", n > MAX_CHARS ? "over" : n >= NEAR_CHARS ? "near" : "ok");
    this.generateBtn.disabled = RUNNING2.has(this.model.get("status")) || n > MAX_CHARS;
  }
  /** @param {boolean} running */
  renderExamples(running) {
    const lang = this.view.lang;
    const L = this.view.L;
    const examples = (this.model.get("examples") || {})[lang] || [];
    const key = JSON.stringify([lang, examples, running, L.examples]);
    if (this.examplesKey === key) return;
    this.examplesKey = key;
    fill(
      this.examplesEl,
      h("span", { class: "cf-examples-label", text: L.examples || "" }),
      ...examples.map(
        (text2) => h("button", {
          class: "cf-chip",
          type: "button",
          disabled: running,
          onclick: () => {
            this.input.value = text2;
            this.input.focus();
            this.renderCounter();
          }
        }, [text2])
      )
    );
  }
};

// codeflow_widget/widget/static/src/notices.js
function infoText(kernelState, status, errorCode, project, L) {
  if (kernelState === "gone") return (project.path ? fmt(L.reloaded, { path: project.path }) : L.reloadedNoProject) || "";
  if (kernelState === "lost") return L.kernelLost || "";
  if (status === "stopped") return (errorCode === "view.replaced" ? L.replaced : L.stoppedNote) || "";
  return "";
}

// codeflow_widget/widget/static/src/view.js
var TRAITS2 = [
  "request",
  "status",
  "retry_count",
  "max_retries",
  "can_retry",
  "provider_label",
  "offline",
  "notice",
  "examples",
  "phases",
  "findings",
  "project",
  "error",
  "error_code",
  "run_status",
  "run_output",
  "progress",
  "pace",
  "texts",
  "suggestions"
];
var LessonView = class {
  /** @param {import("./kernel.js").AnyModel} model @param {HTMLElement} el */
  constructor(model, el) {
    this.model = model;
    this.el = el;
    this.kernel = new Kernel(model);
    this.seq = 0;
    this.skew = 0;
    this.lang = model.get("language") === "en" ? "en" : "zh";
    this.kernelState = "";
    this.localError = "";
    this.inflight = /* @__PURE__ */ new Set();
    this.phaseViews = {};
    this.build();
    this.listen();
    this.update();
    this.catchUp();
    this.ticker = setInterval(() => this.tick(), 250);
    this.heartbeat = new Heartbeat(
      this.kernel,
      () => this.live(),
      () => this.setKernelState("lost"),
      () => this.setKernelState("")
    );
  }
  /** The labels in the current language (from the kernel; {} before the first sync). */
  get L() {
    const texts = this.model.get("texts") || {};
    return texts[this.lang] || texts.zh || {};
  }
  live() {
    return RUNNING2.has(this.model.get("status")) && this.kernelState === "";
  }
  // -- structure ----------------------------------------------------------------
  build() {
    this.root = h("div", { class: "cf-root", lang: this.lang === "en" ? "en" : "zh-CN" });
    this.el.append(this.root);
    this.header = new Header(this);
    this.notice = h("div", { class: "cf-notice" });
    this.errorText = h("span", { class: "cf-error-text" });
    this.errorClose = h("button", { class: "cf-error-close", type: "button", onclick: () => this.dismissError() }, ["\xD7"]);
    this.errorEl = h("div", { class: "cf-error", role: "alert" }, [this.errorText, this.errorClose]);
    this.infoEl = h("div", { class: "cf-info", role: "status" });
    this.request = new RequestArea(this);
    this.stepsEl = h("ol", { class: "cf-steps" });
    this.phasesEl = h("div", { class: "cf-phases" });
    for (const phase of PHASES) this.phaseViews[phase] = new PhaseView(phase, this.stepsEl, this.phasesEl);
    this.findings = new FindingsList();
    this.card = new ProjectCard(this);
    this.root.append(
      this.header.el,
      this.notice,
      this.errorEl,
      this.request.suggestEl,
      this.infoEl,
      this.request.el,
      this.stepsEl,
      this.phasesEl,
      this.findings.el,
      this.card.el,
      (this.changes = new ChangesPanel(this.model, (kind, payload) => this.act(kind, payload), () => this.L)).el
    );
    this.follower = new Follower(this.root, () => this.activeEdge());
  }
  activeEdge() {
    const phases = this.model.get("phases") || {};
    const active = PHASES.find((p) => ["active", "stopped"].includes(phases[p]?.status));
    return active ? this.phaseViews[active].liveEdge() : null;
  }
  listen() {
    this.onChange = () => {
      if (this.localError === this.L.noKernel) this.localError = "";
      if (this.kernelState === "lost") this.kernelState = "";
      this.update();
    };
    this.onLanguage = () => {
      this.lang = this.model.get("language") === "en" ? "en" : "zh";
      this.update();
    };
    this.onCustom = (msg, buffers) => this.onMessage(msg, buffers);
    for (const name of TRAITS2) this.model.on(`change:${name}`, this.onChange);
    this.model.on("change:language", this.onLanguage);
    this.model.on("msg:custom", this.onCustom);
    this.themeObserver = new MutationObserver(() => this.root.classList.toggle("cf-dark", isDark()));
    if (document.body) this.themeObserver.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-light"] });
  }
  dispose() {
    clearInterval(this.ticker);
    this.heartbeat.dispose();
    this.follower.dispose();
    this.changes?.dispose();
    this.themeObserver?.disconnect();
    this.model.off("msg:custom", this.onCustom);
    for (const name of TRAITS2) this.model.off(`change:${name}`, this.onChange);
    this.model.off("change:language", this.onLanguage);
    this.kernel.dispose();
    this.root.remove();
  }
  // -- kernel messages ----------------------------------------------------------
  /** @param {any} msg @param {DataView[]} buffers */
  onMessage(msg, buffers) {
    if (!msg || typeof msg !== "object") return;
    if (this.kernelState) this.setKernelState("");
    if (msg.kind === "response") {
      this.kernel.answer(msg, buffers);
    } else if (msg.kind === "deltas") {
      if (msg.seq <= this.seq) return;
      this.seq = msg.seq;
      for (const [phase, kind, text2] of msg.items || []) {
        if (this.phaseViews[phase] && typeof text2 === "string") this.phaseViews[phase].append(kind, text2);
      }
      this.follower.nudge();
      if (typeof msg.t === "number") this.recordLatency(msg.t);
    } else if (msg.kind === "reset") {
      if (msg.seq <= this.seq) return;
      this.seq = msg.seq;
      for (const phase of msg.phases || []) this.phaseViews[phase]?.clearLive();
    }
  }
  /** Browser-side latency probe (only when the kernel runs with CODEFLOW_WIDGET_TIMING=1). @param {number} t */
  recordLatency(t) {
    const w = (
      /** @type {any} */
      window
    );
    (w.__codeflowArrival || (w.__codeflowArrival = [])).push(Date.now() - t * 1e3);
    requestAnimationFrame(() => (w.__codeflowLatency || (w.__codeflowLatency = [])).push(Date.now() - t * 1e3));
  }
  async catchUp() {
    try {
      const { result } = await this.kernel.command("catch_up", {}, 15e3);
      this.skew = (result.now_ms || Date.now()) - Date.now();
      for (const phase of PHASES) {
        const live = result.live?.[phase];
        const p = this.phaseViews[phase];
        if (!live || !p) continue;
        p.thinkingText.data = live.thinking || "";
        p.outputText.data = live.content || "";
      }
      this.seq = Math.max(this.seq, result.seq || 0);
      this.update();
    } catch (err) {
      if (err instanceof NoKernel) this.setKernelState("gone");
    }
  }
  /** @param {string} state */
  setKernelState(state) {
    if (this.kernelState === state) return;
    this.kernelState = state;
    this.update();
  }
  // -- actions ------------------------------------------------------------------
  /** @param {string} kind @param {Record<string, any>} [payload] */
  async act(kind, payload = {}) {
    this.localError = "";
    this.inflight.add(kind);
    this.update();
    try {
      return await this.kernel.command(kind, payload, kind === "run_project" ? 0 : 3e4);
    } catch (err) {
      if (err instanceof NoKernel) this.showLocalError(this.L.noKernel);
      return null;
    } finally {
      this.inflight.delete(kind);
      this.update();
    }
  }
  /** @param {string} lang */
  setLanguage(lang) {
    this.lang = lang === "en" ? "en" : "zh";
    this.update();
    this.kernel.command("set_language", { language: this.lang }).catch(() => {
    });
  }
  /** @param {string} pace */
  setPace(pace) {
    this.pendingPace = pace;
    this.update();
    this.kernel.command("set_pace", { pace }).catch(() => {
    }).finally(() => {
      this.pendingPace = null;
      this.update();
    });
  }
  /** @param {string} text */
  showLocalError(text2) {
    this.localError = text2;
    this.update();
  }
  dismissError() {
    this.localError = "";
    this.errorEl.hidden = true;
  }
  // -- rendering ----------------------------------------------------------------
  update() {
    const m = this.model;
    const L = this.L;
    const kernelStatus = m.get("status") || "idle";
    const status = this.kernelState && RUNNING2.has(kernelStatus) ? "lost" : kernelStatus;
    const running = RUNNING2.has(status) || this.inflight.has("generate") || this.inflight.has("retry");
    this.root.lang = this.lang === "en" ? "en" : "zh-CN";
    this.root.classList.toggle("cf-dark", isDark());
    this.root.classList.toggle("cf-running", running);
    setData(this.root, "status", status);
    const offline = !!m.get("offline");
    this.header.render(L, this.lang, this.pendingPace || m.get("pace") || "normal", offline, m.get("provider_label") || "");
    this.notice.textContent = offline ? m.get("notice") || "" : "";
    this.notice.hidden = !this.notice.textContent;
    const error = this.localError || (status === "stopped" ? "" : m.get("error") || "");
    this.errorText.textContent = error;
    this.errorEl.hidden = !error;
    this.errorClose.setAttribute("aria-label", L.dismiss || "");
    const info = infoText(this.kernelState, status, m.get("error_code") || "", m.get("project") || {}, L);
    this.infoEl.textContent = info;
    this.infoEl.hidden = !info;
    this.request.render(status, running, L);
    this.stepsEl.setAttribute("aria-label", L.steps || "");
    const phases = m.get("phases") || {};
    PHASES.forEach((phase, i) => {
      const s = phases[phase] || { status: "pending" };
      const shown = this.kernelState && s.status === "active" ? { ...s, status: "stopped" } : s;
      const next = phases[PHASES[i + 1]];
      this.phaseViews[phase].render(shown, L, !!next && next.status !== "pending", this.skew);
    });
    this.phaseViews.implement.renderProgress(this.kernelState ? {} : m.get("progress"), L, this.skew);
    this.findings.render(m.get("findings") || [], L, this.lang);
    this.card.render(L);
    this.follower.label(L.backToStep || "");
    this.follower.setLive(RUNNING2.has(status));
    this.follower.nudge();
  }
  tick() {
    const phases = this.model.get("phases") || {};
    for (const phase of PHASES) this.phaseViews[phase].settleThinking();
    if (this.kernelState) return;
    for (const phase of PHASES) {
      if (phases[phase]?.status === "active") this.phaseViews[phase].renderTime(phases[phase], this.skew);
    }
    if (this.model.get("progress")?.step === "trial_run") {
      this.phaseViews.implement.renderProgress(this.model.get("progress"), this.L, this.skew);
    }
  }
};

// codeflow_widget/widget/static/src/index.js
var index_default = {
  /** @param {{ model: any }} _ctx */
  initialize(_ctx) {
    return () => {
    };
  },
  /** @param {{ model: any, el: HTMLElement }} ctx */
  render({ model, el }) {
    const view = new LessonView(model, el);
    return () => view.dispose();
  }
};
export {
  index_default as default
};
