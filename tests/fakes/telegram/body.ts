// Request parameters the way the Bot API accepts them: query string, JSON,
// urlencoded or multipart form (text fields; JSON-looking values decoded as Telegram does).
import type { IncomingMessage } from "node:http";

export type Params = Record<string, unknown>;

export async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const params: Params = {};
  for (const [k, v] of url.searchParams) params[k] = decodeField(v);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (!raw) return params;
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (type.startsWith("application/json")) {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new SyntaxError("JSON body is not an object");
    return { ...params, ...(parsed as Params) };
  }
  if (type.startsWith("application/x-www-form-urlencoded")) {
    for (const [k, v] of new URLSearchParams(raw)) params[k] = decodeField(v);
    return params;
  }
  if (type.startsWith("multipart/form-data")) {
    const boundary = /boundary=("?)([^";]+)\1/.exec(type)?.[2] ?? /boundary=("?)([^";]+)\1/.exec(req.headers["content-type"] ?? "")?.[2];
    if (!boundary) throw new SyntaxError("multipart body without boundary");
    for (const part of raw.split(`--${boundary}`)) {
      const sep = part.indexOf("\r\n\r\n");
      if (sep < 0) continue;
      const head = part.slice(0, sep);
      const name = /name="([^"]+)"/i.exec(head)?.[1];
      if (!name || /filename=/i.test(head)) continue;
      params[name] = decodeField(part.slice(sep + 4).replace(/\r\n$/, ""));
    }
    return params;
  }
  return params;
}

/** Form fields arrive as strings; Telegram decodes serialized objects and arrays. */
function decodeField(value: string): unknown {
  const t = value.trim();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return JSON.parse(t);
    } catch {
      return value;
    }
  }
  return value;
}
