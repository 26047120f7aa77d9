import { assertEquals } from "@std/assert";
import { siteApp, V2 } from "./_site_fixtures.ts";

/** The JSON object keys of `data`, in the order sent. */
const keyOrder = (text: string) => Object.keys(JSON.parse(text).data);

Deno.test("POST /sites/sync reads include as MainWP: absint ids, unknown ones failed, none positive → 400", async () => {
  const env = await siteApp(2, { add: [1, 2] });
  const { t, sim, token } = env;
  try {
    const stats = () => (sim.calls(1).stats ?? 0) + (sim.calls(2).stats ?? 0);
    const before = stats();
    const unknown = await t.call("POST", `${V2}/sites/sync?include=-999999`, { token });
    assertEquals([unknown.status, unknown.text], [200, '{"total":1,"data":{"999999":{"result":"failed"}}}']);
    assertEquals(stats(), before, "no site was synced");

    const mixed = await t.call("POST", `${V2}/sites/sync`, { token, json: { include: "-2, 999999" } });
    assertEquals(keyOrder(mixed.text), ["2", "999999"]);
    assertEquals([mixed.body.total, mixed.body.data["2"].result, mixed.body.data["2"].id], [
      2,
      "success",
      "2",
    ]);
    assertEquals(mixed.body.data["999999"], { result: "failed" });
    assertEquals(stats(), before + 1, "site 2 only");

    // Excluded ids are neither synced nor reported.
    const excluded = await t.call("POST", `${V2}/sites/sync`, {
      token,
      form: { include: "1,5", exclude: "1" },
    });
    assertEquals(excluded.body, { total: 1, data: { 5: { result: "failed" } } });

    for (
      const [name, query] of [["include", "include=x"], ["include", "include[]=0"], [
        "exclude",
        "exclude=abc",
      ]]
    ) {
      const bad = await t.call("POST", `${V2}/sites/sync?${query}`, { token });
      assertEquals([bad.status, bad.body], [400, {
        code: "mainwp_invalid_input",
        message: `Invalid ${name} parameter. Expected one or more positive site IDs.`,
        data: { status: 400 },
      }]);
    }
    assertEquals(stats(), before + 1, "refused requests synced nothing");
  } finally {
    await env.close();
  }
});

Deno.test("bulk check, reconnect and disconnect: absint include; unknown or unreadable ids match nothing", async () => {
  const env = await siteApp(2, { add: [1, 2] });
  const { t, sim, token } = env;
  try {
    const calls = () => JSON.stringify([sim.calls(1), sim.calls(2)]);
    const before = calls();
    for (const route of ["check", "reconnect", "disconnect"]) {
      for (const include of ["-999999", "x", "0,0"]) {
        const res = await t.call("POST", `${V2}/sites/${route}`, { token, json: { include } });
        assertEquals([res.status, res.text], [200, '{"total":0,"data":[]}'], `${route} include=${include}`);
      }
    }
    assertEquals(calls(), before, "no site was contacted");
    const checked = await t.call("POST", `${V2}/sites/check?include=-2`, { token });
    assertEquals([checked.body.total, checked.body.data["2"].result], [1, "success"]);
    assertEquals(sim.calls(2)["#page"], 1);
    assertEquals(sim.calls(1)["#page"], undefined);
  } finally {
    await env.close();
  }
});
