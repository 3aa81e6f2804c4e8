// Test data for the console: communities, conversations from the dev corpus stored as the
// pipeline would store them, cases with evidence, and console accounts.
import { eq } from "drizzle-orm";
import { createHaven, type Haven } from "../../src/app.ts";
import { loadModel, RiskEngine, type Model } from "../../src/engine/index.ts";
import { silentLogger } from "../../src/log.ts";
import { readConversations, type Conversation } from "../../src/corpus/format.ts";
import { hashPassword } from "../../src/review/auth/passwords.ts";
import type { Database, Db } from "../../src/store/db.ts";
import * as t from "../../src/store/schema.ts";
import type { Platform } from "../../src/types.ts";
import { DEV_CORPUS } from "../fixtures/dev-corpus.ts";

export { DEV_CORPUS };

let corpus: Conversation[] | null = null;
export function devConversations(): Conversation[] {
  corpus ??= readConversations(DEV_CORPUS);
  return corpus;
}

/** A short grooming and a short benign conversation without scenarios. */
export function pickConversations(): { grooming: Conversation[]; benign: Conversation[] } {
  const solo = devConversations().filter((c) => !c.scenario && c.messages.length <= 40);
  return { grooming: solo.filter((c) => c.label === "grooming"), benign: solo.filter((c) => c.label === "benign") };
}

export async function seedCommunity(db: Db, platformId: string, name: string, platform: Platform = "discord"): Promise<number> {
  const [row] = await db.insert(t.communities).values({ platform, platformId, name }).returning({ id: t.communities.id });
  return row!.id;
}

async function participant(db: Db, platform: Platform, platformId: string, name: string): Promise<number> {
  const found = await db.select({ id: t.participants.id }).from(t.participants).where(eq(t.participants.platformId, platformId)).limit(1);
  if (found[0]) return found[0].id;
  const [row] = await db.insert(t.participants).values({ platform, platformId, displayName: name }).returning({ id: t.participants.id });
  return row!.id;
}

export interface SeededCase {
  caseId: number;
  messageIds: number[];
  suspectPlatformId: string;
  targetText: string | null;
}

/**
 * Stores a corpus conversation in a community and opens a case about its suspect (or,
 * for a benign one, about its first author: a false alarm). Stage signals come from the
 * corpus truth, standing in for the engine's evidence.
 */
export async function seedCase(db: Db, communityId: number, conv: Conversation, opts: { score: number; lang?: string } = { score: 0.8 }): Promise<SeededCase> {
  const community = (await db.select().from(t.communities).where(eq(t.communities.id, communityId)))[0]!;
  const platform = community.platform as Platform;
  const [channel] = await db
    .insert(t.channels)
    .values({ communityId, platform, platformId: `${community.platformId}:${conv.id}`, kind: conv.channel.kind, name: conv.channel.kind === "dm" ? null : "general" })
    .returning({ id: t.channels.id });
  const people = new Map<string, number>();
  for (const m of conv.messages) {
    if (!people.has(m.author)) people.set(m.author, await participant(db, platform, `${conv.id}-${m.author}`, `${m.author}-${conv.id.slice(-4)}`));
  }
  const suspectLocal = conv.suspect ?? conv.messages[0]!.author;
  const suspect = people.get(suspectLocal)!;
  const targets = [...people.entries()].filter(([k]) => k !== suspectLocal).map(([, v]) => v);
  // One insert per table: seeding runs before nearly every console test.
  let seen = 0;
  const rows = conv.messages.map((m) => {
    if ((m.stages ?? []).length) seen++;
    return {
      channelId: channel!.id,
      platformMessageId: `${conv.id}-${m.id}`,
      authorId: people.get(m.author)!,
      sentAt: new Date(m.ts),
      text: m.text,
      lang: conv.lang,
      score: m.author === suspectLocal ? Math.min(opts.score, (opts.score * (seen + 1)) / (conv.messages.length / 3 + 1)) : null,
      scoredAt: new Date(m.ts),
    };
  });
  const inserted = await db.insert(t.messages).values(rows).returning({ id: t.messages.id, key: t.messages.platformMessageId });
  const idOf = new Map(inserted.map((r) => [r.key, r.id]));
  const messageIds = conv.messages.map((m) => idOf.get(`${conv.id}-${m.id}`)!);
  const targetText = conv.messages.find((m) => m.author !== suspectLocal && m.text.length > 12)?.text ?? null;
  const signals = conv.messages.flatMap((m, i) =>
    (m.stages ?? []).map((stage) => ({ messageId: messageIds[i]!, stage, weight: 0.5, evidence: m.text.split(/\s+/).slice(0, 3).join(" "), rule: `test:${stage}:${i}` })),
  );
  if (signals.length) await db.insert(t.messageSignals).values(signals);
  const allStages = [...new Set(conv.messages.flatMap((m) => m.stages ?? []))];
  const [c] = await db
    .insert(t.cases)
    .values({ communityId, suspectId: suspect, channelId: channel!.id, score: opts.score, stages: allStages, lang: opts.lang ?? conv.lang, lastAlertScore: opts.score, lastAlertAt: new Date(conv.messages.at(-1)!.ts) })
    .returning({ id: t.cases.id });
  if (targets.length) await db.insert(t.caseTargets).values(targets.map((participantId) => ({ caseId: c!.id, participantId })));
  const evidence = conv.messages.flatMap((m, i) => ((m.stages ?? []).length ? [{ caseId: c!.id, messageId: messageIds[i]! }] : []));
  if (evidence.length) await db.insert(t.caseMessages).values(evidence);
  await db.insert(t.alerts).values({
    caseId: c!.id,
    communityId,
    trigger: "new",
    mode: "live",
    score: opts.score,
    threshold: 0.6,
    stages: allStages,
    reasons: [],
    modelVersion: "test",
    triggerMessageId: messageIds.at(-1)!,
    deliveryState: "delivered",
  });
  return { caseId: c!.id, messageIds, suspectPlatformId: `${conv.id}-${suspectLocal}`, targetText };
}

export async function seedUser(db: Db, username: string, password: string, roles: { communityId: number; role: "reviewer" | "admin" }[], isOwner = false): Promise<number> {
  const [row] = await db.insert(t.users).values({ username, passwordHash: await hashPassword(password), isOwner }).returning({ id: t.users.id });
  for (const r of roles) await db.insert(t.memberships).values({ userId: row!.id, communityId: r.communityId, role: r.role });
  return row!.id;
}

/** The real pipeline over the test database (the console only calls act, settings and notes). */
export async function realHaven(database: Database): Promise<Haven> {
  model ??= loadModel();
  return createHaven({ database, log: silentLogger, engine: new RiskEngine(model) });
}
let model: Model | null = null;

/** Truth stages of every corpus message, keyed by the platform message id seedCase stores. */
export function corpusStages(): Map<string, import("../../src/types.ts").Stage[]> {
  const out = new Map<string, import("../../src/types.ts").Stage[]>();
  for (const c of devConversations()) for (const m of c.messages) out.set(`${c.id}-${m.id}`, m.stages ?? []);
  return out;
}
