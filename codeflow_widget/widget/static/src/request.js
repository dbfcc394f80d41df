// @ts-check
/**
 * The request area: the wish's text box with its live character counter, the example chips,
 * the closest offline lessons after a wish with no lesson, and the action row (生成, 停止,
 * 继续 / 重新开始, 重试 with the meaning of its limit, 快进, 跳到结果, the status line).
 * Enter submits, Shift+Enter is a new line, an IME composition is left alone, and Jupyter's
 * notebook shortcuts never see a key typed here.
 */
import { fill, fmt, h, setData } from "./dom.js";

export const RUNNING = new Set(["pending", "processing", "retrying"]);
export const MAX_CHARS = 1000;
const NEAR_CHARS = 900;

export class RequestArea {
  /** @param {import("./view.js").LessonView} view */
  constructor(view) {
    this.view = view;
    this.model = view.model;
    const act = (/** @type {string} */ kind) => () => view.act(kind);
    const button = (/** @type {string} */ kind, primary = false) =>
      h("button", { class: primary ? "cf-btn cf-primary" : "cf-btn", type: "button", "data-act": kind, onclick: act(kind) });
    this.input = /** @type {HTMLTextAreaElement} */ (
      h("textarea", { class: "cf-input", rows: 2, "data-lm-suppress-shortcuts": "true" })
    );
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
      this.generateBtn, this.stopBtn, this.continueBtn, this.restartBtn, this.retryBtn, this.ffBtn, this.skipBtn, this.statusEl,
    ]);
    this.el = h("div", { class: "cf-request" }, [this.input, this.counter, this.examplesEl, actions, this.retryNote]);
  }

  /** @param {KeyboardEvent} event */
  onKey(event) {
    event.stopPropagation(); // keep Jupyter's notebook shortcuts out of the text box
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault(); // Enter submits; Shift+Enter is a new line; IME composition is left alone
      this.generate();
    }
  }

  generate() {
    if (RUNNING.has(this.model.get("status")) || this.view.inflight.has("generate")) return;
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
      ...list.map((/** @type {any} */ s) =>
        h("button", {
          class: "cf-btn", type: "button", "data-lesson": s.id,
          onclick: () => {
            this.input.value = s.example;
            this.model.set("request", s.example);
            this.model.save_changes();
            this.view.act("generate", { text: s.example });
          },
        }, [s.name]),
      ),
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

    // The retry counter appears only after a real failure, and says what its limit means.
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
    if (retries > 0) line += ` · ${fmt(L.retried, { n: retries, max })}`;
    this.statusEl.textContent = line;
  }

  renderCounter() {
    const L = this.view.L;
    const n = [...this.input.value].length;
    let text = fmt(L.counter, { n, max: MAX_CHARS });
    if (n > MAX_CHARS) text = fmt(L.counterOver, { over: n - MAX_CHARS, max: MAX_CHARS });
    else if (n >= NEAR_CHARS) text = fmt(L.counterNear, { left: MAX_CHARS - n, max: MAX_CHARS });
    this.counter.textContent = text;
    setData(this.counter, "level", n > MAX_CHARS ? "over" : n >= NEAR_CHARS ? "near" : "ok");
    this.generateBtn.disabled = RUNNING.has(this.model.get("status")) || n > MAX_CHARS;
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
      ...examples.map((/** @type {string} */ text) =>
        h("button", {
          class: "cf-chip", type: "button", disabled: running,
          onclick: () => {
            this.input.value = text;
            this.input.focus();
            this.renderCounter();
          },
        }, [text]),
      ),
    );
  }
}
