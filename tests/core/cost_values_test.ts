import { assertEquals } from "@std/assert";
import { escUrlRaw, formatPrice, nextRenewal, parseRenewalDate } from "../../core/cost-values.ts";

const APRIL_1_2024 = 1711929600;

Deno.test("cost dates: lenient parsing, renewal steps rolled past today, price and URL formats", () => {
  for (
    const text of [
      "2024-04-01",
      "2024-04-01 00:00:00",
      "2024-04-01T00:00:00Z",
      "2024-04-01T02:00:00+02:00",
      "2024/04/01",
      "04/01/2024",
      "01-04-2024",
      "1 April 2024",
      "April 1, 2024",
      "Apr 1st 2024",
      "20240401",
      "@1711929600",
      "1711929600",
      1711929600,
    ]
  ) {
    assertEquals(parseRenewalDate(text), APRIL_1_2024, String(text));
  }
  assertEquals(parseRenewalDate("2024-04-01 13:45"), APRIL_1_2024 + 13 * 3600 + 45 * 60);
  assertEquals([parseRenewalDate(""), parseRenewalDate(null), parseRenewalDate(undefined)], [0, 0, 0]);
  const now = Date.UTC(2024, 4, 15, 12);
  assertEquals(parseRenewalDate("today", now), Date.UTC(2024, 4, 15) / 1000);
  for (
    const bad of ["garbage", "2024-13-01", "2024-02-32", "next week", "31/31/2024", [], {}, "9999-01-01", -5]
  ) {
    assertEquals(parseRenewalDate(bad), null, JSON.stringify(bad));
  }
  const at = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 1000;
  assertEquals(nextRenewal(at(2024, 4, 1), "monthly", now), at(2024, 6, 1));
  assertEquals(nextRenewal(at(2024, 5, 15), "monthly", now), at(2024, 6, 15)); // not "today" itself…
  assertEquals(nextRenewal(at(2024, 4, 15), "monthly", now), at(2024, 5, 15)); // …unless a period ends today
  assertEquals(nextRenewal(at(2024, 1, 31), "monthly", Date.UTC(2024, 1, 1)), at(2024, 3, 2)); // PHP day overflow
  assertEquals(nextRenewal(at(2024, 1, 1), "quarterly", now), at(2024, 7, 1));
  assertEquals(nextRenewal(at(2023, 2, 1), "yearly", now), at(2025, 2, 1));
  assertEquals(nextRenewal(at(2024, 5, 1), "weekly", now), at(2024, 5, 15));
  assertEquals(nextRenewal(at(2024, 4, 1), "disabled", now), 0);
  assertEquals(nextRenewal(0, "monthly", now), 0);
  assertEquals([formatPrice(49), formatPrice(12.345), formatPrice(-0), formatPrice(0.1 + 0.2)], [
    "49.00000000",
    "12.34500000",
    "0.00000000",
    "0.30000000",
  ]);
  assertEquals([escUrlRaw("host.example/x y"), escUrlRaw("javascript:alert(1)"), escUrlRaw("")], [
    "http://host.example/x%20y",
    "",
    "",
  ]);
});
