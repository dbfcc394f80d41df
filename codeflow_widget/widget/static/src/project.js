// @ts-check
/**
 * The finished project's card: where it is, what it needs, how its trial run went, every file
 * in the zip (with the total), how to run it in a terminal, and the 运行 / 下载 / 插入运行单元
 * buttons. Cells are inserted through the notebook's document model when the host gives one;
 * otherwise the code is offered to copy.
 */
import { fill, fmt, h, size } from "./dom.js";

const WIDGET_MIME = "application/vnd.jupyter.widget-view+json";

/** @param {any} node @returns {HTMLElement} */
export function tree(node) {
  if (!node) return h("span");
  const item = (/** @type {any} */ n) =>
    n.type === "directory"
      ? h("li", { class: "cf-dir" }, [h("span", { text: `${n.name}/` }), h("ul", {}, (n.children || []).map(item))])
      : h("li", { class: "cf-file" }, [h("span", { text: n.name }), h("span", { class: "cf-size", text: size(n.size || 0) })]);
  return h("ul", { class: "cf-tree" }, [item(node)]);
}

/**
 * @param {HTMLElement} el @param {any} project @param {any} L
 * @param {{runStatus: string, runOutput: string, insertNote: any, run: Function, runWindow: Function,
 *   download: Function, insert: Function, playerSlot: HTMLElement}} ctx
 */
export function renderProject(el, project, L, ctx) {
  el.hidden = !project.name;
  if (!project.name) return el.replaceChildren();
  const deps = project.dependencies?.length ? project.dependencies.join(", ") : L.noDeps;
  const smoke = project.smoke_run;
  const buttons = [];
  if (!project.kept) {
    buttons.push(h("button", { class: "cf-btn cf-primary", type: "button", disabled: ctx.runStatus === "running", onclick: ctx.run }, [L.run]));
    // On a machine with a display the kernel also offers a real window (through the same launcher).
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
      h("dt", { text: L.path }), h("dd", {}, [h("code", { text: project.path })]),
      h("dt", { text: L.deps }), h("dd", { text: deps }),
      smoke ? h("dt", { text: L.smoke }) : null,
      smoke ? h("dd", { class: smoke.ok ? "cf-ok" : "cf-bad", text: `${smoke.ok ? "✓" : "✗"} ${smoke.message}` }) : null,
      project.run_command ? h("dt", { text: L.runCommand }) : null,
      project.run_command ? h("dd", {}, [h("code", { class: "cf-run-command", text: project.run_command })]) : null,
      h("dt", { text: L.files }), h("dd", {}, [total ? h("div", { class: "cf-total", text: total }) : null, tree(project.tree)]),
    ]),
    h("div", { class: "cf-actions" }, buttons),
    ctx.runStatus === "running" ? h("p", { class: "cf-running-note", text: L.running }) : null,
    ctx.runOutput ? h("pre", { class: `cf-run-output cf-run-${ctx.runStatus}`, text: ctx.runOutput }) : null,
    // The in-cell player (its own widget) lives in one slot that survives re-renders of the card.
    project.player_model ? h("p", { class: "cf-player-note", text: L.playerHere }) : null,
    project.player_model ? ctx.playerSlot : null,
    ctx.insertNote ? h("p", { class: "cf-insert-note", role: "status", text: ctx.insertNote.text }) : null,
    ctx.insertNote?.code ? h("pre", { class: "cf-insert-code", text: ctx.insertNote.code }) : null,
  );
}

/**
 * Show a child widget (the player) inside ``slot``: the host's widget manager builds its view,
 * exactly as if the kernel had displayed it in an output area. Returns the view, to remove later.
 * @param {any} model @param {string} modelId @param {HTMLElement} slot
 */
export async function embedWidget(model, modelId, slot) {
  const manager = model.widget_manager;
  const child = await manager.get_model(modelId);
  const view = await manager.create_view(child, {});
  slot.replaceChildren(view.el);
  view.trigger?.("displayed");
  return view;
}

/**
 * Insert code cells below the cell that shows this widget, through the notebook document's
 * model (JupyterLab 4 and Notebook 7 widget managers carry the document context): one call
 * that creates the cells in the document's own Y.Doc.
 * @param {any} model @param {string} modelId @param {string[]} cells
 */
export function insertBelow(model, modelId, cells) {
  try {
    const shared = model.widget_manager?.context?.model?.sharedModel;
    if (!shared || typeof shared.insertCells !== "function") return false;
    const list = shared.cells || [];
    let index = -1;
    for (let i = 0; i < list.length; i++) {
      const cell = list[i];
      if (cell.cell_type !== "code") continue;
      const outputs = typeof cell.getOutputs === "function" ? cell.getOutputs() : [];
      if (outputs.some((/** @type {any} */ o) => o?.data?.[WIDGET_MIME]?.model_id === modelId)) index = i;
    }
    if (index < 0) return false;
    shared.insertCells(index + 1, cells.map((source) => ({ cell_type: "code", source, metadata: {} })));
    return true;
  } catch {
    return false;
  }
}
