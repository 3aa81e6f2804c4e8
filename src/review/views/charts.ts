// Small server-rendered SVG charts (presentation attributes only: the CSP forbids inline styles).
import { html, type Html } from "./html.ts";

const W = 640;
const H = 180;
const PAD = { left: 40, right: 12, top: 12, bottom: 28 };

const x0 = PAD.left;
const x1 = W - PAD.right;
const y0 = H - PAD.bottom;
const y1 = PAD.top;
const yOf = (v: number) => y0 - Math.max(0, Math.min(1, v)) * (y0 - y1);

function yAxis(): Html {
  return html`${[0, 0.25, 0.5, 0.75, 1].map(
    (v) => html`<line x1="${x0}" x2="${x1}" y1="${yOf(v).toFixed(1)}" y2="${yOf(v).toFixed(1)}" stroke="#e5e7eb" stroke-width="1"/><text x="${x0 - 6}" y="${(yOf(v) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#6b7280">${v.toFixed(2)}</text>`,
  )}`;
}

/** Risk score after each scored message, with the community threshold as a dashed line. */
export function scoreChart(points: { ts: number; score: number }[], threshold: number | null): Html {
  if (points.length === 0) return html`<p class="muted">No scored messages.</p>`;
  const t0 = points[0]!.ts;
  const t1 = points[points.length - 1]!.ts;
  // Evenly spaced by message order: conversations pause for days, time scale would hide them.
  const xOf = (i: number) => (points.length === 1 ? (x0 + x1) / 2 : x0 + (i / (points.length - 1)) * (x1 - x0));
  const line = points.map((p, i) => `${xOf(i).toFixed(1)},${yOf(p.score).toFixed(1)}`).join(" ");
  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="Risk score over the conversation">
  ${yAxis()}
  ${threshold !== null ? html`<line x1="${x0}" x2="${x1}" y1="${yOf(threshold).toFixed(1)}" y2="${yOf(threshold).toFixed(1)}" stroke="#dc2626" stroke-width="1.5" stroke-dasharray="5 4"/><text x="${x1}" y="${(yOf(threshold) - 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#dc2626">threshold ${threshold.toFixed(2)}</text>` : ""}
  <polyline points="${line}" fill="none" stroke="#4f46e5" stroke-width="2" stroke-linejoin="round"/>
  ${points.map((p, i) => html`<circle cx="${xOf(i).toFixed(1)}" cy="${yOf(p.score).toFixed(1)}" r="3" fill="#4f46e5"><title>${p.score.toFixed(2)}</title></circle>`)}
  <text x="${x0}" y="${H - 8}" font-size="11" fill="#6b7280">${new Date(t0).toISOString().slice(0, 10)}</text>
  <text x="${x1}" y="${H - 8}" text-anchor="end" font-size="11" fill="#6b7280">${new Date(t1).toISOString().slice(0, 10)} · ${points.length} scored messages</text>
</svg>`;
}

export interface CurvePoint {
  threshold: number;
  precision: number | null;
  recall: number | null;
}

/** Precision and recall of alerts against reviewer labels, over thresholds 0–1. */
export function precisionRecallChart(points: CurvePoint[], current: number): Html {
  const xOf = (t: number) => x0 + t * (x1 - x0);
  const path = (key: "precision" | "recall") =>
    points
      .filter((p) => p[key] !== null)
      .map((p) => `${xOf(p.threshold).toFixed(1)},${yOf(p[key]!).toFixed(1)}`)
      .join(" ");
  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="Precision and recall by threshold">
  ${yAxis()}
  ${[0, 0.2, 0.4, 0.6, 0.8, 1].map((t) => html`<text x="${xOf(t).toFixed(1)}" y="${H - 10}" text-anchor="middle" font-size="11" fill="#6b7280">${t.toFixed(1)}</text>`)}
  <line id="threshold-marker" data-x0="${x0}" data-x1="${x1}" x1="${xOf(current).toFixed(1)}" x2="${xOf(current).toFixed(1)}" y1="${y1}" y2="${y0}" stroke="#111827" stroke-width="1" stroke-dasharray="4 3"/>
  <polyline points="${path("precision")}" fill="none" stroke="#059669" stroke-width="2"/>
  <polyline points="${path("recall")}" fill="none" stroke="#d97706" stroke-width="2"/>
</svg>
<p class="legend small"><span class="swatch precision"></span>precision <span class="swatch recall"></span>recall <span class="swatch current"></span>proposed threshold</p>`;
}
