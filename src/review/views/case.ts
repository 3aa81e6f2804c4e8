// The case view: who, what the engine saw (timeline with evidence, score chart), what
// was alerted and decided, and the reviewer's actions.
import { STAGES, type Stage } from "../../types.ts";
import type { SessionUser } from "../auth/sessions.ts";
import type { CaseHeader, TimelineMessage } from "../queries/case.ts";
import type { loadCaseAlerts, loadCaseHistory, loadCaseLabels, loadCaseNotes } from "../queries/case.ts";
import { communityLabel } from "../queries/queue.ts";
import { scoreChart } from "./charts.ts";
import { scoreBadge, stageChips, when } from "./format.ts";
import { highlight } from "./highlight.ts";
import { html, type Html } from "./html.ts";
import { page } from "./layout.ts";

export interface CaseView {
  header: CaseHeader;
  timeline: TimelineMessage[];
  alerts: Awaited<ReturnType<typeof loadCaseAlerts>>;
  labels: Awaited<ReturnType<typeof loadCaseLabels>>;
  notes: Awaited<ReturnType<typeof loadCaseNotes>>;
  history: Awaited<ReturnType<typeof loadCaseHistory>>;
  threshold: number | null;
  claimedByOther: string | null;
  canDecide: boolean;
  csrf: string;
}

const csrfField = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;

const personName = (p: { name: string | null; platformId: string }) => (p.name ? `${p.name} (${p.platformId})` : p.platformId);
const LABEL_TEXT: Record<string, string> = { grooming: "grooming", benign: "not grooming", unsure: "unsure" };

function historyText(action: string, details: unknown): string {
  const d = (details ?? {}) as Record<string, unknown>;
  if (action === "case.decide" && typeof d.decision === "string") return `decided: ${d.decision}`;
  if (action === "case.label" && typeof d.label === "string") return `labelled ${LABEL_TEXT[d.label] ?? d.label}`;
  if (action === "case.label_stages") return `corrected stages of a message`;
  return action.replace("case.", "");
}

function messageStages(m: TimelineMessage): Stage[] {
  return [...new Set(m.signals.map((s) => s.stage))];
}

