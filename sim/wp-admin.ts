/**
 * @module
 * Changes made on a simulated site outside the Dashboard ("in wp-admin"), reported the way MainWP Child
 * 6.1 reports them in a sync reply (fixtures 57/58): a deactivation becomes a `child_site_actions_data`
 * entry (keyed by a time-based id, the item's name in `meta_data.extra_info`), an activation a row of the
 * newer change log (`changes_logs_data`, keyed by log id, log type 1461, the plugin header in
 * `meta_data.plugindata`), which the child sends only when the request carries `params_logs[events_count]`.
 *
 * @example
 * ```ts
 * const log = new WpAdminLog();
 * log.pluginChange({ file: "hello.php", name: "Hello Dolly", version: "1.7.2", author: "Matt" }, "activate", ADMIN);
 * log.changesLogs(new URLSearchParams("params_logs[events_count]=100")); // { "1": { log_type_id: 1461, … } }
 * ```
 */

/** The wp-admin user making a change. */
export interface WpAdminUser {
  id: number;
  login: string;
  role: string;
}

/** The plugin a change is about. */
export interface WpAdminPlugin {
  file: string;
  name: string;
  version: string;
  author: string;
}

interface ChangeLogRow {
  id: number;
  createdOn: number;
  logTypeId: number;
  row: Record<string, unknown>;
}

const ROLE_LABELS: Record<string, string> = { administrator: "Administrator", editor: "Editor" };
/** Entries kept per kind (oldest dropped). */
const MAX_ENTRIES = 500;

/** Reads `params_logs[...]` of a form as the child's `$_POST['params_logs']` (an array or nothing). */
export function logsParams(fields: URLSearchParams): Map<string, string[]> | null {
  const out = new Map<string, string[]>();
  for (const [name, value] of fields) {
    const match = /^params_logs\[([^\]]*)\](?:\[[^\]]*\])?$/.exec(name);
    if (!match) continue;
    out.set(match[1], [...(out.get(match[1]) ?? []), value]);
  }
  return out.size > 0 ? out : null;
}

/** One site's record of wp-admin changes. */
export class WpAdminLog {
  #actions = new Map<string, Record<string, unknown>>();
  #logs: ChangeLogRow[] = [];
  #nextLogId = 1;
  #ignored = new Set<number>();

  /**
   * Records a plugin (de)activation made in wp-admin by `user`, now.
   *
   * @example
   * ```ts
   * log.pluginChange(plugin, "deactivate", { id: 1, login: "admin", role: "administrator" });
   * ```
   */
  pluginChange(plugin: WpAdminPlugin, action: "activate" | "deactivate", user: WpAdminUser): void {
    const now = Date.now() / 1000;
    if (action === "deactivate") {
      const key = `${Math.floor(now)}${String(1000 + this.#actions.size % 9000)}`;
      this.#actions.set(key, {
        context: "plugins",
        action: "deactivated",
        action_user: user.login,
        created: now,
        summary: `"${plugin.name}" plugin deactivated `,
        meta_data: {
          user_meta: {
            wp_user_id: user.id,
            display_name: user.login,
            role: user.role,
            user_role_label: ROLE_LABELS[user.role] ?? user.role,
            agent: "",
            full_name: "",
            username: user.login,
            ip: "127.0.0.1",
            action_user: user.login,
          },
          extra_info: { name: plugin.name, slug: plugin.file },
          slug: plugin.file,
        },
        duration: 0.02,
      });
      if (this.#actions.size > MAX_ENTRIES) this.#actions.delete(this.#actions.keys().next().value!);
      return;
    }
    const id = this.#nextLogId++;
    this.#logs.push({
      id,
      createdOn: now,
      logTypeId: 1461,
      row: {
        id,
        blog_id: 1,
        log_type_id: 1461,
        created_on: now.toFixed(6),
        client_ip: "127.0.0.1",
        context: "plugin",
        action_name: "activated",
        user_agent: "Mozilla/5.0 (X11; Linux x86_64)",
        user_roles: user.role,
        username: user.login,
        user_id: user.id,
        duration: 0,
        post_status: "",
        post_type: "",
        post_id: 0,
        meta_data: {
          slug: plugin.file,
          plugindata: { name: plugin.name, pluginuri: "", version: plugin.version, author: plugin.author },
          user_data: { first_name: "", last_name: "" },
          user_meta: { wp_user_id: user.id, display_name: user.login, agent: "", action_user: user.login },
        },
      },
    });
    this.#logs = this.#logs.slice(-MAX_ENTRIES);
  }

  /**
   * `child_site_actions_data`: the entries newer than `child_actions_last_created`, `[]` when none.
   *
   * @example
   * ```ts
   * log.syncActions(new URLSearchParams("child_actions_last_created=0"));
   * ```
   */
  syncActions(fields: URLSearchParams): Record<string, unknown> | [] {
    const after = Number(fields.get("child_actions_last_created") ?? 0) || 0;
    const out: Record<string, unknown> = {};
    for (const [key, entry] of this.#actions) {
      if (Math.round(Number(entry.created) * 10_000) / 10_000 > after) out[key] = entry;
    }
    return Object.keys(out).length > 0 ? out : [];
  }

  /**
   * `changes_logs_data`: `""` without `params_logs[events_count]`; else the rows newer than
   * `params_logs[newer_than]` whose type is not ignored, oldest first, at most `events_count`, keyed by
   * log id (`[]` when none). Also stores the ignore list the request carries, as the child does.
   *
   * @example
   * ```ts
   * log.changesLogs(new URLSearchParams("params_logs[events_count]=100&params_logs[newer_than]=0"));
   * ```
   */
  changesLogs(fields: URLSearchParams): Record<string, unknown> | [] | "" {
    const params = logsParams(fields);
    if (params === null) return "";
    const ignored = params.get("ignore_sync_changes_logs");
    if (ignored) this.#ignored = new Set(ignored.map(Number).filter((n) => Number.isInteger(n) && n > 0));
    const limit = Math.trunc(Number(params.get("events_count")?.[0] ?? 0));
    if (!(limit > 0)) return "";
    const newer = Number(params.get("newer_than")?.[0] ?? 0) || 0;
    const rows = this.#logs
      .filter((l) => l.createdOn > newer && !this.#ignored.has(l.logTypeId))
      .slice(0, limit);
    return rows.length > 0 ? Object.fromEntries(rows.map((l) => [String(l.id), l.row])) : [];
  }

  /** `dbsize_activitylogs`: a plausible size of the change-log tables, in bytes. */
  dbSize(): number {
    return 16_384 * (10 + this.#logs.length);
  }
}
