// @ts-check
/**
 * The checks' findings under the phases: one line per finding (✗ error, ! warning), where it
 * is, the message in the view's language and the stable code. Re-rendered only when the
 * findings or the language change, so a stream's updates don't rebuild the list.
 */
import { fill, fmt, h } from "./dom.js";

export class FindingsList {
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
      h("ul", {}, findings.map((f) =>
        h("li", { class: `cf-finding cf-${f.severity}` }, [
          h("span", { class: "cf-finding-icon", "aria-hidden": "true", text: f.severity === "error" ? "✗" : "!" }),
          h("span", { class: "cf-finding-where", text: f.line ? fmt(L.line, f) : f.file }),
          h("span", { text: ` ${lang === "en" ? f.message_en || f.message : f.message} ` }),
          h("code", { text: f.code }),
        ]),
      )),
    );
  }
}
