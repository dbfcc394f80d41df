// @ts-check
/**
 * The CodeFlow lesson view: a wish becomes a program through Specify → Plan → Implement.
 *
 * State that must survive a reload lives in the model's traitlets; streaming text arrives as
 * batched custom messages ({kind: "deltas", seq, items}) already at the teaching pace (the
 * kernel's presenter paces it) and is appended with text nodes. Every word shown comes from
 * the kernel's `texts` trait, both languages, so the language switch relabels everything at
 * once. Model text is never parsed as HTML here; the only HTML is `output_html`, rendered by
 * the kernel and passed through DOMPurify anyway.
 */
import { fill, fmt, h, isDark, setData } from "./dom.js";
import { Follower } from "./follow.js";
import { Heartbeat, Kernel, NoKernel } from "./kernel.js";
import { PHASES, PhaseView } from "./phase.js";
import { embedWidget, insertBelow, renderProject } from "./project.js";
import { ChangesPanel } from "./changes.js";

const RUNNING = new Set(["pending", "processing", "retrying"]);
const PACES = ["slow", "normal", "fast", "instant"];
const MAX_CHARS = 1000;
const NEAR_CHARS = 900;
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
    this.insertNote = null;
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
    this.titleEl = h("div", { class: "cf-title" });
    this.badge = h("span", { class: "cf-badge" });
    this.paceLabel = h("span", { class: "cf-pace-label" });
    this.paceBtns = PACES.map((pace) =>
      h("button", { class: "cf-seg", type: "button", "data-pace": pace, onclick: () => this.setPace(pace) }),
    );
    this.paceGroup = h("div", { class: "cf-pace", role: "group" }, [this.paceLabel, ...this.paceBtns]);
    this.langZh = h("button", { class: "cf-seg", type: "button", onclick: () => this.setLanguage("zh") }, ["中文"]);
    this.langEn = h("button", { class: "cf-seg", type: "button", onclick: () => this.setLanguage("en") }, ["English"]);
    this.langGroup = h("div", { class: "cf-langs", role: "group" }, [this.langZh, this.langEn]);
    this.notice = h("div", { class: "cf-notice" });
    this.errorText = h("span", { class: "cf-error-text" });
    this.errorClose = h("button", { class: "cf-error-close", type: "button", onclick: () => this.dismissError() }, ["×"]);
    this.errorEl = h("div", { class: "cf-error", role: "alert" }, [this.errorText, this.errorClose]);
    this.infoEl = h("div", { class: "cf-info", role: "status" });
    this.suggestEl = h("div", { class: "cf-suggest" });

    this.input = /** @type {HTMLTextAreaElement} */ (
      h("textarea", { class: "cf-input", rows: 2, "data-lm-suppress-shortcuts": "true" })
    );
    this.input.addEventListener("keydown", (e) => this.onKey(e));
    this.input.addEventListener("keyup", (e) => e.stopPropagation());
    this.input.addEventListener("input", () => this.renderCounter());
    this.counter = h("div", { class: "cf-counter", "aria-live": "polite" });
    this.examplesEl = h("div", { class: "cf-examples" });
    this.generateBtn = h("button", { class: "cf-btn cf-primary", type: "button", onclick: () => this.generate() });
    this.stopBtn = h("button", { class: "cf-btn", type: "button", "data-act": "stop", onclick: () => this.act("stop") });
    this.continueBtn = h("button", { class: "cf-btn cf-primary", type: "button", "data-act": "continue", onclick: () => this.act("continue") });
    this.restartBtn = h("button", { class: "cf-btn", type: "button", "data-act": "restart", onclick: () => this.act("restart") });
    this.retryBtn = h("button", { class: "cf-btn", type: "button", "data-act": "retry", onclick: () => this.act("retry") });
    this.ffBtn = h("button", { class: "cf-btn", type: "button", "data-act": "fast_forward", onclick: () => this.act("fast_forward") });
    this.skipBtn = h("button", { class: "cf-btn", type: "button", "data-act": "skip_to_result", onclick: () => this.act("skip_to_result") });
    this.statusEl = h("div", { class: "cf-status", role: "status", "aria-live": "polite" });
    this.retryNote = h("p", { class: "cf-retry-note" });
    const actions = h("div", { class: "cf-actions" }, [
      this.generateBtn, this.stopBtn, this.continueBtn, this.restartBtn, this.retryBtn, this.ffBtn, this.skipBtn, this.statusEl,
    ]);

    this.stepsEl = h("ol", { class: "cf-steps" });
    this.phasesEl = h("div", { class: "cf-phases" });
    for (const phase of PHASES) this.phaseViews[phase] = new PhaseView(phase, this.stepsEl, this.phasesEl);
    this.findingsEl = h("div", { class: "cf-findings" });
    this.projectEl = h("div", { class: "cf-project" });
    this.playerSlot = h("div", { class: "cf-player-slot" });
    /** @type {string | null} */ this.playerId = null;
    /** @type {any} */ this.playerView = null;

    this.root.append(
      h("div", { class: "cf-head" }, [this.titleEl, this.badge, this.paceGroup, this.langGroup]),
      this.notice,
      this.errorEl,
      this.suggestEl,
      this.infoEl,
      h("div", { class: "cf-request" }, [this.input, this.counter, this.examplesEl, actions, this.retryNote]),
      this.stepsEl,
      this.phasesEl,
      this.findingsEl,
      this.projectEl,
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
    requestAnimationFrame(() => {
      const w = /** @type {any} */ (window);
      (w.__codeflowLatency ||= []).push(Date.now() - t * 1000);
    });
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
  /** @param {KeyboardEvent} event */
  onKey(event) {
    event.stopPropagation(); // keep Jupyter's notebook shortcuts out of the text box
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault(); // Enter submits; Shift+Enter is a new line; IME composition is left alone
      this.generate();
    }
  }

  generate() {
    if (RUNNING.has(this.model.get("status")) || this.inflight.has("generate")) return;
    if ([...this.input.value].length > MAX_CHARS) return this.renderCounter();
    this.act("generate", { text: this.input.value });
  }

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

  async download() {
    const reply = await this.act("download");
    if (!reply || !reply.buffers.length) return;
    const blob = new Blob([reply.buffers[0]], { type: "application/zip" });
    const url = URL.createObjectURL(blob);
    const link = h("a", { href: url, download: reply.result.filename, hidden: true });
    this.root.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30000);
  }

  async insertCells() {
    const reply = await this.act("insert_cells");
    if (!reply) return;
    const { cells, model_id: modelId } = reply.result;
    const L = this.L;
    if (insertBelow(this.model, modelId, cells)) {
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
    this.update();
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
    this.titleEl.textContent = L.title || "";
    this.langGroup.setAttribute("aria-label", L.language || "");
    this.langZh.setAttribute("aria-pressed", String(this.lang === "zh"));
    this.langEn.setAttribute("aria-pressed", String(this.lang === "en"));
    this.paceLabel.textContent = L.pace || "";
    this.paceGroup.setAttribute("aria-label", L.pace || "");
    const pace = this.pendingPace || m.get("pace") || "normal";
    this.paceBtns.forEach((btn, i) => {
      btn.textContent = L.pace_names?.[PACES[i]] || PACES[i];
      btn.setAttribute("aria-pressed", String(PACES[i] === pace));
    });

    const offline = !!m.get("offline");
    this.badge.textContent = offline ? L.offline : m.get("provider_label") || "";
    this.badge.classList.toggle("cf-offline", offline);
    this.badge.hidden = !this.badge.textContent;
    this.notice.textContent = offline ? m.get("notice") || "" : "";
    this.notice.hidden = !this.notice.textContent;

    const error = this.localError || (status === "stopped" ? "" : m.get("error") || "");
    this.errorText.textContent = error;
    this.errorEl.hidden = !error;
    this.errorClose.setAttribute("aria-label", L.dismiss || "");
    this.renderInfo(status, L);
    this.renderSuggestions(status, L);

    this.input.placeholder = L.placeholder || "";
    this.input.setAttribute("aria-label", L.requestLabel || "");
    if (document.activeElement !== this.input && !this.input.value) this.input.value = m.get("request") || "";
    this.renderCounter();
    this.renderExamples(running);
    this.renderActions(status, running, L);

    this.stepsEl.setAttribute("aria-label", L.steps || "");
    const phases = m.get("phases") || {};
    PHASES.forEach((phase, i) => {
      const s = phases[phase] || { status: "pending" };
      const shown = this.kernelState && s.status === "active" ? { ...s, status: "stopped" } : s;
      const next = phases[PHASES[i + 1]];
      this.phaseViews[phase].render(shown, L, !!next && next.status !== "pending", this.skew);
    });
    this.phaseViews.implement.renderProgress(this.kernelState ? {} : m.get("progress"), L, this.skew);
    this.renderFindings(m.get("findings") || [], L);
    renderProject(this.projectEl, m.get("project") || {}, L, {
      runStatus: m.get("run_status") || "idle",
      runOutput: m.get("run_output") || "",
      insertNote: this.insertNote,
      run: () => this.act("run_project"),
      runWindow: () => this.act("run_project", { window: true }),
      download: () => this.download(),
      insert: () => this.insertCells(),
      playerSlot: this.playerSlot,
    });
    this.showPlayer((m.get("project") || {}).player_model || null);
    this.follower.label(L.backToStep || "");
    this.follower.setLive(RUNNING.has(status));
    this.follower.nudge();
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
            this.act("generate", { text: s.example });
          },
        }, [s.name]),
      ),
    );
  }

  /** @param {string} status @param {any} L */
  renderInfo(status, L) {
    const project = this.model.get("project") || {};
    let text = "";
    if (this.kernelState === "gone") text = project.path ? fmt(L.reloaded, { path: project.path }) : L.reloadedNoProject;
    else if (this.kernelState === "lost") text = L.kernelLost;
    else if (status === "stopped") text = this.model.get("error_code") === "view.replaced" ? L.replaced : L.stoppedNote;
    this.infoEl.textContent = text || "";
    this.infoEl.hidden = !text;
  }

  /** @param {string} status @param {boolean} running @param {any} L */
  renderActions(status, running, L) {
    const m = this.model;
    const gone = !!this.kernelState;
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
    const L = this.L;
    const n = [...this.input.value].length;
    let text = fmt(L.counter, { n, max: MAX_CHARS });
    if (n > MAX_CHARS) text = fmt(L.counterOver, { over: n - MAX_CHARS, max: MAX_CHARS });
    else if (n >= NEAR_CHARS) text = fmt(L.counterNear, { left: MAX_CHARS - n, max: MAX_CHARS });
    this.counter.textContent = text;
    setData(this.counter, "level", n > MAX_CHARS ? "over" : n >= NEAR_CHARS ? "near" : "ok");
    if (this.generateBtn) this.generateBtn.disabled = RUNNING.has(this.model.get("status")) || n > MAX_CHARS;
  }

  /** @param {boolean} running */
  renderExamples(running) {
    const examples = (this.model.get("examples") || {})[this.lang] || [];
    const key = JSON.stringify([this.lang, examples, running, this.L.examples]);
    if (this.examplesKey === key) return;
    this.examplesKey = key;
    fill(
      this.examplesEl,
      h("span", { class: "cf-examples-label", text: this.L.examples || "" }),
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

  tick() {
    const phases = this.model.get("phases") || {};
    if (this.kernelState) return; // no timer ticks for a run that has ended with its kernel
    for (const phase of PHASES) {
      if (phases[phase]?.status === "active") this.phaseViews[phase].renderTime(phases[phase], this.skew);
    }
    if (this.model.get("progress")?.step === "trial_run") {
      this.phaseViews.implement.renderProgress(this.model.get("progress"), this.L, this.skew);
    }
  }

  /** @param {any[]} findings @param {any} L */
  renderFindings(findings, L) {
    const key = JSON.stringify([this.lang, findings, L.findings]);
    if (this.findingsKey === key) return;
    this.findingsKey = key;
    this.findingsEl.hidden = !findings.length;
    if (!findings.length) return this.findingsEl.replaceChildren();
    fill(
      this.findingsEl,
      h("h3", { text: L.findings }),
      h("ul", {}, findings.map((f) =>
        h("li", { class: `cf-finding cf-${f.severity}` }, [
          h("span", { class: "cf-finding-icon", "aria-hidden": "true", text: f.severity === "error" ? "✗" : "!" }),
          h("span", { class: "cf-finding-where", text: f.line ? fmt(L.line, f) : f.file }),
          h("span", { text: ` ${this.lang === "en" ? f.message_en || f.message : f.message} ` }),
          h("code", { text: f.code }),
        ]),
      )),
    );
  }
}
