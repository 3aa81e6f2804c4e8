// The audit log table with simple filters.
import type { auditLog } from "../../store/schema.ts";
import type { SessionUser } from "../auth/sessions.ts";
import { communityLabel, type CommunityOption } from "../queries/queue.ts";
import { when } from "./format.ts";
import { html, type Html } from "./html.ts";
import { page } from "./layout.ts";

type Row = typeof auditLog.$inferSelect;

export function auditPage(
  user: SessionUser,
  rows: Row[],
  communities: CommunityOption[],
  opts: { action?: string | undefined; actor?: string | undefined; community?: number | undefined; more: number | null },
): Html {
  const next = new URLSearchParams();
  if (opts.action) next.set("action", opts.action);
  if (opts.actor) next.set("actor", opts.actor);
  if (opts.community) next.set("community", String(opts.community));
  if (opts.more) next.set("before", String(opts.more));
  return page(
    { title: "Audit log", user, nav: "audit" },
    html`<div class="page-head"><h1>Audit log</h1><p class="muted">Every view of a case's messages, every reveal, label, decision and settings change. Newest first.</p></div>
<form class="filters" method="get" action="/audit">
  <label>Action starts with <input name="action" value="${opts.action ?? ""}" placeholder="case.reveal"></label>
  <label>Actor <input name="actor" value="${opts.actor ?? ""}" placeholder="console:alice"></label>
  <label>Community <select name="community"><option value="">all</option>${communities.map((c) => html`<option value="${c.id}" ${opts.community === c.id ? html`selected` : ""}>${communityLabel(c)}</option>`)}</select></label>
  <button type="submit" class="secondary">Filter</button>
</form>
<table class="list audit">
  <thead><tr><th>When</th><th>Who</th><th>Action</th><th>Subject</th><th>Details</th></tr></thead>
  <tbody>${rows.map(
    (r) => html`<tr><td class="nowrap">${when(r.at)}</td><td>${r.actor}</td><td><code>${r.action}</code></td><td>${r.subject ? (r.subject.startsWith("case:") ? html`<a href="/cases/${r.subject.slice(5)}">${r.subject}</a>` : r.subject) : "—"}</td><td class="details"><code>${JSON.stringify(r.details)}</code></td></tr>`,
  )}</tbody>
</table>
${opts.more ? html`<p><a href="/audit?${next.toString()}">Older entries</a></p>` : ""}`,
  );
}
