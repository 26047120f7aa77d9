import { assertEquals } from "@std/assert";
import { parseWrk, wrkMs } from "../../bench/wrk.ts";

const SAMPLE = `Running 10s test @ http://127.0.0.1:18558/wp-json/mainwp/v2/sites?page=1&per_page=20
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     7.20ms    7.34ms  62.32ms   83.17%
    Req/Sec   726.97    283.58     1.28k    65.00%
  Latency Distribution
     50%  812.00us
     75%   10.67ms
     90%   16.95ms
     99%    1.02s
  7267 requests in 10.04s, 3.19GB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 5
Requests/sec:    723.73
Transfer/sec:    324.90MB
`;

Deno.test("wrk's output is read into the load figures (units, errors, non-2xx)", () => {
  assertEquals([wrkMs("812.00us"), wrkMs("2.5ms"), wrkMs("1.02s"), Number.isNaN(wrkMs("x"))], [
    0.812,
    2.5,
    1020,
    true,
  ]);
  assertEquals(parseWrk(SAMPLE), {
    requests: 7262,
    errors: 8,
    warmupErrors: 0,
    requestsPerSecond: 723.73,
    p50Ms: 0.812,
    p90Ms: 16.95,
    p99Ms: 1020,
    maxMs: 62.32,
  });
});
