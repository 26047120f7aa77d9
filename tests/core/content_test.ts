import { assert, assertEquals } from "@std/assert";
import { decodeEditData } from "../../core/content/child.ts";
import {
  createContent,
  deleteContent,
  editContent,
  getContent,
  type NewContent,
  setContentStatus,
} from "../../core/content/items.ts";
import { contentSummaryOf, listContent, selectContentSites } from "../../core/content/list.ts";
import { InvalidInput, NotFound, OperationFailed } from "../../core/errors.ts";
import { getSite, updateSite } from "../../store/sites.ts";
import { replyProxy, siteApp } from "../routes/_site_fixtures.ts";

const FIXTURES = new URL("file:///work/shared/fixtures/mainwp-child-6.1/");
const fixture = async (name: string) => JSON.parse(await Deno.readTextFile(new URL(name, FIXTURES)));

const draft = (title: string, extra: Partial<NewContent> = {}): NewContent => ({
  title,
  content: `<p>${title}</p>`,
  status: "publish",
  excerpt: "",
  slug: "",
  password: "",
  commentStatus: "open",
  pingStatus: "closed",
  date: "",
  dateGmt: "",
  sticky: null,
  tags: "",
  categories: "",
  custom: {},
  featuredImage: "",
  galleryImages: [],
  ...extra,
});

/** The error `run` rejects with, checked to be a `type`. */
async function rejection<E>(run: () => Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  try {
    await run();
  } catch (error) {
    assert(error instanceof type, String(error));
    return error;
  }
  throw new Error("it did not reject");
}

const query = {
  keyword: "",
  searchOn: "" as const,
  modifiedAfter: "",
  modifiedBefore: "",
  max: 50,
  postType: "",
};

Deno.test("decodeEditData reads the recorded get_edit replies of a post and a page", async () => {
  const post = decodeEditData((await fixture("13-post_action-get-edit-post.json")).reply.my_post, 5, "post");
  assertEquals(post?.fields.title, "Fixture post one");
  assertEquals([post?.fields.sticky, post?.fields.tags, post?.categories], [
    false,
    "alpha,beta",
    '"Fixtures,News"',
  ]);
  assertEquals(post?.custom, { _pingme: ["1"], _encloseme: ["1"] });
  // "MA==" is "0": no featured image, as MainWP's empty() reads it.
  assertEquals([post?.featuredImage, post?.galleryImages], ["", []]);
  const page = decodeEditData((await fixture("14-post_action-get-edit-page.json")).reply.my_post, 9, "page");
  assertEquals([page?.fields.title, page?.fields.sticky, page?.categories], ["Fixture page", null, ""]);
  assertEquals(decodeEditData([], 1, "post"), null);
  assertEquals(decodeEditData(false, 1, "post"), null);
  assertEquals(decodeEditData({ new_post: "%%%", post_custom: 7 }, 1, "post")?.fields.title, "");
});

Deno.test("contentSummaryOf coerces a hostile child's items as PHP would", () => {
  assertEquals(contentSummaryOf(null), null);
  assertEquals(contentSummaryOf([1]), null);
  const odd = contentSummaryOf({ id: "7abc", title: 5, comment_count: "3", dts: "soon", categories: {} });
  assertEquals([odd?.id, odd?.title, odd?.commentCount, odd?.changed, odd?.categories], [
    7,
    "5",
    3,
    null,
    "",
  ]);
});

