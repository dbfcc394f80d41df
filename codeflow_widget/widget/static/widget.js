// @ts-check
/**
 * The CodeFlow lesson view: a wish becomes a program through Specify → Plan → Implement.
 *
 * Plain ES module for anywidget — no bundler, nothing from a CDN. State that must
 * survive a reload lives in the model's traitlets; streaming text arrives as batched
 * custom messages ({kind: "deltas", seq, items}) and is appended with text nodes.
 * Model text is never parsed as HTML here: streaming text goes through text nodes,
 * and the only HTML shown is `output_html`, rendered kernel-side (markdown-it with
 * HTML disabled + Pygments) and passed through an extra sanitising step anyway.
 */

/**
 * @typedef {{ status: string, title?: string, educational_message?: string, started_at?: number,
 *   elapsed_ms?: number, thinking?: string, output?: string, output_html?: string,
 *   attempt?: number, note?: string }} PhaseState
 * @typedef {{ get(name: string): any, set(name: string, value: any): void, save_changes(): void,
 *   send(content: any, callbacks?: any, buffers?: ArrayBuffer[]): void,
 *   on(name: string, cb: Function): void, off(name?: string | null, cb?: Function | null): void,
 *   widget_manager?: any }} AnyModel
 */

const PHASES = /** @type {const} */ (["specify", "plan", "implement"]);
const RUNNING = new Set(["pending", "processing", "retrying"]);
const WIDGET_MIME = "application/vnd.jupyter.widget-view+json";

const LABELS = {
  zh: {
    title: "CodeFlow · 从一句话到一个程序",
    placeholder: "想做什么程序？例如：帮我写个贪吃蛇（Enter 生成，Shift+Enter 换行）",
    requestLabel: "你的需求",
    examples: "试试：",
    generate: "生成",
    stop: "停止",
    retry: "重试",
    retryAria: "重试（第 {n} 次，共 {max} 次）",
    offline: "离线示例模式",
    offlineNotice: "离线示例模式：以下内容是预先编写的课程示例，不是模型实时生成的。",
    steps: "三个步骤",
    phases: { specify: "明确需求", plan: "设计方案", implement: "编写代码" },
    phaseSub: { specify: "Specify", plan: "Plan", implement: "Implement" },
    state: { pending: "等待中", active: "进行中", completed: "已完成", failed: "失败" },
    request: {
      idle: "就绪", pending: "准备中", processing: "生成中", retrying: "重试中",
      completed: "已完成", failed: "失败",
    },
    statusLine: "状态：{status}",
    retried: "已重试 {n}/{max} 次",
    thinking: "思考过程",
    output: "输出",
    attempt: "第 {n} 次尝试",
    findings: "代码检查结果",
    line: "{file} 第 {line} 行",
    project: "生成的项目",
    path: "位置",
    deps: "依赖",
    noDeps: "无（只用 Python 自带的库）",
    files: "文件",
    smoke: "试运行",
    notValidated: "代码没有通过语法检查，只能查看，不能下载。",
    kept: "这个项目没有通过检查，保留下来供学习参考。",
    run: "运行",
    download: "下载",
    insert: "插入运行单元",
    running: "正在运行…",
    inserted: "已在这个单元格下方插入 {n} 个单元格，依次运行即可。",
    copied: "无法直接插入单元格：代码已复制到剪贴板，粘贴到新的单元格里运行即可。项目里的 run.ipynb 也可以直接打开运行。",
    manual: "无法直接插入单元格：把下面的代码复制到新的单元格里运行即可。项目里的 run.ipynb 也可以直接打开运行。",
    noKernel: "内核没有响应（可能已经重启或断开）。请重新运行这个单元格。",
    dismiss: "关闭",
    language: "语言",
  },
  en: {
    title: "CodeFlow · from one sentence to a program",
    placeholder: "What should we build? e.g. make me a snake game (Enter to generate, Shift+Enter for a new line)",
    requestLabel: "Your request",
    examples: "Try:",
    generate: "Generate",
    stop: "Stop",
    retry: "Retry",
    retryAria: "Retry (attempt {n} of {max})",
    offline: "Offline lesson mode",
    offlineNotice: "Offline lesson mode: the following is a pre-written lesson, not live model output.",
    steps: "Three steps",
    phases: { specify: "Specify", plan: "Plan", implement: "Implement" },
    phaseSub: { specify: "明确需求", plan: "设计方案", implement: "编写代码" },
    state: { pending: "Pending", active: "Active", completed: "Completed", failed: "Failed" },
    request: {
      idle: "Ready", pending: "Starting", processing: "Generating", retrying: "Retrying",
      completed: "Completed", failed: "Failed",
    },
    statusLine: "Status: {status}",
    retried: "retried {n}/{max}",
    thinking: "Thinking",
    output: "Output",
    attempt: "attempt {n}",
    findings: "Code check findings",
    line: "{file} line {line}",
    project: "Generated project",
    path: "Path",
    deps: "Dependencies",
    noDeps: "none (standard library only)",
    files: "Files",
    smoke: "Trial run",
    notValidated: "The code did not pass the syntax check; it can be viewed but not downloaded.",
    kept: "This project failed its checks and is kept for study only.",
    run: "Run",
    download: "Download",
    insert: "Insert run cells",
    running: "Running…",
    inserted: "Inserted {n} cells below this one; run them in order.",
    copied: "Could not insert cells here: the code is on your clipboard — paste it into a new cell. The project's run.ipynb works too.",
    manual: "Could not insert cells here: copy the code below into a new cell. The project's run.ipynb works too.",
    noKernel: "The kernel is not answering (restarted or disconnected?). Run this cell again.",
    dismiss: "Dismiss",
    language: "Language",
  },
};

