// @ts-check
/**
 * One phase of the lesson (Specify, Plan, Implement): its step in the progress row and its
 * section — teaching text, thinking, the live answer and, once complete, the rendered answer.
 *
 * Reading comes first: the thinking stays open while it is read and closes only when the next
 * phase has been on screen for a while (or the learner toggles it); the rendered answer takes
 * the live text's place at the same height (no jump); artefacts are full height (the wheel
 * always scrolls the page), and a long one gets a clear 收起 / 展开.
 */
import { fmt, h, seconds, setData } from "./dom.js";
import { safeFragment } from "./sanitize.js";

export const PHASES = /** @type {const} */ (["specify", "plan", "implement"]);
const CLOSE_THINKING_AFTER_MS = 8000; // the next phase has been on screen this long
const LONG_PX = 900; // an artefact taller than this gets 收起 / 展开

/**
 * @typedef {{ status: string, title?: string, educational_message?: string, started_at?: number,
 *   elapsed_ms?: number, thinking?: string, output?: string, output_html?: string,
 *   attempt?: number, note?: string }} PhaseState
 */

export class PhaseView {
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
    this.details = /** @type {HTMLDetailsElement} */ (h("details", { class: "cf-thinking" }, [this.summary, this.thinkingPre]));
    // Only a learner clicks the summary (Enter and Space on it are clicks too), and the click
    // comes before the toggle it causes: no guessing, from a later "toggle" event, whose it was.
    this.userToggled = false;
    this.summary.addEventListener("click", () => (this.userToggled = true));
    this.outputText = document.createTextNode("");
    this.stream = h("pre", { class: "cf-stream" }, [this.outputText]);
    this.rendered = h("div", { class: "cf-rendered" });
    this.foldBtn = h("button", { class: "cf-btn cf-fold", type: "button", onclick: () => this.toggleFold() });
    this.folded = false;
    this.progress = h("p", { class: "cf-progress", role: "status", hidden: true });
    this.section.append(
      h("div", { class: "cf-phase-head" }, [this.heading, this.state, this.time]),
      this.edu, this.note, this.details, this.stream, this.rendered, this.foldBtn, this.progress,
    );
    this.renderedHtml = null;
    this.nextSeenAt = 0; // when this view first saw the next phase start
    phasesEl.append(this.section);
  }

  /** @param {string} kind @param {string} text */
  append(kind, text) {
    (kind === "thinking" ? this.thinkingText : this.outputText).appendData(text);
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
    const index = PHASES.indexOf(/** @type {any} */ (this.phase)) + 1;
    const name = L.phases?.[this.phase] || this.phase;
    const sub = L.phaseSub?.[this.phase] || "";
    this.stepName.textContent = sub ? `${name} ${sub}` : name;
    this.stepState.textContent = L.state?.[status] || status;
    this.heading.textContent = sub ? `${index}. ${name} · ${sub}` : `${index}. ${name}`;
    this.state.textContent = L.state?.[status] || status;
    this.edu.textContent = s.educational_message || "";
    const notes = [];
    if ((s.attempt || 1) > 1) notes.push(fmt(L.attempt, { n: s.attempt }));
    if (s.note) notes.push(s.note);
    this.note.textContent = notes.join(" · ");
    this.note.hidden = !notes.length;
    this.summary.textContent = L.thinking;
    this.stream.setAttribute("aria-label", `${L.phases[this.phase]} · ${L.output}`);
    this.renderTime(s, skew);

    const done = status === "completed" || status === "failed";
    if (done) {
      // The final sync is the truth (and all a reloaded notebook has).
      if (s.thinking !== undefined && this.thinkingText.data !== s.thinking) this.thinkingText.data = s.thinking;
      if (s.output && this.outputText.data !== s.output) this.outputText.data = s.output;
    } else if (status === "pending" && !s.output) {
      this.clearLive();
    }
    const html = status === "completed" ? s.output_html || "" : "";
    if (this.renderedHtml !== html) this.swapRendered(html);
    this.stream.hidden = !!html || !this.outputText.data;
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
    const open = status === "active" || status === "stopped" || (done && !read && !!this.thinkingText.data && status !== "failed") || status === "failed";
    if (this.details.open !== open) this.details.open = open;
  }

  /** Rendered HTML takes the live text's place; the section keeps its height for a moment. @param {string} html */
  swapRendered(html) {
    const before = this.section.offsetHeight;
    this.renderedHtml = html;
    this.rendered.replaceChildren(html ? safeFragment(html) : "");
    this.rendered.hidden = !html;
    if (html && before) {
      this.section.style.minHeight = `${before}px`;
      setTimeout(() => (this.section.style.minHeight = ""), 1200);
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
    const text = seconds(ms);
    this.stepTime.textContent = text;
    this.time.textContent = text;
  }

  /** @param {any} progress @param {any} L @param {number} skew */
  renderProgress(progress, L, skew) {
    const step = progress?.step || "";
    let text = "";
    if (step === "checking") text = L.progressChecking;
    else if (step === "writing") text = L.progressWriting;
    else if (step === "trial_run") {
      const total = Math.round(progress.total_s || 0);
      const n = Math.min(total, Math.max(0, Math.floor((Date.now() + skew - (progress.started_at || 0)) / 1000)));
      text = fmt(L.progressTrial, { n, total });
    }
    this.progress.textContent = text;
    this.progress.hidden = !text;
  }
}
