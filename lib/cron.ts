/**
 * @module
 * A wake-up every minute through `Deno.cron`, where it exists (Deno Deploy, `--unstable-cron`): in poll
 * mode idle instances sleep, and the cron wakes one. `Deno.cron` names must be unique per process and can
 * never be removed, so each name is registered once and calls whichever callback was set for it last.
 *
 * @example
 * ```ts
 * const stop = everyMinute("fleetpress-jobs", () => console.log("tick"));
 * stop();
 * ```
 */

type CronFn = (name: string, schedule: string, fn: () => unknown) => unknown;

const current = new Map<string, () => unknown>();

/**
 * Calls `fn` every minute under `name` when `Deno.cron` exists (else does nothing). Returns a function
 * that stops calling it (a later registration under the same name takes over).
 *
 * @example
 * ```ts
 * const stop = everyMinute("fleetpress-monitors", () => {});
 * stop();
 * ```
 */
export function everyMinute(name: string, fn: () => unknown): () => void {
  const cron = (Deno as unknown as { cron?: CronFn }).cron;
  if (typeof cron !== "function") return () => {};
  if (!current.has(name)) {
    try {
      cron(name, "* * * * *", () => current.get(name)?.());
    } catch (error) {
      console.error(`[fleetpress] Deno.cron "${name}" could not be registered:`, error);
      return () => {};
    }
  }
  current.set(name, fn);
  return () => {
    if (current.get(name) === fn) current.set(name, () => {});
  };
}
