// Labelled cases as training data: each case's conversation in the corpus JSONL format
// (shared/spec/conversation-format.md), people renamed u1, u2… so no platform id leaves.
import { asc, isNull } from "drizzle-orm";
import type { Db } from "../../store/db.ts";
import { labels } from "../../store/schema.ts";
import { conversationSchema, type Conversation, type CorpusMessage } from "../../corpus/format.ts";
import type { Stage } from "../../types.ts";
import { loadCaseHeader, loadTimeline, type CaseHeader, type TimelineMessage } from "../queries/case.ts";

export interface ExportStats {
  conversations: number;
  grooming: number;
  benign: number;
  /** Cases whose latest label is "unsure", or whose text is gone: not exported. */
  skipped: number;
}

/** The latest whole-case human label per case (reviewer or moderator decision). */
async function latestLabels(db: Db): Promise<Map<number, { label: "grooming" | "benign" | "unsure"; actor: string }>> {
  const rows = await db.select().from(labels).where(isNull(labels.messageId)).orderBy(asc(labels.id));
  const out = new Map<number, { label: "grooming" | "benign" | "unsure"; actor: string }>();
  for (const r of rows) out.set(r.caseId, { label: r.label, actor: r.actor });
  return out;
}

function messageStages(m: TimelineMessage, grooming: boolean): Stage[] {
  if (m.correctedStages) return grooming ? m.correctedStages : m.correctedStages.filter((s) => s === "age");
  const stages = [...new Set(m.signals.map((s) => s.stage))];
  // A benign conversation carries at most age disclosures, as in the corpus.
  return grooming ? stages : stages.filter((s) => s === "age");
}

/** One conversation per channel of the case; several channels share a scenario. */
export function caseConversations(header: CaseHeader, timeline: TimelineMessage[], label: "grooming" | "benign", labelledBy: string): Conversation[] {
  const grooming = label === "grooming";
  const people = new Map<number, string>([[header.suspect.id, "u1"]]);
  const local = (id: number) => {
    if (!people.has(id)) people.set(id, `u${people.size + 1}`);
    return people.get(id)!;
  };
  const targetIds = new Set(header.targets.map((t) => t.id));
  const byChannel = new Map<number, TimelineMessage[]>();
  for (const m of timeline) {
    if (m.text === null) continue;
    const list = byChannel.get(m.channelId) ?? [];
    list.push(m);
    byChannel.set(m.channelId, list);
  }
  const several = byChannel.size > 1;
  const out: Conversation[] = [];
  let n = 0;
  for (const msgs of byChannel.values()) {
    n++;
    const messages: CorpusMessage[] = msgs.map((m, i) => ({
      id: `m${i}`,
      author: local(m.author.id),
      text: m.text!,
      ts: m.sentAt.toISOString(),
      replyTo: null,
      mentions: [],
      attachments: m.attachments,
      stages: messageStages(m, grooming),
    }));
    const suspectSpoke = msgs.some((m) => m.bySuspect);
    const onsetIndex = grooming ? messages.findIndex((m, i) => msgs[i]!.bySuspect && (m.stages ?? []).some((s) => s !== "age")) : -1;
    const roles: Record<string, "adult" | "child" | "teen" | "unknown"> = {};
    for (const m of msgs) roles[local(m.author.id)] = m.bySuspect ? "adult" : targetIds.has(m.author.id) ? "child" : "unknown";
    const first = msgs[0]!;
    const conv: Conversation = {
      id: several ? `case-${header.id}-${n}` : `case-${header.id}`,
      lang: header.lang === "nl" ? "nl" : first.lang === "nl" ? "nl" : "en",
      platform: header.platform === "telegram" ? "telegram" : "discord",
      channel: { id: `c${n}`, kind: first.channelKind },
      ...(several ? { scenario: `case-${header.id}` } : {}),
      label,
      suspect: grooming && suspectSpoke ? "u1" : null,
      targets: grooming ? [...new Set(msgs.filter((m) => targetIds.has(m.author.id)).map((m) => local(m.author.id)))] : [],
      onset: onsetIndex >= 0 ? onsetIndex : null,
      roles,
      notes: `Haven case #${header.id}, labelled ${label === "benign" ? "not grooming" : label} by ${labelledBy}`,
      messages,
    };
    // The same schema `haven eval`/`train` read with: never write what they would refuse.
    out.push(conversationSchema.parse(conv));
  }
  return out;
}

export async function* labelledConversations(db: Db, stats: ExportStats): AsyncGenerator<Conversation> {
  for (const [caseId, { label, actor }] of await latestLabels(db)) {
    if (label === "unsure") {
      stats.skipped++;
      continue;
    }
    const header = await loadCaseHeader(db, caseId);
    if (!header) continue;
    const convs = caseConversations(header, await loadTimeline(db, header, 5000), label, actor);
    if (convs.length === 0) {
      stats.skipped++;
      continue;
    }
    for (const c of convs) {
      stats.conversations++;
      if (label === "grooming") stats.grooming++;
      else stats.benign++;
      yield c;
    }
  }
}
