// The playground page: the input form and, after a run, each message with its stages,
// score and whether it would have raised an alert.
import type { SessionUser } from "../auth/sessions.ts";
import type { PlaygroundResult } from "../playground.ts";
import { scoreBadge, stageChips } from "./format.ts";
import { highlight } from "./highlight.ts";
import { html, type Html } from "./html.ts";
import { page } from "./layout.ts";

export interface PlaygroundForm {
  text: string;
  kind: "dm" | "group";
  threshold: number;
  minStages: number;
}

export function playgroundPage(user: SessionUser, form: PlaygroundForm, result: PlaygroundResult | null, error: string | null): Html {
  return page(
    { title: "Playground", user, nav: "playground", scripts: ["playground.js"] },
    html`<div class="page-head"><h1>Playground</h1><p class="muted">Paste a conversation, one message per line as <code>name: text</code>, or load the first conversation of a JSONL file. Nothing is stored.</p></div>
<section class="playground-page">
  <form method="post" action="/playground" enctype="multipart/form-data" class="card stack" id="playground-form">
    <input type="hidden" name="_csrf" value="${user.csrfToken}">
    <label>Conversation <textarea name="text" id="pg-text" rows="10" spellcheck="false" placeholder="alex: hey, loved your drawing&#10;sam: thanks!">${form.text}</textarea></label>
    <div class="inline-form">
      <label>JSONL file <input type="file" name="file" id="pg-file" accept=".jsonl,.json,application/json"></label>
      <label>Channel <select name="kind"><option value="dm" ${form.kind === "dm" ? html`selected` : ""}>DM</option><option value="group" ${form.kind === "group" ? html`selected` : ""}>group</option></select></label>
      <label>Threshold <input type="number" name="threshold" min="0" max="1" step="0.01" value="${form.threshold}"></label>
      <label>Min. stages <input type="number" name="minStages" min="1" max="8" value="${form.minStages}"></label>
    </div>
    <div class="button-row"><button type="submit">Score it</button></div>
  </form>
  ${error ? html`<p class="error" role="alert">${error}</p>` : ""}
  ${result
    ? html`<section class="card" id="pg-result">
    <div class="card-head"><h2>Result</h2>${result.alerts
      ? html`<span class="verdict alert" id="pg-verdict">Would alert (first at message ${result.firstAlertAt! + 1})</span>`
      : html`<span class="verdict quiet" id="pg-verdict">No alert</span>`}</div>
    <table class="list playground">
      <thead><tr><th>#</th><th>Author</th><th>Message</th><th>Stages</th><th>Score</th><th></th></tr></thead>
      <tbody>${result.rows.map(
        (r, i) => html`<tr class="${r.alert ? "alerting" : ""}"><td>${i + 1}</td><td>${r.author}</td><td>${highlight(r.text, r.evidence)}</td><td>${stageChips(r.stages)}</td><td>${r.score === null ? "—" : scoreBadge(r.score)}</td><td class="nowrap">${r.alert ? html`<span class="tag danger">alert: ${r.alert}</span>` : ""}</td></tr>`,
      )}</tbody>
    </table>
  </section>`
    : ""}
</section>`,
  );
}
