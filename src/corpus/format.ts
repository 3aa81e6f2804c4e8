// The labelled-conversation JSONL format (shared/spec/conversation-format.md): parsing,
// and turning a file into the message stream a bot watching those channels would see.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { HavenError, STAGES, type ChatMessage, type Platform } from "../types.ts";

const stage = z.enum(STAGES);

export const corpusMessageSchema = z.object({
  id: z.string().min(1),
  author: z.string().min(1),
  text: z.string(),
  ts: z.string().refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO-8601 timestamp"),
  replyTo: z.string().nullable().optional(),
  mentions: z.array(z.string()).optional(),
  attachments: z.number().int().min(0).optional(),
  stages: z.array(stage).optional(),
});

export const conversationSchema = z.object({
  id: z.string().min(1),
  lang: z.enum(["en", "nl"]),
  platform: z.enum(["discord", "telegram"]),
  channel: z.object({ id: z.string().min(1), kind: z.enum(["group", "dm"]) }),
  scenario: z.string().nullable().optional(),
  label: z.enum(["grooming", "benign"]),
  suspect: z.string().nullable(),
  targets: z.array(z.string()),
  onset: z.number().int().min(0).nullable(),
  roles: z.record(z.string(), z.enum(["adult", "child", "teen", "unknown"])).optional(),
  notes: z.string().optional(),
  messages: z.array(corpusMessageSchema),
});

export type Conversation = z.infer<typeof conversationSchema>;
export type CorpusMessage = z.infer<typeof corpusMessageSchema>;

/** Parse JSONL text; a bad line is an error naming its line number and field. */
export function parseConversations(text: string, source = "input"): Conversation[] {
  const out: Conversation[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (err) {
      throw new HavenError(`${source} line ${i + 1}: not JSON (${(err as Error).message})`, "corpus.json");
    }
    const parsed = conversationSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new HavenError(`${source} line ${i + 1}: ${issue.path.join(".") || "conversation"} ${issue.message}`, "corpus.schema");
    }
    out.push(parsed.data);
  }
  return out;
}

export function readConversations(file: string): Conversation[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new HavenError(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, "corpus.read");
  }
  return parseConversations(text, file);
}

/** A message of the stream, with the conversation it belongs to (truth stays on the conversation). */
export interface StreamItem {
  conversation: Conversation;
  index: number;
  message: ChatMessage;
}

/**
 * The detector-visible message of a corpus message: only the fields the evaluation
 * contract allows. Ids are scoped so that people of different conversations never merge,
 * while conversations of one scenario share their people.
 */
export function toChatMessage(conv: Conversation, m: CorpusMessage): ChatMessage {
  const people = conv.scenario ? `s:${conv.scenario}` : `c:${conv.id}`;
  const person = (id: string) => `${people}:${id}`;
  const platform: Platform = conv.platform;
  return {
    platform,
    communityId: people,
    channelId: `${conv.id}:${conv.channel.id}`,
    channelKind: conv.channel.kind,
    messageId: m.id,
    authorId: person(m.author),
    text: m.text,
    ts: Date.parse(m.ts),
    replyToId: m.replyTo ?? null,
    mentions: (m.mentions ?? []).map(person),
    attachments: m.attachments ?? 0,
    link: null,
  };
}

/** The local author id (as in the file) of a scoped id made by toChatMessage. */
export function localAuthorId(scopedId: string): string {
  return scopedId.slice(scopedId.lastIndexOf(":") + 1);
}

/**
 * Groups of conversations that share state: each scenario is one group, every other
 * conversation is a group of its own. Within a group messages are interleaved by time
 * (ties: file order of conversations, then message order), as the spec's evaluation says.
 */
export function streamGroups(convs: Conversation[]): StreamItem[][] {
  const groups = new Map<string, Conversation[]>();
  for (const c of convs) {
    const key = c.scenario ? `s:${c.scenario}` : `c:${c.id}`;
    const list = groups.get(key);
    if (list) list.push(c);
    else groups.set(key, [c]);
  }
  return [...groups.values()].map((members) => {
    const items: (StreamItem & { order: number })[] = [];
    members.forEach((conversation, ci) =>
      conversation.messages.forEach((m, index) =>
        items.push({ conversation, index, message: toChatMessage(conversation, m), order: ci * 1e6 + index }),
      ),
    );
    items.sort((a, b) => a.message.ts - b.message.ts || a.order - b.order);
    return items.map(({ conversation, index, message }) => ({ conversation, index, message }));
  });
}
