import { assertEquals } from "@std/assert";
import { ConcurrencyLimiter } from "../../child/limiter.ts";
import { rejectsWith } from "./_fixtures.ts";

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("the limiter holds requests over the global limit until a slot frees", async () => {
  const limiter = new ConcurrencyLimiter();
  const a = await limiter.acquire("a:80", 2, 5);
  const b = await limiter.acquire("b:80", 2, 5);
  let third = false;
  const pending = limiter.acquire("c:80", 2, 5).then((release) => {
    third = true;
    return release;
  });
  await tick();
  assertEquals([third, limiter.active, limiter.waiting], [false, 2, 1]);
  a();
  a(); // releasing twice is harmless
  const c = await pending;
  assertEquals([third, limiter.active], [true, 2]);
  b();
  c();
  assertEquals(limiter.active, 0);
});

Deno.test("the per-host limit applies per host only", async () => {
  const limiter = new ConcurrencyLimiter();
  const first = await limiter.acquire("same:80", 10, 1);
  const other = await limiter.acquire("other:80", 10, 1);
  let second = false;
  const pending = limiter.acquire("same:80", 10, 1).then((release) => (second = true, release));
  await tick();
  assertEquals(second, false);
  first();
  (await pending)();
  other();
  assertEquals(limiter.active, 0);
});

Deno.test("a limit of 0 means no limit, as in MainWP", async () => {
  const limiter = new ConcurrencyLimiter();
  const releases = await Promise.all(Array.from({ length: 20 }, () => limiter.acquire("h:80", 0, 0)));
  assertEquals(limiter.active, 20);
  releases.forEach((release) => release());
});

Deno.test("an aborted waiter leaves the queue", async () => {
  const limiter = new ConcurrencyLimiter();
  const held = await limiter.acquire("h:80", 1, 1);
  const controller = new AbortController();
  const waiting = limiter.acquire("h:80", 1, 1, controller.signal);
  controller.abort(new Error("stop"));
  await rejectsWith(waiting, Error);
  assertEquals(limiter.waiting, 0);
  held();
  assertEquals(limiter.active, 0);
});

Deno.test("a request for an idle host does not wait behind requests for a busy one", async () => {
  const limiter = new ConcurrencyLimiter();
  const busy = await limiter.acquire("busy:80", 4, 1);
  const queued = limiter.acquire("busy:80", 4, 1);
  const idle = await limiter.acquire("idle:80", 4, 1);
  assertEquals([limiter.active, limiter.waiting], [2, 1]);
  idle();
  busy();
  (await queued)();
  assertEquals(limiter.active, 0);
});

Deno.test("a hung request pins only its own host: freed slots go to the waiters that fit, past the blocked one", async () => {
  const limiter = new ConcurrencyLimiter();
  const hung = await limiter.acquire("hung:80", 2, 1);
  const other = await limiter.acquire("b:80", 2, 1);
  const granted: string[] = [];
  const wait = (host: string) => limiter.acquire(host, 2, 1).then((release) => (granted.push(host), release));
  const queued = [wait("hung:80"), wait("b:80"), wait("c:80"), wait("d:80")];
  await tick();
  assertEquals([limiter.active, limiter.waiting, granted], [2, 4, []]);
  other();
  await tick();
  // The first waiter (same host as the hung request) is skipped; the next that fits gets the slot.
  assertEquals(granted, ["b:80"]);
  (await queued[1])();
  await tick();
  (await queued[2])();
  await tick();
  assertEquals(granted, ["b:80", "c:80", "d:80"]);
  (await queued[3])();
  hung();
  (await queued[0])();
  assertEquals([limiter.active, limiter.waiting, granted.length], [0, 0, 4]);
});
