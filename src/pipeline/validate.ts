// The pipeline's front door: a message from an adapter is checked before anything is
// stored. Malformed messages (wrong types, missing ids, objects where strings belong) are
// refused with a reason; oversized or damaged text is repaired (truncated, NUL removed,
// lone surrogates replaced) so that one bad message never blocks the stream behind it.
import { z } from "zod";
import { PLATFORMS, type ChatMessage } from "../types.ts";

/** Longest text stored and scored (Discord allows 4,000 characters, Telegram 4,096). */
export const MAX_TEXT = 8_000;
const MAX_NAME = 200;

const id = z.string().min(1).max(256);
const schema = z.object({
  platform: z.enum(PLATFORMS),
  communityId: id,
  communityName: z.string().optional(),
  channelId: id,
  channelName: z.string().optional(),
  channelKind: z.enum(["group", "dm"]),
  messageId: id,
  authorId: id,
  authorName: z.string().optional(),
  text: z.string(),
  ts: z.number().int().min(0).max(8.64e15),
  replyToId: z.string().max(256).nullable().optional(),
  mentions: z.array(id).max(500).optional(),
  attachments: z.number().int().min(0).max(10_000).optional(),
  link: z.string().max(2048).nullable().optional(),
  forwardedFrom: z.string().max(256).nullable().optional(),
});

export type Checked = { ok: true; msg: ChatMessage; notes: string[] } | { ok: false; reason: string };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text PostgreSQL can store: no U+0000, well-formed UTF-16, at most `max` characters. */
export function cleanText(s: string, max: number, notes?: string[], field = "text"): string {
  let out = s;
  if (out.length > max) {
    notes?.push(`${field} truncated from ${out.length} to ${max} characters`);
    out = out.slice(0, max);
  }
  if (out.includes("\u0000")) {
    notes?.push(`NUL characters removed from ${field}`);
    out = out.replaceAll("\u0000", "");
  }
  if (LONE_SURROGATE.test(out)) {
    notes?.push(`invalid Unicode (lone surrogates) replaced in ${field}`);
    out = out.replace(LONE_SURROGATE, "\uFFFD");
  }
  LONE_SURROGATE.lastIndex = 0;
  return out;
}

const badId = (s: string) => s.includes("\u0000") || /[\uD800-\uDFFF]/.test(s);

export function checkMessage(input: unknown): Checked {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `${issue.path.join(".") || "message"}: ${issue.message}` };
  }
  const m = parsed.data;
  for (const k of ["communityId", "channelId", "messageId", "authorId"] as const) {
    if (badId(m[k])) return { ok: false, reason: `${k}: contains NUL or invalid Unicode` };
  }
  if (m.mentions?.some(badId)) return { ok: false, reason: "mentions: contains NUL or invalid Unicode" };
  const notes: string[] = [];
  const msg: ChatMessage = { ...m, text: cleanText(m.text, MAX_TEXT, notes) };
  for (const k of ["communityName", "channelName", "authorName"] as const) {
    const v = m[k];
    if (v !== undefined) msg[k] = cleanText(v, MAX_NAME, notes, k);
  }
  for (const k of ["replyToId", "link", "forwardedFrom"] as const) {
    const v = m[k];
    if (typeof v === "string") msg[k] = cleanText(v, 2048, notes, k);
  }
  return { ok: true, msg, notes };
}

/** A short, safe description of what was received, for the log line of a rejected message. */
export function describeInput(input: unknown): string {
  if (!input || typeof input !== "object") return `a ${input === null ? "null" : typeof input}`;
  const o = input as Record<string, unknown>;
  const part = (k: string) => (typeof o[k] === "string" ? String(o[k]).slice(0, 64) : "?");
  return `${part("platform")}:${part("channelId")}/${part("messageId")}`;
}
