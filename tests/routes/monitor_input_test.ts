/** The monitors routes' input readers: heartbeat windows (`period`, `since`) as MainWP validates them. */
import { assertEquals, assertThrows } from "@std/assert";
import { isoTime, windowOf } from "../../routes/monitor-input.ts";

Deno.test("heartbeat windows: named periods, ISO ranges, since; MainWP's refusals", () => {
  const now = Date.UTC(2026, 0, 31);
  assertEquals(windowOf(undefined, undefined, now), { from: now - 30 * 86_400_000, to: now });
  assertEquals(windowOf("24h", undefined, now), { from: now - 86_400_000, to: now });
  assertEquals(windowOf("2026-01-01T00:00:00Z/2026-01-02", undefined, now), {
    from: Date.UTC(2026, 0, 1),
    to: Date.UTC(2026, 0, 2),
  });
  assertEquals(windowOf("7d", "2026-01-30T12:00:00+02:00", now).from, Date.UTC(2026, 0, 30, 10));
  assertEquals(isoTime("2026-01-01 10:00:00"), Date.UTC(2026, 0, 1, 10));
  assertEquals(isoTime("tomorrow"), null);
  for (const [period, since] of [["1y", ""], ["a/b", ""], ["2026-01-02/2026-01-01", ""], ["7d", "soon"]]) {
    assertThrows(() => windowOf(period, since, now));
  }
});