function timelineItem(v: CaseView, m: TimelineMessage): Html {
  const stages = messageStages(m);
  const evidence = m.signals.map((s) => s.evidence);
  const hidden = !m.bySuspect;
  const body =
    m.text === null
      ? html`<p class="text purged">Text removed (retention or erasure).</p>`
      : hidden
        ? html`<p class="text concealed" data-message="${m.id}">Hidden: a child's message. Use “Reveal messages” to read it.</p>`
        : html`<p class="text">${highlight(m.text, evidence)}</p>`;
  return html`<li class="msg ${m.bySuspect ? "suspect" : "other"} ${m.inCase ? "evidence" : ""}" id="m${m.id}">
  <div class="meta">
    <strong>${m.author.name ?? m.author.platformId}</strong>${m.bySuspect ? html` <span class="tag danger">suspect</span>` : ""}
    <span class="muted">${when(m.sentAt)}${m.channelName ? ` · #${m.channelName}` : ""}${m.channelKind === "dm" ? " · DM" : ""}</span>
    ${m.score !== null ? html`<span class="muted">score ${m.score.toFixed(2)}</span>` : ""}
    ${m.attachments ? html`<span class="tag">${m.attachments} attachment(s), not stored</span>` : ""}
  </div>
  ${body}
  ${stages.length ? html`<div class="signals">${stageChips(stages)}${m.signals.map((s) => html`<span class="evidence" title="${s.rule}">“${s.evidence}” ${s.weight.toFixed(2)}</span>`)}</div>` : ""}
  ${m.correctedStages ? html`<div class="corrected">Reviewer stages: ${m.correctedStages.length ? stageChips(m.correctedStages) : "none"}</div>` : ""}
  ${v.canDecide
    ? html`<details class="correct"><summary>Correct stages</summary>
    <form method="post" action="/cases/${v.header.id}/stages" class="stage-form">
      ${csrfField(v.csrf)}
      <input type="hidden" name="messageId" value="${m.id}">
      ${STAGES.map((s) => html`<label class="check"><input type="checkbox" name="stages" value="${s}" ${(m.correctedStages ?? stages).includes(s) ? html`checked` : ""}> ${s}</label>`)}
      <button type="submit" class="secondary small">Save stages</button>
    </form></details>`
    : ""}
</li>`;
}

export function casePage(user: SessionUser, v: CaseView, flash: string | null): Html {
  const h = v.header;
  const latestLabel = v.labels[v.labels.length - 1];
  const points = v.timeline.filter((m) => m.score !== null).map((m) => ({ ts: m.sentAt.getTime(), score: m.score! }));
  const hiddenCount = v.timeline.filter((m) => !m.bySuspect && m.text !== null).length;
  const content = html`<div class="page-head">
  <p class="crumbs"><a href="/">Queue</a> › Case #${h.id}</p>
  <h1>Case #${h.id} ${scoreBadge(h.score)} <span class="status status-${h.status}">${h.status}</span></h1>
  <p class="muted">${communityLabel({ name: h.communityName, platform: h.platform, platformId: h.communityPlatformId })} · opened ${when(h.openedAt)}${h.decidedBy ? ` · decided by ${h.decidedBy} ${when(h.decidedAt)}` : ""}</p>
  ${v.claimedByOther ? html`<p class="warning" role="status">${v.claimedByOther} is working on this case. Coordinate before acting on it.</p>` : ""}
</div>
<div class="case-grid">
  <section class="main-col">
    <div class="card people">
      <div><h3>Suspect</h3><p>${personName(h.suspect)}</p></div>
      <div><h3>Approached</h3><p>${h.targets.length ? h.targets.map((t, i) => html`${i ? ", " : ""}${personName(t)}`) : "—"}</p></div>
      <div><h3>Stages</h3><p>${stageChips(h.stages)}</p></div>
    </div>
    <div class="card">
      <h2>Score over time</h2>
      ${scoreChart(points, v.threshold)}
    </div>
    <div class="card">
      <div class="card-head">
        <h2>Conversation</h2>
        ${hiddenCount ? html`<button type="button" id="reveal" class="secondary" data-case="${h.id}">Reveal messages (${hiddenCount})</button>` : ""}
      </div>
      <p class="muted small">Children's messages stay hidden until you reveal them; revealing is recorded in the audit log. Highlighted: evidence the engine matched.</p>
      <ol class="timeline">${v.timeline.map((m) => timelineItem(v, m))}</ol>
    </div>
  </section>
  <aside class="side-col">
    ${v.canDecide
      ? html`<div class="card">
      <h2>Label</h2>
      ${latestLabel ? html`<p>Current: <strong>${LABEL_TEXT[latestLabel.label]}</strong> <span class="muted">by ${latestLabel.actor}</span></p>` : html`<p class="muted">Is this grooming? Your label trains Haven.</p>`}
      <form method="post" action="/cases/${h.id}/label" class="button-row" id="label-form">
        ${csrfField(v.csrf)}
        <button name="label" value="grooming" class="danger">Grooming</button>
        <button name="label" value="benign" class="ok">Not grooming</button>
        <button name="label" value="unsure" class="secondary">Unsure</button>
      </form>
    </div>
    <div class="card">
      <h2>Decision</h2>
      <p class="muted small">Same as the buttons in the moderators' chat.</p>
      <form method="post" action="/cases/${h.id}/action" class="button-row">
        ${csrfField(v.csrf)}
        <button name="kind" value="confirm" class="danger" ${h.status === "confirmed" ? html`disabled` : ""}>Confirm</button>
        <button name="kind" value="dismiss" class="secondary" ${h.status === "dismissed" ? html`disabled` : ""}>Dismiss</button>
        <button name="kind" value="escalate" class="warn" ${h.status === "escalated" ? html`disabled` : ""}>Escalate</button>
      </form>
    </div>
    <div class="card">
      <h2>Note</h2>
      <form method="post" action="/cases/${h.id}/note" class="stack">
        ${csrfField(v.csrf)}
        <textarea name="text" rows="3" maxlength="4000" required placeholder="What you noticed, who you told…"></textarea>
        <button type="submit" class="secondary">Add note</button>
      </form>
      ${v.notes.length ? html`<ul class="notes">${v.notes.map((n) => html`<li><p>${n.text}</p><span class="muted small">${n.author} · ${when(n.createdAt)}</span></li>`)}</ul>` : ""}
    </div>`
      : ""}
    <div class="card">
      <h2>Evidence</h2>
      <p><a href="/cases/${h.id}/export" download>Download evidence export (JSON)</a></p>
      <p class="muted small">The download contains the messages' text and is recorded in the audit log.</p>
    </div>
    <div class="card">
      <h2>Alerts</h2>
      ${v.alerts.length
        ? html`<ul class="plain">${v.alerts.map((a) => html`<li>${when(a.createdAt)} · ${a.trigger} · ${a.mode} · score ${a.score.toFixed(2)} ≥ ${a.threshold.toFixed(2)} <span class="muted">(${a.deliveryState})</span></li>`)}</ul>`
        : html`<p class="muted">None.</p>`}
    </div>
    <div class="card">
      <h2>History</h2>
      ${v.history.length ? html`<ul class="plain">${v.history.map((e) => html`<li>${when(e.at)} · ${e.actor} · ${historyText(e.action, e.details)}</li>`)}</ul>` : html`<p class="muted">Nothing yet.</p>`}
    </div>
  </aside>
</div>`;
  return page({ title: `Case #${h.id}`, user, nav: "queue", flash, scripts: ["case.js"] }, content);
}
