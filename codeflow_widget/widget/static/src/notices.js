// @ts-check
/**
 * The honest line under the head row when a run has ended without finishing: the page was
 * reopened without its kernel (with where the project is on disk and how to see it again),
 * the kernel restarted or went silent, the learner stopped the run, or a re-run cell
 * replaced this view. Also the message for an output whose widget model is gone.
 */
import { fmt } from "./dom.js";

/**
 * @param {string} kernelState "" | "lost" | "gone" @param {string} status @param {string} errorCode
 * @param {any} project @param {any} L
 */
export function infoText(kernelState, status, errorCode, project, L) {
  if (kernelState === "gone") return (project.path ? fmt(L.reloaded, { path: project.path }) : L.reloadedNoProject) || "";
  if (kernelState === "lost") return L.kernelLost || "";
  if (status === "stopped") return (errorCode === "view.replaced" ? L.replaced : L.stoppedNote) || "";
  return "";
}
