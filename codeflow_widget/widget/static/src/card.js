// @ts-check
/**
 * The project card's behaviour around project.js's rendering: 下载 (the zip as a real
 * download), 插入运行单元 (cells below this widget's cell, or the code to copy), and the
 * kernel's player widget embedded in one slot that survives re-renders of the card.
 */
import { fmt, h } from "./dom.js";
import { embedWidget, insertBelow, renderProject } from "./project.js";

export class ProjectCard {
  /** @param {import("./view.js").LessonView} view */
  constructor(view) {
    this.view = view;
    this.model = view.model;
    this.el = h("div", { class: "cf-project" });
    this.playerSlot = h("div", { class: "cf-player-slot" });
    /** @type {string | null} */ this.playerId = null;
    /** @type {any} */ this.playerView = null;
    /** @type {{text: string, code: string} | null} */ this.insertNote = null;
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
      playerSlot: this.playerSlot,
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
    setTimeout(() => URL.revokeObjectURL(url), 30000);
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
}
