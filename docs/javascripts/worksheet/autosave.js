// When to write while the reader types: 400 ms after the last keystroke, but never
// later than 1 s after the first keystroke not yet saved, so continuous typing is on
// disk at least once a second. Pure (the caller passes the times, in ms).

export const SAVE_DEBOUNCE_MS = 400;
export const SAVE_MAX_WAIT_MS = 1000;

/**
 * Delay (ms) of the next write.
 * @param {number} firstUnsavedAt time of the first keystroke not yet saved
 * @param {number} now time of this keystroke
 */
export function saveDelay(firstUnsavedAt, now, debounce = SAVE_DEBOUNCE_MS, maxWait = SAVE_MAX_WAIT_MS) {
  return Math.max(0, Math.min(debounce, firstUnsavedAt + maxWait - now));
}
