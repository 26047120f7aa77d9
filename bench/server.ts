/**
 * @module
 * Runs a Fleetpress server as a separate process for benchmarks (so its memory is measured alone) and
 * reads its peak resident set size from `/proc`.
 *
 * @example
 * ```ts
 * await using server = await startServerProcess({ KV_PATH: "/tmp/x.kv" });
 * console.log(server.base, await server.peakRssMb());
 * ```
 */

const ROOT = new URL("../", import.meta.url).pathname;

/**
 * The arguments of `deno task start` (after `deno`), so benchmarks measure the server exactly as it is
 * started, V8 flags included.
 *
 * @example
 * ```ts
 * await startTaskArgs(); // ["run", "--allow-net", …, "main.ts"]
 * ```
 */
export async function startTaskArgs(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const task = String(config.tasks.start);
  return task.replace(/^deno\s+/, "").split(/\s+/);
}

/** A running server process. */
export interface ServerProcess extends AsyncDisposable {
  /** `http://127.0.0.1:PORT/wp-json` */
  base: string;
  pid: number;
  /** Peak RSS (VmHWM) in MiB, or NaN where `/proc` is unavailable; after the process died, the last sample. */
  peakRssMb(): Promise<number>;
  /** Settles when the process ends (for whatever reason). */
  exited: Promise<Deno.CommandStatus>;
  /** The exit status once the process has ended, `null` while it runs. */
  readonly exitStatus: Deno.CommandStatus | null;
  /** Sends a signal (e.g. `SIGKILL` for a crash) and waits for the process to end. */
  kill(signal: Deno.Signal): Promise<void>;
}

/**
 * Starts `main.ts` on a free loopback port with the given environment.
 *
 * @example
 * ```ts
 * const server = await startServerProcess({ KV_PATH: kvPath });
 * ```
 */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: await startTaskArgs(),
    cwd: ROOT,
    env: { PORT: "0", HOSTNAME: "127.0.0.1", ...env },
    stdout: "piped",
    stderr: "inherit",
    stdin: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let banner = "";
  for (let i = 0; i < 100 && !/:(\d+)\/wp-json/.test(banner); i++) {
    const { value, done } = await reader.read();
    if (done) break;
    banner += value;
  }
  const port = Number(banner.match(/:(\d+)\/wp-json/)?.[1]);
  if (!port) {
    child.kill();
    throw new Error(`server did not start: ${banner}`);
  }
  let exitStatus: Deno.CommandStatus | null = null;
  const exited = child.status.then((status) => exitStatus = status);
  // Sampled while the process lives, so a process that died still has a peak to report.
  let sampledHwmKb = Number.NaN;
  const readHwmKb = async () => {
    const status = await Deno.readTextFile(`/proc/${child.pid}/status`);
    return Number(status.match(/VmHWM:\s+(\d+) kB/)?.[1]);
  };
  const sampler = setInterval(() => {
    if (exitStatus) return;
    // A dying (zombie) process has no VmHWM line: keep the last real sample.
    readHwmKb().then(
      (kb) => Number.isFinite(kb) && (sampledHwmKb = Math.max(kb, sampledHwmKb || 0)),
      () => {},
    );
  }, 200);
  exited.finally(() => clearInterval(sampler));
  // Keep draining stdout so the process never blocks on a full pipe.
  (async () => {
    try {
      while (!(await reader.read()).done) { /* drain */ }
    } catch { /* closed */ }
  })();
  return {
    base: `http://127.0.0.1:${port}/wp-json`,
    pid: child.pid,
    exited,
    get exitStatus() {
      return exitStatus;
    },
    async peakRssMb() {
      if (exitStatus) return sampledHwmKb / 1024;
      try {
        const kb = await readHwmKb();
        if (Number.isFinite(kb)) sampledHwmKb = Math.max(kb, sampledHwmKb || 0);
        return sampledHwmKb / 1024;
      } catch (error) {
        if (!Number.isNaN(sampledHwmKb)) return sampledHwmKb / 1024;
        console.error(`peak RSS unavailable: ${error}`);
        return Number.NaN;
      }
    },
    async kill(signal) {
      try {
        child.kill(signal);
      } catch { /* already gone */ }
      await child.status;
    },
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* already gone */ }
      }, 10_000);
      await child.status;
      clearTimeout(timer);
    },
  };
}
