// A long-running worker's heap. V8 lets the old generation grow to several times what is
// live before a full collection (its default factor is tuned for short, bursty programs):
// a worker with ~120 MB live reached 500 MB of RSS, almost all of it garbage promoted from
// batches that lived across database round trips. A lower growing factor collects sooner,
// for a little more GC time. Flags given by the operator (NODE_OPTIONS, node's arguments) win.
import { setFlagsFromString } from "node:v8";

const FLAG = "--heap-growing-percent";

/** Grow the heap by at most `percent` % over what the last full collection kept. */
export function boundHeapGrowth(percent = 20): void {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)].some((a) => a.replace(/_/g, "-").startsWith(FLAG));
  if (!given) setFlagsFromString(`${FLAG}=${percent}`);
}
