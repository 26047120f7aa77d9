import { assert, assertEquals, assertInstanceOf, assertRejects } from "@std/assert";
import { DEFAULT_AUTOMATION_SETTINGS, getAutomationSettings } from "../../../core/settings/automation.ts";
import { editGeneralSettings, generalEditSchema, timezoneOffset } from "../../../core/settings/general.ts";
import {
  advancedEditSchema,
  editAdvancedSettings,
  getAdvancedSettings,
} from "../../../core/settings/advanced.ts";
import { editEmailSettings, editToolSettings } from "../../../core/settings/sections.ts";
import {
  addPaymentMethod,
  addProductType,
  deleteProductType,
  editCostTrackerSettings,
  paymentMethodSlugs,
  productTypeSlugs,
} from "../../../core/settings/cost-tracker.ts";
import { addCost, findCosts } from "../../../core/costs.ts";
import { Conflict, InvalidInput } from "../../../core/errors.ts";
import { HookRegistry } from "../../../hooks/registry.ts";
import { sanitizeTitle } from "../../../wp/format.ts";

/** Asserts that `fn` rejects with an instance of `Class`. */
// deno-lint-ignore no-explicit-any
async function rejects(fn: () => Promise<unknown>, Class: abstract new (...args: any[]) => unknown) {
  assertInstanceOf(await assertRejects(fn), Class);
}

async function withKv(fn: (kv: Deno.Kv) => Promise<void>): Promise<void> {
  const kv = await Deno.openKv(":memory:");
  try {
    await fn(kv);
  } finally {
    kv.close();
  }
}

Deno.test("automation settings: MainWP's defaults, then what the General settings store", () =>
  withKv(async (kv) => {
    assertEquals(await getAutomationSettings({ kv }), { ...DEFAULT_AUTOMATION_SETTINGS });
    assertEquals([DEFAULT_AUTOMATION_SETTINGS.syncsPerDay, DEFAULT_AUTOMATION_SETTINGS.autoUpdateDelayDays], [
      2,
      1,
    ]);
    await editGeneralSettings(
      { kv },
      generalEditSchema.parse({
        frequency_daily_update: 12,
        plugin_automatic_daily_update: 1,
        theme_automatic_daily_update: "1",
        automatic_daily_update: true,
        trans_automatic_daily_update: 0,
        delay_autoupdate: 14,
      }),
    );
    assertEquals(await getAutomationSettings({ kv }), {
      syncsPerDay: 12,
      autoUpdatePlugins: true,
      autoUpdateThemes: true,
      autoUpdateCore: true,
      autoUpdateTranslations: false,
      autoUpdateDelayDays: 14,
    });
    await editGeneralSettings({ kv }, { plugin_automatic_daily_update: 0 });
    assertEquals((await getAutomationSettings({ kv })).autoUpdatePlugins, false);
  }));

Deno.test("General settings schema: MainWP's validators", () => {
  assertEquals(generalEditSchema.parse({ delay_autoupdate: "30" }).delay_autoupdate, 30);
  assert(!generalEditSchema.safeParse({ delay_autoupdate: 8 }).success);
  assert(!generalEditSchema.safeParse({ time_format: "H:i 5" }).success);
  assertEquals(generalEditSchema.parse({ time_format: "H:i" }).time_format, "H:i");
  assertEquals(generalEditSchema.parse({ time_auto_update: "" }).time_auto_update, "");
  const widgets = generalEditSchema.safeParse({ mainwp_widgets: { overview: 1, __proto__x: 1 } });
  assert(!widgets.success);
  assertEquals([timezoneOffset("UTC-3"), timezoneOffset("UTC+5:30"), timezoneOffset("Nowhere/City")], [
    -3,
    5.5,
    null,
  ]);
  assertEquals(timezoneOffset("Asia/Kolkata"), 5.5);
});

Deno.test("Advanced settings: a refused backup rule or bad value writes nothing; edits merge sync data", () =>
  withKv(async (kv) => {
    await editAdvancedSettings(
      { kv },
      advancedEditSchema.parse({ sync_data: { users: 0 }, mainwp_wp_cron: false }),
    );
    const s = await getAdvancedSettings({ kv });
    assertEquals([s.sync_data.users, s.sync_data.plugins, s.mainwp_wp_cron, s.mainwp_maximum_requests], [
      0,
      1,
      0,
      4,
    ]);
    await rejects(
      () =>
        editGeneralSettings({ kv }, { mainwp_primary_backup: "", mainwp_enable_legacy_backup_feature: 0 }),
      InvalidInput,
    );
    assertEquals((await kv.get(["settings", "section", "general"])).value, null);
  }));

Deno.test("Cost Tracker lists: defaults, custom entries, duplicates, and costs filed under them", () =>
  withKv(async (kv) => {
    assertEquals(await productTypeSlugs({ kv }), ["plugin", "theme", "hosting", "service", "other"]);
    assert((await paymentMethodSlugs({ kv })).includes("credit_debit"));
    assertEquals((await addProductType({ kv }, { title: "Café Hosting" })).slug, "cafe-hosting");
    await rejects(() => addProductType({ kv }, { title: "Theme" }), Conflict);
    await rejects(() => addPaymentMethod({ kv }, "PayPal"), Conflict);
    await rejects(() => deleteProductType({ kv }, "plugin"), InvalidInput);
    const deps = { kv, hooks: new HookRegistry() };
    await rejects(() => addCost(deps, { name: "X", product_type: "domain", sites: [1] }), InvalidInput);
    const cost = await addCost(deps, { name: "X", product_type: "cafe-hosting", sites: [1] });
    assertEquals((await findCosts({ kv }, { category: ["cafe-hosting"] })).map((c) => c.id), [cost.id]);
  }));

Deno.test("sanitizeTitle: WordPress's slugs", () => {
  assertEquals(
    [
      sanitizeTitle("Bank Transfer (EU)"),
      sanitizeTitle("  Déjà vu!! "),
      sanitizeTitle("a.b_c--d"),
      sanitizeTitle("<b>x</b>"),
    ],
    ["bank-transfer-eu", "deja-vu", "a-b_c-d", "x"],
  );
});

Deno.test("an edit that changes nothing writes nothing", () =>
  withKv(async (kv) => {
    await editGeneralSettings({ kv }, {});
    await editAdvancedSettings({ kv }, {});
    await editCostTrackerSettings({ kv }, { currency: "", thousand_separator: "" });
    await editEmailSettings({ kv }, "uptime", {});
    await editToolSettings({ kv }, {});
    assertEquals(await Array.fromAsync(kv.list({ prefix: ["settings"] })), []);
    await editGeneralSettings({ kv }, { delay_autoupdate: 3 });
    const entry = await kv.get(["settings", "section", "general"]);
    await editGeneralSettings({ kv }, { delay_autoupdate: 3 });
    assertEquals((await kv.get(["settings", "section", "general"])).versionstamp, entry.versionstamp);
  }));
