// @ts-check
/**
 * The CodeFlow lesson view: a wish becomes a program through Specify → Plan → Implement.
 *
 * State that must survive a reload lives in the model's traitlets; streaming text arrives as
 * batched custom messages ({kind: "deltas", seq, items}) already at the teaching pace (the
 * kernel's presenter paces it) and is appended with text nodes. Every word shown comes from
 * the kernel's `texts` trait, both languages, so the language switch relabels everything at
 * once. Model text is never parsed as HTML here; the only HTML is `output_html`, rendered by
 * the kernel and passed through DOMPurify anyway. This module wires the parts together (head
 * row, request area, phases, findings, project card, changes panel) and talks to the kernel.
 */
import { h, isDark, setData } from "./dom.js";
import { Follower } from "./follow.js";
import { Heartbeat, Kernel, NoKernel } from "./kernel.js";
import { PHASES, PhaseView } from "./phase.js";
import { ChangesPanel } from "./changes.js";
import { ProjectCard } from "./card.js";
import { FindingsList } from "./findings.js";
import { Header, infoText } from "./header.js";
import { RequestArea, RUNNING } from "./request.js";

const TRAITS = [
  "request", "status", "retry_count", "max_retries", "can_retry", "provider_label", "offline",
  "notice", "examples", "phases", "findings", "project", "error", "error_code", "run_status",
  "run_output", "progress", "pace", "texts", "suggestions",
];

export class LessonView {
  /** @param {import("./kernel.js").AnyModel} model @param {HTMLElement} el */
  constructor(model, el) {
    this.model = model;
    this.el = el;
    this.kernel = new Kernel(model);
    this.seq = 0; // highest stream message applied
    this.skew = 0; // kernel clock − browser clock (ms), from catch_up
    this.lang = model.get("language") === "en" ? "en" : "zh";
    /** "" | "lost" (no answer while live) | "gone" (reopened without a kernel) */
    this.kernelState = "";
    this.localError = "";
    /** @type {Set<string>} commands sent and not yet answered */
    this.inflight = new Set();
    /** @type {Record<string, PhaseView>} */
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
      () => this.setKernelState(""),
    );
  }

  /** The labels in the current language (from the kernel; {} before the first sync). */
  get L() {
    const texts = this.model.get("texts") || {};
    return texts[this.lang] || texts.zh || {};
  }

  live() {
    return RUNNING.has(this.model.get("status")) && this.kernelState === "";
  }

  // -- structure ----------------------------------------------------------------
  build() {
    this.root = h("div", { class: "cf-root", lang: this.lang === "en" ? "en" : "zh-CN" });
    this.el.append(this.root);
    this.header = new Header(this);
    this.notice = h("div", { class: "cf-notice" });
    this.errorText = h("span", { class: "cf-error-text" });
    this.errorClose = h("button", { class: "cf-error-close", type: "button", onclick: () => this.dismissError() }, ["×"]);
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
      (this.changes = new ChangesPanel(this.model, (kind, payload) => this.act(kind, payload), () => this.L)).el,
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
      if (this.localError === this.L.noKernel) this.localError = ""; // it answered after all
      if (this.kernelState === "lost") this.kernelState = "";
      this.update();
    };
    this.onLanguage = () => {
      this.lang = this.model.get("language") === "en" ? "en" : "zh";
      this.update();
    };
    this.onCustom = (/** @type {any} */ msg, /** @type {DataView[]} */ buffers) => this.onMessage(msg, buffers);
    for (const name of TRAITS) this.model.on(`change:${name}`, this.onChange);
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
    for (const name of TRAITS) this.model.off(`change:${name}`, this.onChange);
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
      if (msg.seq <= this.seq) return; // already part of the catch-up text
      this.seq = msg.seq;
      for (const [phase, kind, text] of msg.items || []) {
        if (this.phaseViews[phase] && typeof text === "string") this.phaseViews[phase].append(kind, text);
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
    const w = /** @type {any} */ (window);
    (w.__codeflowArrival ||= []).push(Date.now() - t * 1000); // kernel → this handler
    requestAnimationFrame(() => (w.__codeflowLatency ||= []).push(Date.now() - t * 1000)); // → painted
  }

  async catchUp() {
    try {
      // A kernel busy with a long cell answers late, and late is still useful — but a view
      // reopened without any kernel must say so rather than wait.
      const { result } = await this.kernel.command("catch_up", {}, 15000);
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
      return await this.kernel.command(kind, payload, kind === "run_project" ? 0 : 30000);
    } catch (err) {
      // The kernel has already put its message in the `error` trait; only a silent kernel is ours to show.
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
    this.update(); // relabel now, even without a kernel
    this.kernel.command("set_language", { language: this.lang }).catch(() => {});
  }

  /** @param {string} pace */
  setPace(pace) {
    this.pendingPace = pace;
    this.update();
    this.kernel.command("set_pace", { pace }).catch(() => {}).finally(() => {
      this.pendingPace = null;
      this.update();
    });
  }

  /** @param {string} text */
  showLocalError(text) {
    this.localError = text;
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
    // A run whose kernel vanished has ended, whatever the last saved state says.
    const status = this.kernelState && RUNNING.has(kernelStatus) ? "lost" : kernelStatus;
    const running = RUNNING.has(status) || this.inflight.has("generate") || this.inflight.has("retry");
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
    this.follower.setLive(RUNNING.has(status));
    this.follower.nudge();
  }

  tick() {
    const phases = this.model.get("phases") || {};
    for (const phase of PHASES) this.phaseViews[phase].settleThinking();
    if (this.kernelState) return; // no timer ticks for a run that has ended with its kernel
    for (const phase of PHASES) {
      if (phases[phase]?.status === "active") this.phaseViews[phase].renderTime(phases[phase], this.skew);
    }
    if (this.model.get("progress")?.step === "trial_run") {
      this.phaseViews.implement.renderProgress(this.model.get("progress"), this.L, this.skew);
    }
  }
}
