// @ts-check
/**
 * Follow the lesson: while a run is live, the newest text stays in view, scrolled smoothly —
 * unless the learner scrolls away on purpose (wheel, touch, keys). Then a small
 * "回到当前步骤" chip brings them back, and following resumes.
 */
import { h } from "./dom.js";

const SCROLL_EVERY_MS = 400;
const KEYS = new Set(["PageUp", "PageDown", "Home", "End", "ArrowUp", "ArrowDown", " "]);

export class Follower {
  /** @param {HTMLElement} root @param {() => Element | null} target */
  constructor(root, target) {
    this.root = root;
    this.target = target;
    this.following = true;
    this.live = false;
    this.last = 0;
    this.chip = h("button", { class: "cf-btn cf-back", type: "button", hidden: true, onclick: () => this.resume() });
    root.append(this.chip);
    this.onUser = (/** @type {Event} */ e) => {
      if (!this.live) return;
      if (e instanceof KeyboardEvent && (!KEYS.has(e.key) || this.root.contains(/** @type {Node} */ (e.target)))) return;
      this.following = false;
      this.chip.hidden = false;
    };
    for (const name of ["wheel", "touchmove", "keydown"]) window.addEventListener(name, this.onUser, { capture: true, passive: true });
  }

  /** @param {string} label */
  label(label) {
    this.chip.textContent = label;
  }

  /** @param {boolean} live a run is on screen right now */
  setLive(live) {
    this.live = live;
    if (!live) this.chip.hidden = true;
  }

  resume() {
    this.following = true;
    this.chip.hidden = true;
    this.last = 0;
    this.nudge(true);
  }

  /** Keep the newest text in view (throttled). @param {boolean} [now] */
  nudge(now = false) {
    if (!this.live || !this.following) return;
    const t = Date.now();
    if (!now && t - this.last < SCROLL_EVERY_MS) return;
    this.last = t;
    const el = this.target();
    if (!el) return;
    const box = el.getBoundingClientRect();
    const view = window.innerHeight || document.documentElement.clientHeight;
    if (box.bottom > view - 24 || box.bottom < 80) {
      el.scrollIntoView({ block: box.height > view * 0.7 ? "end" : "center", behavior: "smooth" });
    }
  }

  dispose() {
    for (const name of ["wheel", "touchmove", "keydown"]) window.removeEventListener(name, this.onUser, { capture: true });
    this.chip.remove();
  }
}
