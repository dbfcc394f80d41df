// @ts-check
/**
 * Changing what was made: the 继续改进 box, the 逐步 toggle and the editor at a step-mode
 * checkpoint, the diffs of a change (changed lines highlighted), the versions list (each with its
 * diff, one click to restore, and 撤销 on a version whose trial run crashed), and the
 * requirement → plan → code panel (hover R2: its plan items and its lines of code light up).
 *
 * Its own module, mounted by view.js: `new ChangesPanel(model, act, labels)`; `panel.el` goes
 * below the findings and the project card (the 逐步 toggle is its first row). It listens to its traits
 * (versions, change, checkpoint, step_mode, trace, project, status, texts, language) and sends
 * commands through `act(kind, payload)` (the view's, so errors land in the banner). Text from
 * the kernel is only ever set as textContent.
 */
import { fill, fmt, h } from "./dom.js";

const TRAITS = ["versions", "change", "checkpoint", "step_mode", "trace", "project", "status", "texts", "language"];
const RUNNING = new Set(["pending", "processing", "retrying"]);

/** @param {string} text */
export function diffView(text) {
  const lines = String(text || "").split("\n");
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  return h("pre", { class: "cf-diff" }, lines.map((line) => {
    const cls = line.startsWith("+++") || line.startsWith("---") ? "" : line.startsWith("+") ? "cf-add"
      : line.startsWith("-") ? "cf-del" : line.startsWith("@@") ? "cf-hunk" : "";
    return h("span", { class: cls || undefined, text: `${line}\n` });
  }));
}

