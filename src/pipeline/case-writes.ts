// Case work of one scoring transaction. Open cases are looked up once for all the
// transaction's suspects, and evidence (case score and stages, linked messages) is written
// together at the end, so that a batch of messages on open cases costs a few statements
// instead of several per message. Later messages of the batch see the earlier ones'
// changes through this object, exactly as they would have seen them in the database.
import type { Stage } from "../types.ts";
import type { Db } from "../store/db.ts";
import { findOpenCase, findOpenCases, linkCasesMessages, mergeEvidence, saveCasesEvidence, type CaseRow } from "../store/cases.ts";

const keyOf = (communityId: number, suspectId: number) => `${communityId}:${suspectId}`;

export class CaseWrites {
  /** Open case (or none) per community and suspect, as of this transaction. */
  private readonly open = new Map<string, CaseRow | null>();
  /** Cases whose score or stages changed, written by flush(). */
  private readonly changed = new Map<number, CaseRow>();
  private links: { caseId: number; messageId: number }[] = [];

  constructor(private readonly db: Db) {}

  /** Looks up the open cases of these suspects in one query. */
  async prefetch(pairs: { communityId: number; suspectId: number }[]): Promise<void> {
    const todo = [...new Map(pairs.filter((p) => !this.open.has(keyOf(p.communityId, p.suspectId))).map((p) => [keyOf(p.communityId, p.suspectId), p])).values()];
    if (!todo.length) return;
    for (const p of todo) this.open.set(keyOf(p.communityId, p.suspectId), null);
    for (const row of await findOpenCases(this.db, todo)) this.open.set(keyOf(row.communityId, row.suspectId), row);
  }

  async find(communityId: number, suspectId: number): Promise<CaseRow | null> {
    const key = keyOf(communityId, suspectId);
    if (this.open.has(key)) return this.open.get(key)!;
    const row = await findOpenCase(this.db, communityId, suspectId);
    this.open.set(key, row);
    return row;
  }

  /** A case opened in this transaction. */
  opened(row: CaseRow): void {
    this.open.set(keyOf(row.communityId, row.suspectId), row);
  }

  /** New evidence on a case: the row as it will be once written. */
  addEvidence(row: CaseRow, score: number, stages: Stage[]): CaseRow {
    const next = { ...row, ...mergeEvidence(row, score, stages) };
    this.changed.set(row.id, next);
    this.open.set(keyOf(row.communityId, row.suspectId), next);
    return next;
  }

  /** An alert was recorded on the case (written by the caller): later messages see it. */
  alerted(row: CaseRow, score: number, at: Date): CaseRow {
    const next = { ...row, lastAlertScore: score, lastAlertAt: at };
    this.open.set(keyOf(row.communityId, row.suspectId), next);
    if (this.changed.has(row.id)) this.changed.set(row.id, next);
    return next;
  }

  link(caseId: number, messageIds: number[]): void {
    for (const messageId of new Set(messageIds)) if (!this.links.some((l) => l.caseId === caseId && l.messageId === messageId)) this.links.push({ caseId, messageId });
  }

  /** Hands pending links to a statement that writes them itself (see linkCaseConversationWith). */
  takeLinks(): { caseId: number; messageId: number }[] {
    const links = this.links;
    this.links = [];
    return links;
  }

  /** Writes pending links (before a statement that reads case_messages). */
  async flushLinks(): Promise<void> {
    if (!this.links.length) return;
    const links = this.links;
    this.links = [];
    await linkCasesMessages(this.db, links);
  }

  /** Writes everything pending; call before the transaction commits. */
  async flush(): Promise<void> {
    await this.flushLinks();
    if (!this.changed.size) return;
    const rows = [...this.changed.values()].sort((a, b) => a.id - b.id);
    this.changed.clear();
    await saveCasesEvidence(this.db, rows);
  }
}
