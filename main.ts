/**
 * @module
 * Starts the Fleetpress server: reads configuration from the environment, opens Deno KV, builds the app
 * and listens. Invalid configuration stops it with one line on stderr.
 *
 * @example
 * ```sh
 * PORT=8080 KV_PATH=./data/fleetpress.kv deno task start
 * ```
 */
import { ConfigError, loadConfig } from "./lib/config.ts";
import { openStore } from "./store/open.ts";
import { createApp } from "./app.ts";

if (import.meta.main) {
  try {
    const config = loadConfig(Deno.env.toObject());
    const kv = await openStore(config.kvPath);
    // The server's connector keeps connections to sites alive (closed at shutdown); tests' apps do not.
    const { app, ctx } = await createApp({ config, kv, child: { reuseConnections: true } });
    const stopJobs = ctx.jobs.start();
    const stopMonitors = ctx.monitors.start();
    const stopSchedule = ctx.schedule.start();
    const stopWebhooks = ctx.webhooks.start();
    const shutdown = async () => {
      await stopMonitors();
      await stopSchedule();
      await stopJobs();
      await stopWebhooks();
      ctx.child.close();
      kv.close();
      Deno.exit(0);
    };
    Deno.addSignalListener("SIGINT", shutdown);
    if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", shutdown);
    Deno.serve(
      {
        port: config.port,
        hostname: config.hostname,
        onListen: ({ hostname, port }) =>
          console.log(`Fleetpress listening on http://${hostname}:${port}/wp-json/ (KV: ${config.kvPath})`),
      },
      (req, info) => app.fetch(req, { remoteAddr: info.remoteAddr as Deno.NetAddr }),
    );
  } catch (error) {
    const message = error instanceof ConfigError
      ? error.message
      : `Fleetpress failed to start: ${error instanceof Error ? error.message : error}`;
    console.error(message);
    Deno.exit(1);
  }
}
