// Settings pages: the communities an admin configures, and one community's form with its
// revision history and the threshold what-if.
import type { CommunitySettings } from "../../config/settings.ts";
import { PLATFORM_ACTIONS } from "../../types.ts";
import type { SessionUser } from "../auth/sessions.ts";
import { communityLabel, type CommunityOption } from "../queries/queue.ts";
import type { WhatIf } from "../whatif.ts";
import { precisionRecallChart } from "./charts.ts";
import { when } from "./format.ts";
import { html, type Html } from "./html.ts";
import { page } from "./layout.ts";

export function settingsIndexPage(user: SessionUser, list: CommunityOption[]): Html {
  return page(
    { title: "Settings", user, nav: "settings" },
    html`<div class="page-head"><h1>Settings</h1><p class="muted">Communities you administer.</p></div>
<ul class="cards">${list.map((c) => html`<li class="card"><a href="/settings/${c.id}">${communityLabel(c)}</a></li>`)}</ul>
${list.length === 0 ? html`<p class="muted">None yet.</p>` : ""}`,
  );
}

export interface Revision {
  revision: number;
  changed: string[];
  changedBy: string;
  createdAt: Date;
}

const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 100)}%`);

export function whatIfFigures(w: WhatIf): Html {
  const f = w.at;
  return html`<dl class="figures" id="whatif-figures">
  <div><dt>Alerts</dt><dd data-k="alerts">${f.alerts}</dd></div>
  <div><dt>Suspects alerted</dt><dd data-k="suspectsAlerted">${f.suspectsAlerted}</dd></div>
  <div><dt>Labelled grooming</dt><dd data-k="labelledGrooming" class="good">${f.labelledGrooming}</dd></div>
  <div><dt>Labelled not grooming</dt><dd data-k="labelledBenign" class="bad">${f.labelledBenign}</dd></div>
  <div><dt>Missed (labelled grooming)</dt><dd data-k="missed">${f.missed}</dd></div>
  <div><dt>Precision</dt><dd data-k="precision">${pct(f.precision)}</dd></div>
  <div><dt>Recall</dt><dd data-k="recall">${pct(f.recall)}</dd></div>
</dl>`;
}

export function communitySettingsPage(
  user: SessionUser,
  community: CommunityOption,
  settings: CommunitySettings,
  revisions: Revision[],
  whatIf: { result: WhatIf | null; error: string | null; threshold: number },
  flash: string | null,
): Html {
  const csrf = html`<input type="hidden" name="_csrf" value="${user.csrfToken}">`;
  const list = (v: string[]) => v.join(", ");
  const sel = (name: string, options: readonly string[], current: string) =>
    html`<select name="${name}">${options.map((o) => html`<option value="${o}" ${o === current ? html`selected` : ""}>${o}</option>`)}</select>`;
  const w = whatIf.result;
  return page(
    { title: `Settings · ${communityLabel(community)}`, user, nav: "settings", flash, scripts: ["settings.js"] },
    html`<div class="page-head"><p class="crumbs"><a href="/settings">Settings</a> › ${communityLabel(community)}</p><h1>${communityLabel(community)}</h1></div>
