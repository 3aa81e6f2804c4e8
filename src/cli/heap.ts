// A long-running worker's heap. V8 lets the old generation grow to several times what is
// live before a full collection (its default factor is tuned for short, bursty programs):
// a worker with ~120 MB live reached 500 MB of RSS, almost all of it garbage promoted from
// batches that lived across database round trips. A lower growing factor collects sooner,
// for a little more GC time. Flags given by the operator (NODE_OPTIONS, node's arguments) win.
// The young generation cannot be sized from here (V8 fixes it when the process starts): the
// npm scripts, the `haven` shebang and Discord's shard processes start node with
// --max-semi-space-size=8 (V8's default, 16, let it reach 34 MB of mostly dead batch objects;
// 8 took ~20 MB off a worker's peak RSS at 100,000 pairs with no measurable loss of throughput).
import { setFlagsFromString } from "node:v8";

const FLAG = "--heap-growing-percent";

/** Grow the heap by at most `percent` % over what the last full collection kept. */
export function boundHeapGrowth(percent = 20): void {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)].some((a) => a.replace(/_/g, "-").startsWith(FLAG));
  if (!given) setFlagsFromString(`${FLAG}=${percent}`);
}
