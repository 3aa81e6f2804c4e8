// `haven eval FILE.jsonl [--json]`: detection figures of the engine on labelled conversations,
// alerting as the pipeline would (default settings and alert policy).
import type { Command } from "commander";
import { DEFAULT_SETTINGS } from "../config/settings.ts";
import { readConversations } from "../corpus/format.ts";
import { loadModel } from "../engine/index.ts";
import { report, runConversations, type ConversationOutcome, type Figures } from "../engine/evaluate.ts";
import { progress } from "./progress.ts";
import { action } from "./run.ts";

export function registerEval(program: Command): void {
  program
    .command("eval")
    .description("run labelled conversations (JSONL) through the engine and report precision, recall, latency and false alerts")
    .argument("<file>", "labelled conversations, one JSON object a line (see spec/conversation-format.md)")
    .option("--json", "print exactly one JSON object on stdout")
    .option("--model <version>", "model version under models/", "current")
    .action(
      action(async (_ctx, file: string, opts: { json?: boolean; model: string }) => {
        const convs = readConversations(file);
        const model = loadModel(opts.model);
        const bar = progress(convs.reduce((n, c) => n + c.messages.length, 0), "eval", opts.json);
        const outcomes = runConversations(convs, model, DEFAULT_SETTINGS, () => bar.tick());
        bar.stop();
        const r = report(outcomes);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ ...r, model: model.version })}\n`);
          return;
        }
        process.stdout.write(renderTable(r, r.byLang, model.version) + renderMistakes(outcomes));
      }),
    );
}

const pct = (x: number | null) => (x === null ? "-" : `${(100 * x).toFixed(1)}%`);
const fixed = (x: number | null) => (x === null ? "-" : x.toFixed(3));
const num = (x: number | null) => (x === null ? "-" : String(x));

function renderTable(all: Figures, byLang: Record<string, Figures>, version: string): string {
  const rows: [string, Figures][] = [["all", all], ...Object.entries(byLang)];
  const head = ["", "convs", "precision", "recall", "F0.5", "F1", "suspect", "lat.med", "lat.p90", "false/10k"];
  const lines = rows.map(([name, f]) => [name, String(f.conversations), pct(f.precision), pct(f.recall), fixed(f.f05), fixed(f.f1), pct(f.suspectAccuracy), num(f.latencyMedian), num(f.latencyP90), f.falseAlertsPer10k.toFixed(1)]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return `model ${version}\n${fmt(head)}\n${lines.map(fmt).join("\n")}\n`;
}

function renderMistakes(outcomes: ConversationOutcome[]): string {
  const out: string[] = [];
  for (const o of outcomes) {
    if (o.label === "grooming" && !o.alerts.some((a) => a.actor === o.suspect)) {
      const p = o.peak;
      const other = o.alerts.length ? `; alerted on ${o.alerts[0]!.actor} instead of ${o.suspect}` : "";
      out.push(`missed  ${o.id} (${o.lang}): peak ${p ? `${p.score.toFixed(2)} on ${p.actor} at m${p.index} [${p.stages.join(",")}]: ${p.why}` : "no evidence"}${other}`);
    } else if (o.label === "benign" && o.alerts.length > 0) {
      const a = o.alerts[0]!;
      out.push(`false   ${o.id} (${o.lang}): ${o.alerts.length} alert(s), first on ${a.actor} at m${a.index}, score ${a.score.toFixed(2)} [${a.stages.join(",")}]`);
    }
  }
  return out.length ? `\n${out.join("\n")}\n` : "\nno missed or falsely flagged conversations\n";
}
