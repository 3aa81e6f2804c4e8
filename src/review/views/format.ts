// Small display helpers shared by the views.
import type { Stage } from "../../types.ts";
import { html, type Html } from "./html.ts";

export function scoreBadge(score: number): Html {
  const level = score >= 0.8 ? "high" : score >= 0.5 ? "mid" : "low";
  return html`<span class="score ${level}" title="risk score">${score.toFixed(2)}</span>`;
}

export function stageChips(stages: readonly Stage[]): Html {
  return html`<span class="chips">${stages.map((s) => html`<span class="chip stage-${s}">${s}</span>`)}</span>`;
}

export function when(date: Date | number | null | undefined): string {
  if (date === null || date === undefined) return "—";
  const d = typeof date === "number" ? new Date(date) : date;
  return d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}
