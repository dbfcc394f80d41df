// @ts-check
/**
 * Talking to the kernel: commands with an `id`, answered `{id, result}` or `{id, error}`, and
 * a heartbeat while a run is live, so a restarted or vanished kernel ends in an honest state
 * instead of a timer ticking forever.
 */

/**
 * @typedef {{ get(name: string): any, set(name: string, value: any): void, save_changes(): void,
 *   send(content: any, callbacks?: any, buffers?: ArrayBuffer[]): void,
 *   on(name: string, cb: Function): void, off(name?: string | null, cb?: Function | null): void,
 *   widget_manager?: any }} AnyModel
 */

export class NoKernel extends Error {}

const MISSES = 3;

let viewCounter = 0;

export class Kernel {
  /** @param {AnyModel} model */
  constructor(model) {
    this.model = model;
    this.viewId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}${++viewCounter}`;
    this.counter = 0;
    /** @type {Map<string, {resolve: Function, reject: Function, timer: any}>} */
    this.pending = new Map();
  }

  /**
   * @param {string} kind @param {Record<string, any>} [payload] @param {number} [timeoutMs] 0 = wait
   * @returns {Promise<{result: any, buffers: DataView[]}>}
   */
  command(kind, payload = {}, timeoutMs = 30000) {
    const id = `${this.viewId}-${++this.counter}`;
    return new Promise((resolve, reject) => {
      const timer = timeoutMs
        ? setTimeout(() => {
            this.pending.delete(id);
            reject(new NoKernel(kind));
          }, timeoutMs)
        : null;
      this.pending.set(id, { resolve, reject, timer });
      try {
        this.model.send({ kind, id, ...payload });
      } catch {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new NoKernel(kind));
      }
    });
  }

  /** A response from the kernel: true when it was one of ours. @param {any} msg @param {DataView[]} buffers */
  answer(msg, buffers) {
    const entry = this.pending.get(msg.id);
    if (!entry) return false; // another view's command
    this.pending.delete(msg.id);
    clearTimeout(entry.timer);
    if (msg.error !== undefined) entry.reject(new Error(String(msg.error)));
    else entry.resolve({ result: msg.result, buffers: buffers || [] });
    return true;
  }

  dispose() {
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    this.pending.clear();
  }
}

/**
 * Ping the kernel every few seconds while `live()`; three silent pings in a row (about half a
 * minute without a word) call `lost()`. A kernel busy for a few seconds — a trial run, a long
 * cell — is not lost, so the bar is deliberately high; any later answer calls `back()`.
 */
export class Heartbeat {
  /** @param {Kernel} kernel @param {() => boolean} live @param {() => void} lost @param {() => void} back */
  constructor(kernel, live, lost, back) {
    this.misses = 0;
    this.timer = setInterval(async () => {
      if (!live()) return;
      try {
        await kernel.command("ping", {}, 9000);
        if (this.misses >= MISSES) back();
        this.misses = 0;
      } catch (err) {
        if (!(err instanceof NoKernel)) return;
        this.misses += 1;
        if (this.misses === MISSES) lost();
      }
    }, 5000);
  }

  dispose() {
    clearInterval(this.timer);
  }
}
