// The evidence export of a case: everything a moderator would hand to a platform's trust
// and safety team or the police, as one JSON document (text only, never media).
import type { Db } from "../store/db.ts";
import { loadCaseAlerts, loadCaseLabels, loadCaseNotes, loadTimeline, type CaseHeader } from "./queries/case.ts";

export async function buildEvidenceExport(db: Db, header: CaseHeader) {
  const [timeline, alerts, labels, notes] = await Promise.all([loadTimeline(db, header, 2000), loadCaseAlerts(db, header.id), loadCaseLabels(db, header.id), loadCaseNotes(db, header.id)]);
  return {
    format: "haven-evidence/1",
    exportedAt: new Date().toISOString(),
    case: {
      id: header.id,
      platform: header.platform,
      community: { id: header.communityPlatformId, name: header.communityName },
      status: header.status,
      score: header.score,
      stages: header.stages,
      openedAt: header.openedAt.toISOString(),
      decidedBy: header.decidedBy,
      decidedAt: header.decidedAt?.toISOString() ?? null,
      suspect: { id: header.suspect.platformId, name: header.suspect.name },
      targets: header.targets.map((t) => ({ id: t.platformId, name: t.name })),
    },
    messages: timeline.map((m) => ({
      id: m.platformMessageId,
      channel: { id: m.channelPlatformId, name: m.channelName, kind: m.channelKind },
      author: { id: m.author.platformId, name: m.author.name },
      sentAt: m.sentAt.toISOString(),
      text: m.text,
      attachments: m.attachments,
      link: m.link,
      score: m.score,
      evidence: m.signals,
      reviewerStages: m.correctedStages,
    })),
    alerts: alerts.map((a) => ({ ...a, createdAt: a.createdAt.toISOString() })),
    labels: labels.map((l) => ({ label: l.label, actor: l.actor, source: l.source, at: l.createdAt.toISOString() })),
    notes: notes.map((n) => ({ author: n.author, text: n.text, at: n.createdAt.toISOString() })),
  };
}