/** @param {string} template @param {Record<string, any>} params */
function fmt(template, params) {
  return template.replace(/\{(\w+)\}/g, (m, key) => (key in params ? String(params[key]) : m));
}

/**
 * Create an element. Strings become text nodes — never HTML.
 * @param {string} tag @param {Record<string, any>} [attrs] @param {(Node|string|null|undefined)[]} [children]
 */
function h(tag, attrs = {}, children = []) {
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
 * Kernel-rendered HTML → a sanitised fragment. The kernel already escapes model
 * text; this is defence in depth (a <template> is inert: nothing runs or loads).
 * @param {string} html
 */
export function safeFragment(html) {
  const tpl = document.createElement("template");
  tpl.innerHTML = html;
  const banned = "script,style,iframe,frame,object,embed,link,meta,base,form,input,button,textarea,img,svg,math,video,audio,source";
  tpl.content.querySelectorAll(banned).forEach((node) => node.remove());
  for (const node of tpl.content.querySelectorAll("*")) {
    for (const attr of [...node.attributes]) {
      const name = attr.name.toLowerCase();
      const bad = name.startsWith("on") || name === "style" || name === "srcdoc" || name === "formaction";
      const url = ["href", "src", "xlink:href", "action"].includes(name);
      if (bad || (url && !/^(https?:|mailto:|#)/i.test(attr.value.trim()))) node.removeAttribute(attr.name);
    }
    if (node.tagName === "A") {
      node.setAttribute("target", "_blank");
      node.setAttribute("rel", "noopener noreferrer nofollow");
    }
  }
  return tpl.content;
}

/**
 * Replace an element's children, skipping null/undefined (replaceChildren would print "null").
 * @param {Element} el @param {(Node|string|null|undefined)[]} children
 */
function fill(el, ...children) {
  el.replaceChildren(...children.filter((c) => c !== null && c !== undefined));
}

/** @param {number} ms */
function seconds(ms) {
  return ms > 0 ? `${(ms / 1000).toFixed(1)} s` : "";
}

/** @param {number} n */
function size(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function isDark() {
  const flag = document.body?.dataset?.jpThemeLight;
  if (flag === "false") return true;
  if (flag === "true") return false;
  return !!window.matchMedia?.("(prefers-color-scheme: dark)").matches; // Colab, plain pages
}

let viewCounter = 0;

class LessonView {
  /** @param {AnyModel} model @param {HTMLElement} el */
  constructor(model, el) {
    this.model = model;
    this.el = el;
    this.viewId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}${++viewCounter}`;
    this.counter = 0;
    /** @type {Map<string, {resolve: Function, reject: Function, timer: any}>} */
    this.pending = new Map();
    this.seq = 0; // highest stream message applied
    this.skew = 0; // kernel clock − browser clock (ms), from catch_up
    this.lang = model.get("language") === "en" ? "en" : "zh";
    /** @type {Record<string, any>} */
    this.phaseEls = {};
    this.userToggled = new Set();
    /** @type {Set<string>} commands sent and not yet answered */
    this.inflight = new Set();
    this.build();
    this.listen();
    this.update();
    this.catchUp();
    this.ticker = setInterval(() => this.tick(), 200);
  }

  get L() {
    return LABELS[this.lang];
  }

  // -- structure ----------------------------------------------------------------
  build() {
    this.root = h("div", { class: "cf-root", lang: this.lang === "en" ? "en" : "zh-CN" });
    this.el.append(this.root);
    this.titleEl = h("div", { class: "cf-title" });
    this.badge = h("span", { class: "cf-badge" });
    this.langZh = h("button", { class: "cf-lang", type: "button", onclick: () => this.setLanguage("zh") }, ["中文"]);
    this.langEn = h("button", { class: "cf-lang", type: "button", onclick: () => this.setLanguage("en") }, ["English"]);
    this.langGroup = h("div", { class: "cf-langs", role: "group" }, [this.langZh, this.langEn]);
    this.notice = h("div", { class: "cf-notice" });
    this.errorText = h("span", { class: "cf-error-text" });
    this.errorClose = h("button", { class: "cf-error-close", type: "button", onclick: () => this.dismissError() }, ["×"]);
    this.errorEl = h("div", { class: "cf-error", role: "alert" }, [this.errorText, this.errorClose]);
    this.localError = "";

    this.input = /** @type {HTMLTextAreaElement} */ (
      h("textarea", { class: "cf-input", rows: 2, maxlength: 1000, "data-lm-suppress-shortcuts": "true" })
    );
    this.input.addEventListener("keydown", (e) => this.onKey(e));
    this.input.addEventListener("keyup", (e) => e.stopPropagation());
    this.examplesEl = h("div", { class: "cf-examples" });
    this.generateBtn = h("button", { class: "cf-btn cf-primary", type: "button", onclick: () => this.generate() });
    this.stopBtn = h("button", { class: "cf-btn", type: "button", onclick: () => this.act("stop") });
    this.retryBtn = h("button", { class: "cf-btn", type: "button", onclick: () => this.act("retry") });
    this.statusEl = h("div", { class: "cf-status", role: "status", "aria-live": "polite" });
    const actions = h("div", { class: "cf-actions" }, [this.generateBtn, this.stopBtn, this.retryBtn, this.statusEl]);

    this.stepsEl = h("ol", { class: "cf-steps" });
    this.phasesEl = h("div", { class: "cf-phases" });
    for (const phase of PHASES) this.buildPhase(phase);
    this.findingsEl = h("div", { class: "cf-findings" });
    this.projectEl = h("div", { class: "cf-project" });

    this.root.append(
      h("div", { class: "cf-head" }, [this.titleEl, this.badge, this.langGroup]),
      this.notice,
      this.errorEl,
      h("div", { class: "cf-request" }, [this.input, this.examplesEl, actions]),
      this.stepsEl,
      this.phasesEl,
      this.findingsEl,
      this.projectEl,
    );
  }

  /** @param {string} phase */
  buildPhase(phase) {
    const p = {};
    p.step = h("li", { class: "cf-step", "data-phase": phase });
    p.stepName = h("span", { class: "cf-step-name" });
    p.stepState = h("span", { class: "cf-step-state" });
    p.stepTime = h("span", { class: "cf-step-time" });
    p.step.append(h("span", { class: "cf-step-dot", "aria-hidden": "true" }), p.stepName, p.stepState, p.stepTime);
    this.stepsEl.append(p.step);

    p.section = h("section", { class: "cf-phase", "data-phase": phase });
    p.heading = h("h3", { class: "cf-phase-title" });
    p.state = h("span", { class: "cf-phase-state", "aria-live": "polite" });
    p.time = h("span", { class: "cf-phase-time" });
    p.edu = h("p", { class: "cf-edu" });
    p.note = h("p", { class: "cf-note" });
    p.thinkingText = document.createTextNode("");
    p.thinkingPre = h("pre", { class: "cf-thinking-text" }, [p.thinkingText]);
    p.summary = h("summary", {});
    p.details = h("details", { class: "cf-thinking" }, [p.summary, p.thinkingPre]);
    p.details.addEventListener("toggle", () => {
      if (p.programmatic) return;
      this.userToggled.add(phase);
    });
    p.outputText = document.createTextNode("");
    p.stream = h("pre", { class: "cf-stream", "aria-label": "" }, [p.outputText]);
    p.rendered = h("div", { class: "cf-rendered" });
    p.section.append(h("div", { class: "cf-phase-head" }, [p.heading, p.state, p.time]), p.edu, p.note, p.details, p.stream, p.rendered);
    p.renderedHtml = null;
    this.phasesEl.append(p.section);
    this.phaseEls[phase] = p;
  }

  listen() {
    this.onChange = () => {
      if (this.localError === this.L.noKernel) this.localError = ""; // it answered after all
      this.update();
    };
    this.onLanguage = () => {
      this.lang = this.model.get("language") === "en" ? "en" : "zh";
      this.update();
    };
    this.onCustom = (/** @type {any} */ msg, /** @type {DataView[]} */ buffers) => this.onMessage(msg, buffers);
    const names = (this.traitNames = [
      "request", "status", "retry_count", "max_retries", "can_retry", "provider_label", "offline",
      "notice", "examples", "phases", "findings", "project", "error", "run_status", "run_output",
    ]);
    for (const name of names) this.model.on(`change:${name}`, this.onChange);
    this.model.on("change:language", this.onLanguage);
    this.model.on("msg:custom", this.onCustom);
    this.themeObserver = new MutationObserver(() => this.root.classList.toggle("cf-dark", isDark()));
    if (document.body) this.themeObserver.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-light"] });
  }

  dispose() {
    clearInterval(this.ticker);
    this.themeObserver?.disconnect();
    this.model.off("msg:custom", this.onCustom);
    for (const name of this.traitNames) this.model.off(`change:${name}`, this.onChange);
    this.model.off("change:language", this.onLanguage);
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    this.pending.clear();
    this.root.remove();
  }

  // -- kernel messages ----------------------------------------------------------
  /**
   * @param {string} kind @param {Record<string, any>} [payload] @param {number} [timeoutMs]
   * @returns {Promise<{result: any, buffers: DataView[]}>}
   */
  command(kind, payload = {}, timeoutMs = 30000) {
    const id = `${this.viewId}-${++this.counter}`;
    return new Promise((resolve, reject) => {
      const timer = timeoutMs
        ? setTimeout(() => {
            this.pending.delete(id);
            reject(new Error(this.L.noKernel));
          }, timeoutMs)
        : null;
      this.pending.set(id, { resolve, reject, timer });
      try {
        this.model.send({ kind, id, ...payload });
      } catch (err) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new Error(this.L.noKernel));
      }
    });
  }

  /** @param {any} msg @param {DataView[]} buffers */
  onMessage(msg, buffers) {
    if (!msg || typeof msg !== "object") return;
    if (msg.kind === "response") {
      const entry = this.pending.get(msg.id);
      if (!entry) return; // another view's command
      this.pending.delete(msg.id);
      clearTimeout(entry.timer);
      if (msg.error !== undefined) entry.reject(new Error(String(msg.error)));
      else entry.resolve({ result: msg.result, buffers: buffers || [] });
    } else if (msg.kind === "deltas") {
      if (msg.seq <= this.seq) return; // already part of the catch-up text
      this.seq = msg.seq;
      for (const [phase, kind, text] of msg.items || []) this.append(phase, kind, text);
      if (typeof msg.t === "number") this.recordLatency(msg.t);
    } else if (msg.kind === "reset") {
      if (msg.seq <= this.seq) return;
      this.seq = msg.seq;
      for (const phase of msg.phases || []) this.clearLive(phase);
    }
  }

  /** @param {string} phase @param {string} kind @param {string} text */
  append(phase, kind, text) {
    const p = this.phaseEls[phase];
    if (!p || typeof text !== "string") return;
    const pre = kind === "thinking" ? p.thinkingPre : p.stream;
    const atBottom = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 24;
    (kind === "thinking" ? p.thinkingText : p.outputText).appendData(text);
    if (kind === "content") pre.hidden = false;
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  }

  /** @param {string} phase */
  clearLive(phase) {
    const p = this.phaseEls[phase];
    if (!p) return;
    p.thinkingText.data = "";
    p.outputText.data = "";
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
      // No timeout: a kernel busy with a long cell answers late, and late is still useful.
      const { result } = await this.command("catch_up", {}, 0);
      this.skew = (result.now_ms || Date.now()) - Date.now();
      for (const phase of PHASES) {
        const live = result.live?.[phase];
        const p = this.phaseEls[phase];
        if (!live || !p) continue;
        p.thinkingText.data = live.thinking || "";
        p.outputText.data = live.content || "";
      }
      this.seq = Math.max(this.seq, result.seq || 0);
      this.update();
    } catch {
      // No kernel (a reopened notebook): the saved traitlets are all there is.
    }
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
    this.act("generate", { text: this.input.value });
  }

  /** @param {string} kind @param {Record<string, any>} [payload] */
  async act(kind, payload = {}) {
    this.localError = "";
    this.inflight.add(kind);
    this.update();
    try {
      return await this.command(kind, payload, kind === "run_project" ? 0 : 30000);
    } catch (err) {
      // The kernel has already put its message in the `error` trait; only a silent kernel is ours to show.
      if (/** @type {Error} */ (err).message === this.L.noKernel) this.showLocalError(this.L.noKernel);
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
    this.command("set_language", { language: this.lang }).catch(() => {});
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
    const status = m.get("status") || "idle";
    const running = RUNNING.has(status) || this.inflight.has("generate") || this.inflight.has("retry");
    this.root.lang = this.lang === "en" ? "en" : "zh-CN";
    this.root.classList.toggle("cf-dark", isDark());
    this.root.classList.toggle("cf-running", running);
    this.titleEl.textContent = L.title;
    this.langGroup.setAttribute("aria-label", L.language);
    this.langZh.setAttribute("aria-pressed", String(this.lang === "zh"));
    this.langEn.setAttribute("aria-pressed", String(this.lang === "en"));

    const offline = !!m.get("offline");
    this.badge.textContent = offline ? L.offline : m.get("provider_label") || "";
    this.badge.classList.toggle("cf-offline", offline);
    this.badge.hidden = !this.badge.textContent;
    this.notice.textContent = offline ? L.offlineNotice : "";
    this.notice.hidden = !offline;

    const error = this.localError || m.get("error") || "";
    this.errorText.textContent = error;
    this.errorEl.hidden = !error;
    this.errorClose.setAttribute("aria-label", L.dismiss);

    this.input.placeholder = L.placeholder;
    this.input.setAttribute("aria-label", L.requestLabel);
    if (document.activeElement !== this.input && !this.input.value) this.input.value = m.get("request") || "";
    this.renderExamples(running);

    this.generateBtn.textContent = L.generate;
    this.generateBtn.disabled = running;
    this.stopBtn.textContent = L.stop;
    this.stopBtn.hidden = !(running || m.get("run_status") === "running");
    const retries = m.get("retry_count") || 0;
    const max = m.get("max_retries") || 3;
    const n = Math.min(retries + 1, max);
    this.retryBtn.textContent = `${L.retry} ${n}/${max}`;
    this.retryBtn.setAttribute("aria-label", fmt(L.retryAria, { n, max }));
    this.retryBtn.hidden = status !== "failed";
    this.retryBtn.disabled = !m.get("can_retry") || retries >= max;
    let line = fmt(L.statusLine, { status: L.request[status] || status });
    if (retries > 0) line += ` · ${fmt(L.retried, { n: retries, max })}`;
    this.statusEl.textContent = line;
    if (this.root.dataset.status !== status) this.root.dataset.status = status;

    this.stepsEl.setAttribute("aria-label", L.steps);
    const phases = m.get("phases") || {};
    for (const phase of PHASES) this.renderPhase(phase, phases[phase] || { status: "pending" });
    this.renderFindings(m.get("findings") || []);
    this.renderProject(m.get("project") || {});
  }

  /** @param {boolean} running */
  renderExamples(running) {
    const examples = (this.model.get("examples") || {})[this.lang] || [];
    const key = JSON.stringify([this.lang, examples, running]);
    if (this.examplesKey === key) return;
    this.examplesKey = key;
    fill(
      this.examplesEl,
      h("span", { class: "cf-examples-label", text: this.L.examples }),
      ...examples.map((/** @type {string} */ text) =>
        h("button", {
          class: "cf-chip", type: "button", disabled: running,
          onclick: () => {
            this.input.value = text;
            this.input.focus();
          },
        }, [text]),
      ),
    );
  }

  /** @param {string} phase @param {PhaseState} s */
  renderPhase(phase, s) {
    const p = this.phaseEls[phase];
    const L = this.L;
    const status = s.status || "pending";
    for (const node of [p.step, p.section]) if (node.dataset.state !== status) node.dataset.state = status;
    p.stepName.textContent = `${L.phases[phase]} ${L.phaseSub[phase]}`;
    p.stepState.textContent = L.state[status] || status;
    p.heading.textContent = `${PHASES.indexOf(phase) + 1}. ${L.phases[phase]} · ${L.phaseSub[phase]}`;
    p.state.textContent = L.state[status] || status;
    p.edu.textContent = s.educational_message || "";
    const notes = [];
    if ((s.attempt || 1) > 1) notes.push(fmt(L.attempt, { n: s.attempt }));
    if (s.note) notes.push(s.note);
    p.note.textContent = notes.join(" · ");
    p.note.hidden = !notes.length;
    p.summary.textContent = L.thinking;
    p.stream.setAttribute("aria-label", `${L.phases[phase]} · ${L.output}`);
    this.renderTime(phase, s);

    if (status === "completed" || status === "failed") {
      // The final sync is the truth (and all a reloaded notebook has).
      if (s.thinking !== undefined && p.thinkingText.data !== s.thinking) p.thinkingText.data = s.thinking;
      if (s.output && p.outputText.data !== s.output) p.outputText.data = s.output;
    } else if (status === "pending" && !s.output) {
      p.thinkingText.data = "";
      p.outputText.data = "";
    }
    const html = status === "completed" ? s.output_html || "" : "";
    if (p.renderedHtml !== html) {
      p.renderedHtml = html;
      p.rendered.replaceChildren(html ? safeFragment(html) : "");
    }
    p.rendered.hidden = !html;
    p.stream.hidden = !!html || !p.outputText.data;
    const hasThinking = !!p.thinkingText.data;
    p.details.hidden = !hasThinking && status !== "active";
    if (!this.userToggled.has(phase)) {
      const open = status === "active";
      if (p.details.open !== open) {
        p.programmatic = true;
        p.details.open = open;
        setTimeout(() => (p.programmatic = false), 0);
      }
    }
  }

  /** @param {string} phase @param {PhaseState} s */
  renderTime(phase, s) {
    const p = this.phaseEls[phase];
    let ms = s.elapsed_ms || 0;
    if (s.status === "active" && s.started_at) ms = Math.max(0, Date.now() + this.skew - s.started_at);
    const text = seconds(ms);
    p.stepTime.textContent = text;
    p.time.textContent = text;
  }

  tick() {
    const phases = this.model.get("phases") || {};
    for (const phase of PHASES) {
      if (phases[phase]?.status === "active") this.renderTime(phase, phases[phase]);
    }
  }

  /** @param {any[]} findings */
  renderFindings(findings) {
    const L = this.L;
    const key = JSON.stringify([this.lang, findings]);
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

  /** @param {any} project */
  renderProject(project) {
    const L = this.L;
    const runStatus = this.model.get("run_status") || "idle";
    const runOutput = this.model.get("run_output") || "";
    const key = JSON.stringify([this.lang, project, runStatus, runOutput, this.insertNote]);
    if (this.projectKey === key) return;
    this.projectKey = key;
    this.projectEl.hidden = !project.name;
    if (!project.name) return this.projectEl.replaceChildren();
    const deps = project.dependencies?.length ? project.dependencies.join(", ") : L.noDeps;
    const smoke = project.smoke_run;
    const buttons = [];
    if (!project.kept) {
      buttons.push(h("button", { class: "cf-btn cf-primary", type: "button", disabled: runStatus === "running", onclick: () => this.act("run_project") }, [L.run]));
      if (project.downloadable) buttons.push(h("button", { class: "cf-btn", type: "button", onclick: () => this.download() }, [L.download]));
      buttons.push(h("button", { class: "cf-btn", type: "button", onclick: () => this.insertCells() }, [L.insert]));
    }
    fill(
      this.projectEl,
      h("h3", {}, [`${L.project}: `, h("span", { class: "cf-project-name", text: project.name })]),
      project.kept ? h("p", { class: "cf-warn", text: L.kept }) : null,
      !project.downloadable && !project.kept ? h("p", { class: "cf-warn", text: L.notValidated }) : null,
      h("dl", { class: "cf-facts" }, [
        h("dt", { text: L.path }), h("dd", {}, [h("code", { text: project.path })]),
        h("dt", { text: L.deps }), h("dd", { text: deps }),
        smoke ? h("dt", { text: L.smoke }) : null,
        smoke ? h("dd", { class: smoke.ok ? "cf-ok" : "cf-bad", text: `${smoke.ok ? "✓" : "✗"} ${smoke.message}` }) : null,
        h("dt", { text: L.files }), h("dd", {}, [tree(project.tree)]),
      ]),
      h("div", { class: "cf-actions" }, buttons),
      runStatus === "running" ? h("p", { class: "cf-running-note", text: L.running }) : null,
      runOutput ? h("pre", { class: `cf-run-output cf-run-${runStatus}`, text: runOutput }) : null,
      this.insertNote ? h("p", { class: "cf-insert-note", role: "status", text: this.insertNote.text }) : null,
      this.insertNote?.code ? h("pre", { class: "cf-insert-code", text: this.insertNote.code }) : null,
    );
  }
}

/** @param {any} node @returns {HTMLElement} */
function tree(node) {
  if (!node) return h("span");
  const item = (/** @type {any} */ n) =>
    n.type === "directory"
      ? h("li", { class: "cf-dir" }, [h("span", { text: `${n.name}/` }), h("ul", {}, (n.children || []).map(item))])
      : h("li", { class: "cf-file" }, [h("span", { text: n.name }), h("span", { class: "cf-size", text: size(n.size || 0) })]);
  return h("ul", { class: "cf-tree" }, [item(node)]);
}

/**
 * Insert code cells below the cell that shows this widget, through the notebook's
 * own model (JupyterLab 4 and Notebook 7 widget managers carry the document context).
 * @param {AnyModel} model @param {string} modelId @param {string[]} cells
 */
function insertBelow(model, modelId, cells) {
  try {
    const shared = model.widget_manager?.context?.model?.sharedModel;
    if (!shared || typeof shared.insertCell !== "function") return false;
    const list = shared.cells || [];
    let index = -1;
    for (let i = 0; i < list.length; i++) {
      const cell = list[i];
      if (cell.cell_type !== "code") continue;
      const outputs = typeof cell.getOutputs === "function" ? cell.getOutputs() : cell.toJSON?.().outputs || [];
      if (outputs.some((/** @type {any} */ o) => o?.data?.[WIDGET_MIME]?.model_id === modelId)) index = i;
    }
    if (index < 0) return false;
    cells.forEach((source, i) => shared.insertCell(index + 1 + i, { cell_type: "code", source, metadata: {} }));
    return true;
  } catch {
    return false;
  }
}

/** @param {{ model: AnyModel }} _ctx */
export function initialize(_ctx) {
  return () => {};
}

/** @param {{ model: AnyModel, el: HTMLElement }} ctx */
export function render({ model, el }) {
  const view = new LessonView(model, el);
  return () => view.dispose();
}

export default { initialize, render };
