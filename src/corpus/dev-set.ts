// The shared development set, the default input of the bench commands (and of tests):
// HAVEN_DEV_DATA, or beside the checkout (../shared/data, the project's workspace layout),
// or the workspace's absolute path.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function devSetPath(): string {
  const candidates = [
    process.env.HAVEN_DEV_DATA,
    fileURLToPath(new URL("../../../shared/data/dev-conversations.jsonl", import.meta.url)),
    "/work/shared/data/dev-conversations.jsonl",
  ].filter((p): p is string => !!p);
  return candidates.find((p) => existsSync(p)) ?? candidates[0]!;
}