Deno.test("content core: create, list, read, status, edit and delete keep the categories' names", async () => {
  const env = await siteApp(1, { add: [1] });
  const { t } = env;
  try {
    const site = (await getSite(t.ctx.kv, 1))!;
    const added = await createContent(
      t.ctx,
      site,
      "post",
      draft("Hello", { categories: '100% Fun,"Quoted", News' }),
    );
    const [part] = await listContent(t.ctx, "post", [site], { ...query, statuses: ["publish"] });
    const item = part.items.find((i) => i.id === added.id);
    assertEquals(item?.categories, '100% Fun, "Quoted", News');
    const read = await getContent(t.ctx, site, "post", added.id);
    assertEquals(read.categories, '100% Fun,"Quoted",News');
    await editContent(t.ctx, site, read, { excerpt: "Short" });
    const again = await getContent(t.ctx, site, "post", added.id);
    assertEquals([again.fields.excerpt, again.fields.title, again.categories], [
      "Short",
      "Hello",
      read.categories,
    ]);
    const fired: unknown[][] = [];
    t.ctx.hooks.addAction("mainwp_post_action", (s, action, data, postId, type) => {
      fired.push([s.id, action, (data as { new_status?: string }).new_status, postId, type]);
    });
    assertEquals(await setContentStatus(t.ctx, site, again, "trash"), { done: true });
    assertEquals(fired, [[1, "trash", "trash", added.id, "post"]]);
    assertEquals((await getContent(t.ctx, site, "post", added.id)).fields.status, "trash");
    assertEquals(await deleteContent(t.ctx, site, again), { done: true });
    await rejection(() => getContent(t.ctx, site, "post", added.id), NotFound);
    await rejection(() => getContent(t.ctx, site, "post", 0), InvalidInput);
  } finally {
    await env.close();
  }
});

Deno.test("content core: a child that answers without doing the write is OperationFailed", async () => {
  const env = await siteApp(1);
  const proxy = replyProxy(env.sim, (fn, reply) => (fn === "newpost" ? { nothing: true } : reply));
  try {
    const id = await env.add(1, { url: proxy.url(1) });
    const site = (await getSite(env.t.ctx.kv, id))!;
    const error = await rejection(() => createContent(env.t.ctx, site, "page", draft("X")), OperationFailed);
    assertEquals([error.operation, error.message], ["page.create", "Create page failed."]);
  } finally {
    await proxy.close();
    await env.close();
  }
});

Deno.test("selectContentSites: the union of sites, tags and clients, healthy listed sites only", async () => {
  const env = await siteApp(3, { add: [1, 2, 3] });
  const { t, token } = env;
  try {
    const tag = await t.call("POST", "/wp-json/mainwp/v2/tags/add", { token, json: { name: "Red" } });
    await t.call("POST", "/wp-json/mainwp/v2/sites/2/edit", {
      token,
      json: { groupids: String(tag.body.data.id) },
    });
    const ids = async (siteIds: string[], tagNames: string[] = []) =>
      (await selectContentSites(t.ctx, { siteIds, tagNames, clientIds: [] })).map((s) => s.id);
    assertEquals(await ids(["1", "1"], ["red"]), [1, 2]);
    await updateSite(t.ctx.kv, 1, (s) => ({ ...s, sync_errors: "down" }));
    assertEquals(await ids(["1", "3"]), [3]);
    assertEquals(await ids([]), []);
    const unknown = await rejection(() => ids(["x"]), InvalidInput);
    assertEquals([unknown.field, unknown.message], ["websites", "Invalid site ID: x."]);
    const client = await rejection(
      () => selectContentSites(t.ctx, { siteIds: [], tagNames: [], clientIds: ["4"] }),
      InvalidInput,
    );
    assertEquals([client.field, client.message], ["clients", "Invalid client ID: 4."]);
  } finally {
    await env.close();
  }
});

Deno.test("listContent: a site whose list is too large is that site's error, not the answer's", async () => {
  const env = await siteApp(2, { add: [1, 2] });
  const { t } = env;
  try {
    const [one, two] = [(await getSite(t.ctx.kv, 1))!, (await getSite(t.ctx.kv, 2))!];
    for (let i = 0; i < 17; i++) {
      await createContent(t.ctx, one, "post", draft(`Big ${i}`, { categories: "c".repeat(16_000) }));
    }
    await createContent(t.ctx, two, "post", draft("Small"));
    const parts = await listContent(t.ctx, "post", [one, two], { ...query, statuses: ["publish"] });
    assertEquals(parts[0].items, []);
    assertEquals(parts[0].error, "The site's post list is larger than 262144 characters.");
    assertEquals([parts[1].error, parts[1].items.some((i) => i.title === "Small")], [null, true]);
  } finally {
    await env.close();
  }
});
