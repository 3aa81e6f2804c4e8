// The console's CSS and JavaScript: a fixed list read once, served with a content type.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";

const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), "static");
const TYPES: Record<string, string> = { ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml" };

export interface StaticFile {
  body: string;
  type: string;
}

/** Files under static/ by their URL path below /static/ (e.g. "console.css", "js/case.js"). */
export function loadStaticFiles(dir = STATIC_DIR): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const entry of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    const type = TYPES[extname(entry)];
    if (type) files.set(entry.split("\\").join("/"), { body: readFileSync(join(dir, entry), "utf8"), type });
  }
  return files;
}