<div class="case-grid">
  <section class="main-col">
    <form method="post" action="/settings/${community.id}" class="card settings-form" id="settings-form" data-community="${community.id}">
      ${csrf}
      <h2>Alerting</h2>
      <div class="grid2">
        <label>Threshold <span class="muted small">risk score 0–1 that raises an alert${whatIf.threshold !== settings.threshold ? ` · saved: ${settings.threshold}` : ""}</span>
          <input type="number" name="threshold" id="threshold" min="0" max="1" step="0.01" value="${whatIf.threshold}" required></label>
        <label>Mode ${sel("mode", ["live", "shadow", "off"], settings.mode)}</label>
        <label>Minimum stages <input type="number" name="minStages" min="1" max="8" value="${settings.minStages}" required></label>
        <label>Cooldown (minutes) <input type="number" name="cooldownMinutes" min="0" max="10080" value="${settings.cooldownMinutes}" required></label>
      </div>
      <h2>Languages watched</h2>
      <div class="checks"><input type="hidden" name="languages" value="">${(["en", "nl"] as const).map((l) => html`<label class="check"><input type="checkbox" name="languages" value="${l}" ${settings.languages.includes(l) ? html`checked` : ""}> ${l === "en" ? "English" : "Dutch"}</label>`)}</div>
      <h2>Buttons that act on the platform</h2>
      <p class="muted small">Off by default: Haven never acts on its own. Enabled buttons appear on alerts for moderators with the platform's right to use them.</p>
      <div class="checks"><input type="hidden" name="platformActions" value="">${PLATFORM_ACTIONS.map((a) => html`<label class="check"><input type="checkbox" name="platformActions" value="${a}" ${settings.platformActions.includes(a) ? html`checked` : ""}> ${actionLabel(a)}</label>`)}</div>
      <h2>Automatic actions</h2>
      <p class="muted small">Off by default. Ticked actions are taken by Haven itself, without waiting for a moderator, once per case when a live alert reaches the score below; each is audited and shown on the alert.</p>
      <div class="checks"><input type="hidden" name="autoActions" value="">${PLATFORM_ACTIONS.map((a) => html`<label class="check"><input type="checkbox" name="autoActions" value="${a}" ${settings.autoActions.includes(a) ? html`checked` : ""}> ${actionLabel(a)}</label>`)}</div>
      <label>At score <span class="muted small">0–1, at or above the alert</span><input type="number" name="autoActionScore" min="0" max="1" step="0.01" value="${settings.autoActionScore}" required></label>
      <h2>Exemptions</h2>
      <div class="grid2">
        <label>Channels <span class="muted small">ids, comma-separated</span><input name="exemptChannels" value="${list(settings.exemptChannels)}"></label>
        <label>Roles <input name="exemptRoles" value="${list(settings.exemptRoles)}"></label>
        <label>Users <input name="exemptUsers" value="${list(settings.exemptUsers)}"></label>
      </div>
      <h2>Retention</h2>
      <div class="grid2">
        <label>Message text (days) <input type="number" name="retentionDays" min="1" max="3650" value="${settings.retentionDays}" required></label>
        <label>Closed cases (days) <input type="number" name="caseRetentionDays" min="1" max="3650" value="${settings.caseRetentionDays}" required></label>
      </div>
      <div class="button-row"><button type="submit">Save as new revision</button></div>
    </form>
    <section class="card" id="whatif">
      <div class="card-head"><h2>What this threshold would have done</h2><span class="muted small" id="whatif-threshold">at ${whatIf.threshold.toFixed(2)}</span></div>
      ${w
        ? html`<p class="muted small">Replayed ${w.messages} stored messages through a fresh engine; ${w.labelledSuspects.grooming} suspect(s) labelled grooming and ${w.labelledSuspects.benign} not grooming by reviewers.</p>
      ${whatIfFigures(w)}
      ${w.labelledSuspects.grooming + w.labelledSuspects.benign > 0
        ? precisionRecallChart(w.curve, whatIf.threshold)
        : html`<p class="muted">Precision and recall appear once reviewers have labelled cases of this community as grooming or not grooming.</p>`}
      <form method="get" action="/settings/${community.id}" class="inline-form compact"><label>Try threshold <input type="number" name="threshold" min="0" max="1" step="0.01" value="${whatIf.threshold}"></label><button class="secondary small">Preview</button></form>`
        : html`<p class="error">What-if unavailable: ${whatIf.error ?? "unknown reason"}</p>`}
    </section>
  </section>
  <aside class="side-col">
    <div class="card">
      <h2>History</h2>
      ${revisions.length
        ? html`<ol class="plain">${revisions.map((r) => html`<li><strong>r${r.revision}</strong> · ${r.changedBy} · ${when(r.createdAt)}<br><span class="muted small">${r.changed.join(", ") || "initial"}</span></li>`)}</ol>`
        : html`<p class="muted">Defaults; never changed.</p>`}
    </div>
  </aside>
</div>`,
  );
}

function actionLabel(a: (typeof PLATFORM_ACTIONS)[number]): string {
  return a === "timeout" ? "Timeout / mute suspect" : a === "ban" ? "Ban suspect" : "Delete message";
}
