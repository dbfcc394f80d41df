// @ts-check
/**
 * The view's head row: the title, the provider badge (or 离线示例模式), the pace segments
 * (慢 / 适中 / 快 / 立即) and the language switch (中文 / English), which relabels the view at
 * once, before the kernel has answered; and the honest line under it when a run has ended
 * without finishing (``infoText``).
 */
import { fmt, h } from "./dom.js";

export const PACES = ["slow", "normal", "fast", "instant"];

export class Header {
  /** @param {{setPace: (pace: string) => void, setLanguage: (lang: string) => void}} view */
  constructor(view) {
    this.titleEl = h("div", { class: "cf-title" });
    this.badge = h("span", { class: "cf-badge" });
    this.paceLabel = h("span", { class: "cf-pace-label" });
    this.paceBtns = PACES.map((pace) =>
      h("button", { class: "cf-seg", type: "button", "data-pace": pace, onclick: () => view.setPace(pace) }),
    );
    this.paceGroup = h("div", { class: "cf-pace", role: "group" }, [this.paceLabel, ...this.paceBtns]);
    this.langZh = h("button", { class: "cf-seg", type: "button", onclick: () => view.setLanguage("zh") }, ["中文"]);
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
}

/**
 * The line under the head row: the page was reopened without its kernel (with where the
 * project is on disk and how to see it again), the kernel restarted or went silent, the learner
 * stopped the run, or a re-run cell replaced this view.
 * @param {string} kernelState "" | "lost" | "gone" @param {string} status @param {string} errorCode
 * @param {any} project @param {any} L
 */
export function infoText(kernelState, status, errorCode, project, L) {
  if (kernelState === "gone") return (project.path ? fmt(L.reloaded, { path: project.path }) : L.reloadedNoProject) || "";
  if (kernelState === "lost") return L.kernelLost || "";
  if (status === "stopped") return (errorCode === "view.replaced" ? L.replaced : L.stoppedNote) || "";
  return "";
}
