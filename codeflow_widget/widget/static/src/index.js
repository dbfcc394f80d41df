// @ts-check
/**
 * The anywidget entry: the default export `{ initialize, render }` (the form anywidget asks
 * for; named exports alone are deprecated). Bundled with esbuild into ../widget.js, which is
 * committed, so users and CI need no build step: `npm run build` after editing these sources.
 */
import { LessonView } from "./view.js";

export default {
  /** @param {{ model: any }} _ctx */
  initialize(_ctx) {
    return () => {};
  },
  /** @param {{ model: any, el: HTMLElement }} ctx */
  render({ model, el }) {
    const view = new LessonView(model, el);
    return () => view.dispose();
  },
};