export class ChangesPanel {
  /**
   * @param {any} model
   * @param {(kind: string, payload?: Record<string, any>) => Promise<any>} act
   * @param {() => Record<string, any>} labels
   */
  constructor(model, act, labels) {
    this.model = model;
    this.act = act;
    this.labels = labels;
    /** @type {Record<number, string>} */
    this.openDiffs = {};
    this.el = h("div", { class: "cf-ch", "data-part": "changes" });
    this.body = h("div", { class: "cf-ch" });
    this.el.append(this.body);
    this.stepBox = h("input", { type: "checkbox", "data-act": "step_mode", onchange: () => this.setStep() });
    this.stepLabel = h("span");
    this.toggle = h("label", { class: "cf-toggle" }, [this.stepBox, this.stepLabel]);
    this.followInput = h("textarea", { rows: 2, "data-part": "follow-up-input", onkeydown: (/** @type {KeyboardEvent} */ e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); this.followUp(); }
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

  get L() { return this.labels() || {}; }

  setStep() {
    this.model.set("step_mode", this.stepBox.checked);
    this.model.save_changes();
  }

  async followUp() {
    const text = this.followInput.value.trim();
    if (!text) return;
    const answer = await this.act("follow_up", { text });
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
    if (!cp.phase) { this.editorFor = ""; return null; }
    const key = `${cp.phase}:${cp.text.length}:${cp.text.slice(0, 40)}`;
    if (this.editorFor !== key) { this.editor.value = cp.text; this.editorFor = key; this.redoNote.value = ""; }
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
        h("button", { class: "cf-btn", type: "button", "data-act": "redo", onclick: redo }, [L.redo || ""]),
      ]),
    ]);
  }

  /** @param {any} L */
  diffsView(L) {
    const diffs = (this.model.get("change") || {}).diffs || [];
    if (!diffs.length) return null;
    return h("div", { class: "cf-ch-box", "data-part": "change-diffs" }, diffs.map((/** @type {any} */ d) =>
      h("div", { "data-file": d.file, "data-kind": d.kind }, [
        h("h4", { text: fmt(d.kind === "redo" ? L.redoDiffTitle : L.diffTitle, { file: d.file }) }),
        diffView(d.diff),
      ])));
  }

  /** @param {any} L */
  followUpView(L) {
    this.followInput.placeholder = L.followUpPlaceholder || "";
    return h("div", { class: "cf-ch-box", "data-part": "follow-up" }, [
      h("h4", { text: L.followUpTitle || "" }),
      this.followInput,
      h("div", { class: "cf-ch-row" }, [
        h("button", { class: "cf-btn cf-primary", type: "button", "data-act": "follow_up", onclick: () => this.followUp() }, [L.followUpButton || ""]),
      ]),
    ]);
  }

  /** @param {any} L @param {boolean} running */
  versionsView(L, running) {
    const versions = this.model.get("versions") || [];
    if (!versions.length) return null;
    const last = versions[versions.length - 1];
    const items = [...versions].reverse().map((/** @type {any} */ v) => {
      const smoke = v.smoke ? (v.crashed ? L.versionCrashed : L.versionOk) : "";
      const buttons = [
        h("button", { class: "cf-btn", type: "button", "data-act": "version_diff", onclick: () => this.toggleDiff(v.n) }, [L.versionDiff || ""]),
      ];
      if (v.n !== last.n) {
        buttons.push(h("button", { class: "cf-btn", type: "button", "data-act": "restore", disabled: running, onclick: () => this.act("restore", { n: v.n }) }, [L.versionRestore || ""]));
      } else if (v.crashed && versions.length > 1) {
        buttons.push(h("button", { class: "cf-btn cf-primary", type: "button", "data-act": "undo", disabled: running, onclick: () => this.act("undo") }, [L.versionUndo || ""]));
      }
      const kind = L[`kind_${v.kind}`] || v.kind;
      const current = v.n === last.n ? ` · ${L.versionCurrent || ""}` : "";
      return h("li", { "data-version": String(v.n), "data-crashed": String(!!v.crashed) }, [
        h("div", { class: "cf-v-head" }, [
          h("strong", { text: `v${v.n}${current}` }), h("span", { text: kind }), h("span", { class: "cf-v-wish", text: v.wish }),
          h("span", { class: "cf-v-files", text: `${(v.files_changed || []).join(", ")}${smoke ? ` · ${smoke}` : ""}` }),
          ...buttons,
        ]),
        this.openDiffs[v.n] !== undefined ? diffView(this.openDiffs[v.n]) : null,
      ]);
    });
    return h("div", { class: "cf-ch-box", "data-part": "versions" }, [h("h4", { text: L.versionsTitle || "" }), h("ul", { class: "cf-versions" }, items)]);
  }

  /** @param {number} n */
  async toggleDiff(n) {
    if (this.openDiffs[n] !== undefined) { delete this.openDiffs[n]; this.update(); return; }
    const answer = await this.act("version_diff", { n });
    if (answer && answer.result) { this.openDiffs[n] = answer.result.diff || ""; this.update(); }
  }

  /** @param {any} L */
  traceView(L) {
    const trace = this.model.get("trace") || {};
    const reqs = trace.requirements || [];
    if (!reqs.some((/** @type {any} */ r) => r.explicit)) return null;
    /** @type {HTMLElement[]} */
    const linked = [];
    const mark = (/** @type {string} */ rid, /** @type {boolean} */ on) => {
      for (const node of linked) node.classList.toggle("cf-hl", on && (node.dataset.ids || "").split(" ").includes(rid));
    };
    const item = (/** @type {string} */ text, /** @type {string[]} */ ids) => {
      const li = h("li", { "data-ids": ids.join(" "), text });
      linked.push(li);
      return li;
    };
    const reqItems = reqs.map((/** @type {any} */ r) => {
      const li = item(r.text, [r.id]);
      li.classList.add("cf-rid");
      li.dataset.rid = r.id;
      li.tabIndex = 0;
      for (const [ev, on] of [["mouseenter", true], ["focus", true], ["mouseleave", false], ["blur", false]]) {
        li.addEventListener(String(ev), () => mark(r.id, !!on));
      }
      return li;
    });
    const planItems = (trace.plan || []).map((/** @type {any} */ p) => item(p.text, p.ids));
    const codeItems = (trace.code || []).map((/** @type {any} */ c) => item(`${c.file}:${c.line} ${c.function} — ${c.text}`, c.ids));
    const column = (/** @type {HTMLElement[]} */ items, /** @type {string} */ part) =>
      h("ul", { "data-part": part }, items.length ? items : [h("li", { text: L.traceNone || "" })]);
    return h("div", { class: "cf-ch-box", "data-part": "trace" }, [
      h("h4", { text: L.traceTitle || "" }),
      h("p", { class: "cf-v-files", text: L.traceHint || "" }),
      h("div", { class: "cf-trace" }, [column(reqItems, "trace-requirements"), column(planItems, "trace-plan"), column(codeItems, "trace-code")]),
    ]);
  }
}
