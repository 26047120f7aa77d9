import { assertEquals } from "@std/assert";
import { HookRegistry } from "../../../hooks/registry.ts";
import { costFromRecord } from "../../../core/costs.ts";
import { emptyCost } from "../../../store/costs.ts";
import { costListMap, costListObject, costRawRow, ownerListString } from "../../../routes/present/costs.ts";

const cost = costFromRecord({
  ...emptyCost(),
  id: 12,
  name: `R&D "x"`,
  price: "0.30000000",
  last_renewal: 1711929600,
  sites: [3, 7],
  note: "<i>n</i>",
});

Deno.test("costRawRow: every column as unescaped text, the price as DECIMAL(26,8) again", () => {
  const row = costRawRow(cost);
  assertEquals([row.id, row.name, row.price, row.last_renewal, row.next_renewal, row.sites, row.groups], [
    "12",
    `R&D "x"`,
    "0.30000000",
    "1711929600",
    "0",
    "[3,7]",
    "",
  ]);
  assertEquals(
    costRawRow(costFromRecord({ ...emptyCost(), id: 1, price: "-12.34500000" })).price,
    "-12.34500000",
  );
});

Deno.test("costListObject and costListMap: escaped text, integer id, dates as text or 0, [] when empty", async () => {
  const item = costListObject(cost);
  assertEquals([item.id, item.name, item.price, item.last_renewal, item.next_renewal, item.note], [
    12,
    "R&amp;D &quot;x&quot;",
    "0.30000000",
    "2024-04-01 00:00:00",
    0,
    "&lt;i&gt;n&lt;/i&gt;",
  ]);
  const hooks = new HookRegistry();
  assertEquals(await costListMap({ hooks }, []), []);
  hooks.addFilter("mainwp_escape_content", (_escaped: string, raw: string) => raw);
  assertEquals(await costListMap({ hooks }, [cost]), { "12": { ...item, note: "<i>n</i>" } });
  assertEquals([ownerListString([]), ownerListString([4])], ["", "[4]"]);
});
