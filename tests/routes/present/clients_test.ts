import { assertEquals } from "@std/assert";
import {
  clientFieldView,
  clientInputOf,
  clientListQuery,
  clientRawRow,
  clientSimpleWithSites,
  clientView,
  phpText,
} from "../../../routes/present/clients.ts";
import { defaultClient } from "../../../store/clients.ts";

Deno.test("clientInputOf applies MainWP's empty() rules before the core sees the values", () => {
  assertEquals(
    clientInputOf({
      name: "ACME",
      city: "",
      zip: "0",
      state: 0,
      country: ["DE"],
      note: 12,
      selected_sites: "5,3,x",
      created: " 1704445200 ",
      custom_fields: { a: { field_name: "VAT", field_value: 7 }, b: "x" },
    }),
    {
      name: "ACME",
      country: "",
      note: "12",
      selected_sites: [5, 3],
      created: 1704445200,
      custom_fields: [{ field_name: "VAT", field_value: "7", field_desc: "" }],
    },
  );
  assertEquals(clientInputOf({ created: "soon", selected_sites: [], custom_fields: [] }), {});
  assertEquals([phpText(true), phpText(null), phpText(Infinity)], ["1", "", ""]);
});

Deno.test("clientListQuery reads paged as page and intval's the numbers", () => {
  assertEquals(clientListQuery({ status: "lead,lost", paged: "2x", per_page: 10, search: 5 }), {
    search: undefined,
    include: [],
    exclude: [],
    status: ["lead", "lost"],
    page: 2,
    per_page: 10,
  });
});

Deno.test("client wire shapes: strings, selected_sites null when no site, raw row in column order", () => {
  const c = { ...defaultClient(2, { name: "ACME" }), created: 0 };
  assertEquals([clientView(c).id, clientView(c).created, clientView(c).suspended], ["2", "0", "0"]);
  assertEquals(clientSimpleWithSites(c, []).selected_sites, null);
  assertEquals(clientSimpleWithSites(c, [3, 5]).selected_sites, "3,5");
  const row = clientRawRow(c);
  assertEquals(Object.keys(row).slice(0, 3), ["client_id", "image", "name"]);
  assertEquals([row.created, row.contact_id], ["0", null]);
  assertEquals(clientFieldView({ field_id: 3, field_name: "VAT", field_desc: "d", client_id: 0 }), {
    name: "VAT",
    field_id: "3",
    description: "d",
  });
});
