/**
 * @module
 * Zod builders for settings fields as MainWP validates them: enums of integers or strings (MainWP's
 * `make_enum_validator`, "Invalid <field>. Allowed values: …."), bounded texts, and checks that report a
 * WordPress error code of their own (`params.wpCode`, which the REST layer shows as the error's code).
 *
 * @example
 * ```ts
 * const schema = z.object({ delay: intEnum("delay", [0, 1, 2]).optional() });
 * schema.parse({ delay: "1" }); // { delay: 1 }
 * ```
 */
import { z } from "zod";
import { sanitizeTextField } from "../../wp/format.ts";
import { NAME_MAX } from "../../lib/limits.ts";

/** A custom issue with MainWP's error code and message. */
export function fail(ctx: z.RefinementCtx, code: string, message: string): typeof z.NEVER {
  ctx.addIssue({ code: "custom", message, params: { wpCode: code } });
  return z.NEVER;
}

/** PHP's `(int)` of a flag or number: booleans are 0/1, numeric strings their value; else `null`. */
export function coerceInt(value: unknown): number | null {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return Number.isInteger(value) ? value : null;
  if (typeof value === "string" && /^\s*-?\d{1,12}\s*$/.test(value)) return Number(value.trim());
  return null;
}

/**
 * An integer that must be one of `allowed` (booleans count as 0/1, numeric strings as their value).
 *
 * @example
 * ```ts
 * intEnum("mainwp_maximum_requests", range(1, 20));
 * ```
 */
export function intEnum(param: string, allowed: readonly number[]) {
  const message = `Invalid ${param}. Allowed values: ${allowed.join(", ")}.`;
  return z.unknown().transform((value, ctx): number => {
    const n = coerceInt(value);
    return n !== null && allowed.includes(n) ? n : fail(ctx, `invalid_${param}`, message);
  }).meta({ type: "integer", enum: [...allowed] });
}

/** A 0/1 flag (true/false, "1"/"0" accepted). */
export const flag = (param: string) => intEnum(param, [0, 1]);

/**
 * A string that must be one of `allowed`.
 *
 * @example
 * ```ts
 * strEnum("frequency_auto_update", ["daily", "weekly", "monthly"]);
 * ```
 */
export function strEnum<const T extends readonly string[]>(param: string, allowed: T) {
  const message = `Invalid ${param}. Allowed values: ${allowed.join(", ")}.`;
  return z.unknown().transform((value, ctx): T[number] => {
    const s = typeof value === "string" ? sanitizeTextField(value) : null;
    return s !== null && allowed.includes(s) ? s : fail(ctx, `invalid_${param}`, message);
  }).meta({ type: "string", enum: [...allowed] });
}

/**
 * A text field, sanitised as `sanitize_text_field` and at most `max` characters.
 *
 * @example
 * ```ts
 * text("title").parse(" Hosting "); // "Hosting"
 * ```
 */
export function text(param: string, max: number = NAME_MAX) {
  return z.unknown().transform((value, ctx): string => {
    if (typeof value !== "string" && typeof value !== "number") {
      return fail(ctx, "rest_invalid_type", `${param} is not of type string.`);
    }
    const s = String(value);
    if (s.length > max) return fail(ctx, "rest_invalid_param", `${param} must be at most ${max} characters.`);
    return sanitizeTextField(s);
  }).meta({ type: "string", maxLength: max });
}

/** A non-negative integer (MainWP's `absint`), bounded. */
export function absInt(param: string, max = 100_000) {
  return z.unknown().transform((value, ctx): number => {
    const n = coerceInt(value);
    if (n === null) return fail(ctx, "rest_invalid_type", `${param} is not of type integer.`);
    return Math.min(Math.abs(n), max);
  }).meta({ type: "integer", minimum: 0, maximum: max });
}

/** `[from, from + step, …, to]`. */
export function range(from: number, to: number, step = 1): number[] {
  const out: number[] = [];
  for (let n = from; n <= to; n += step) out.push(n);
  return out;
}

/**
 * An object of 0/1 toggles whose keys must be among `allowed()` (MainWP's `mainwp_widgets` and
 * `sync_data`); the codes and messages are MainWP's.
 *
 * @example
 * ```ts
 * toggles(["plugins"], "invalid_sync_data_type", "sync data").parse({ plugins: 0 });
 * ```
 */
export function toggles(
  allowed: readonly string[],
  codes: { type: string; keys: string; value: string; valueType: string },
  labels: { object: string; keys: string },
) {
  return z.unknown().transform((value, ctx): Record<string, 0 | 1> => {
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      return fail(ctx, codes.type, `${labels.object} must be an object.`);
    }
    const entries = Object.entries(value as Record<string, unknown>);
    const invalid = entries.map(([k]) => k).filter((k) => !allowed.includes(k));
    if (invalid.length > 0) {
      return fail(
        ctx,
        codes.keys,
        `Invalid ${labels.keys} keys: ${invalid.slice(0, 20).join(", ")}. Allowed keys: ${
          allowed.join(", ")
        }.`,
      );
    }
    const out: Record<string, 0 | 1> = {};
    for (const [k, v] of entries) {
      if (v !== null && typeof v === "object") {
        return fail(ctx, codes.valueType, `Value for "${k}" must be 0 or 1.`);
      }
      const n = coerceInt(v);
      if (n !== 0 && n !== 1) return fail(ctx, codes.value, `Invalid value for "${k}". Allowed: 0 or 1.`);
      out[k] = n;
    }
    return out;
  }).meta({ type: "object", additionalProperties: { type: "integer", enum: [0, 1] } });
}
