// The queue page: filters and the list of cases waiting for a reviewer.
import { STAGES } from "../../types.ts";
import type { SessionUser } from "../auth/sessions.ts";
import { communityLabel, type CommunityOption, type QueueFilter, type QueueRow } from "../queries/queue.ts";
import { scoreBadge, stageChips, when } from "./format.ts";
import { html, type Html } from "./html.ts";
import { page } from "./layout.ts";

const STATUSES = ["open", "confirmed", "dismissed", "escalated"] as const;

export function queuePage(user: SessionUser, rows: QueueRow[], communities: CommunityOption[], filter: QueueFilter, flash: string | null): Html {
  const option = (value: string, label: string, current: string | number | undefined) =>
    html`<option value="${value}" ${String(current ?? "") === value ? html`selected` : ""}>${label}</option>`;
  return page(
    { title: "Queue", user, nav: "queue", flash },
    html`<div class="page-head">
  <h1>Review queue</h1>
  <p class="muted">${rows.length} case${rows.length === 1 ? "" : "s"} · highest risk first${filter.status === "open" || !filter.status ? " · opening a case claims it for you" : ""}</p>
</div>
<form class="filters" method="get" action="/">
  <label>Community <select name="community">${option("", "All", filter.communityId)}${communities.map((c) => option(String(c.id), communityLabel(c), filter.communityId))}</select></label>
  <label>Status <select name="status">${STATUSES.map((s) => option(s, s, filter.status ?? "open"))}</select></label>
  <label>Stage <select name="stage">${option("", "Any", filter.stage)}${STAGES.map((s) => option(s, s, filter.stage))}</select></label>
  <label>Language <select name="lang">${option("", "Any", filter.lang)}${option("en", "English", filter.lang)}${option("nl", "Dutch", filter.lang)}</select></label>
  <button type="submit" class="secondary">Filter</button>
</form>
${rows.length === 0
  ? html`<section class="empty card"><h2>Nothing waiting</h2><p class="muted">No cases match. New cases appear here when Haven raises an alert.</p></section>`
  : html`<table class="queue">
  <thead><tr><th>Risk</th><th>Case</th><th>Community</th><th>Suspect</th><th>Stages</th><th>Lang</th><th>Opened</th><th></th></tr></thead>
  <tbody>
  ${rows.map(
    (r) => html`<tr data-case="${r.id}">
    <td>${scoreBadge(r.score)}</td>
    <td class="nowrap"><a href="/cases/${r.id}" class="case-link">Case #${r.id}</a></td>
    <td>${communityLabel({ name: r.communityName, platform: r.platform, platformId: r.communityPlatformId })}</td>
    <td>${r.suspect}</td>
    <td>${stageChips(r.stages)}</td>
    <td>${r.lang ?? "—"}</td>
    <td class="nowrap">${when(r.openedAt)}</td>
    <td>${r.claimedByMe ? html`<span class="tag mine">yours</span>` : r.claimedBy ? html`<span class="tag">${r.claimedBy}</span>` : ""}</td>
  </tr>`,
  )}
  </tbody>
</table>`}`,
  );
}
