/**
 * @module
 * The monitor record types and constants the surfaces need (routes import no store module).
 *
 * @example
 * ```ts
 * import { MONITOR_TYPES, type Heartbeat } from "./types.ts";
 * ```
 */
export { DOWN, MONITOR_METHODS, MONITOR_TYPES, PENDING, UP } from "../../store/monitors.ts";
export type {
  GlobalMonitorSettings,
  Heartbeat,
  Incident,
  MonitorMethod,
  MonitorOverrides,
  MonitorType,
} from "../../store/monitors.ts";
