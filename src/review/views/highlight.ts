// Marks the engine's evidence inside a message's text. Evidence is normalised text, so
// it is found case-insensitively; what cannot be found is listed beside the message.
import { html, type Html } from "./html.ts";

export function findSpans(text: string, evidence: readonly string[]): [number, number][] {
  const lower = text.toLowerCase();
  const spans: [number, number][] = [];
  for (const e of evidence) {
    const needle = e.trim().toLowerCase();
    if (needle.length < 2) continue;
    const at = lower.indexOf(needle);
    if (at >= 0) spans.push([at, at + needle.length]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged;
}

export function highlight(text: string, evidence: readonly string[]): Html {
  const parts: Html[] = [];
  let pos = 0;
  for (const [from, to] of findSpans(text, evidence)) {
    parts.push(html`${text.slice(pos, from)}<mark>${text.slice(from, to)}</mark>`);
    pos = to;
  }
  parts.push(html`${text.slice(pos)}`);
  return html`${parts}`;
}
