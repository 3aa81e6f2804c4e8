// `haven replay FILE.jsonl`: feeds labelled conversations through the whole pipeline
// (store, engine, policy, cases, outbox) and prints the alerts that would be delivered.
import type { Command } from "commander";
import { createHaven } from "../app.ts";
import { localAuthorId, readConversations, streamGroups, type Conversation } from "../corpus/format.ts";
import type { Logger } from "../log.ts";
import { openDatabase, type Database } from "../store/db.ts";
import { PLATFORMS, type Actor, type AlertPayload, type AlertSink, type Platform } from "../types.ts";
import { progress } from "./progress.ts";
import { action, openConfiguredDatabase } from "./run.ts";

export interface ReplayAlert {
  /** The JSONL conversation whose message raised the alert. */
  conversation: string;
  case: number;
  alert: number;
  trigger: AlertPayload["trigger"];
  /** Author ids as written in the JSONL file. */
  suspect: string;
  targets: string[];
  score: number;
  stages: string[];
}

export interface ReplayResult {
  messages: number;
  alerts: ReplayAlert[];
}

const REPLAY_ACTOR: Actor = { via: "cli", id: "replay", name: "haven replay", rights: ["configure"] };

/** Captures what would be posted to moderators instead of posting it. */
class CaptureSink implements AlertSink {
  readonly delivered: AlertPayload[] = [];
  constructor(readonly platform: Platform) {}
  async deliverAlert(alert: AlertPayload, _to: string, previousRef: string | null) {
    this.delivered.push(alert);
    return { ref: previousRef ?? `replay-${alert.alertId}` };
  }
  async showDecision() {}
  async performAction() {}
}

export async function runReplay(
  database: Database,
  conversations: Conversation[],
  opts: { community?: string; log?: Logger; model?: string; onMessage?: () => void } = {},
): Promise<ReplayResult> {
  const haven = await createHaven({ database, ...(opts.log ? { log: opts.log } : {}), ...(opts.model ? { model: opts.model } : {}) });
  const sinks = PLATFORMS.map((p) => new CaptureSink(p));
  for (const s of sinks) haven.service.registerSink(s);
  const conversationOf = new Map<number, string>();
  const ready = new Set<string>();
  let count = 0;
  try {
    for (const group of streamGroups(conversations)) {
      for (const item of group) {
        const msg = opts.community ? { ...item.message, communityId: opts.community } : item.message;
        const key = `${msg.platform}:${msg.communityId}`;
        if (!ready.has(key)) {
          ready.add(key);
          // Alerts need somewhere to go; a community that has a moderators' channel keeps it.
          const settings = await haven.service.getSettings(msg.platform, msg.communityId);
          if (!settings.modChannel) await haven.service.changeSettings(msg.platform, msg.communityId, { modChannel: "replay" }, REPLAY_ACTOR);
        }
        const result = await haven.service.ingest(msg);
        for (const id of result.alertIds) conversationOf.set(id, item.conversation.id);
        // Deliver at once, as the live worker would: the alert shows the case as it was then.
        if (result.alertIds.length) await haven.drainOutbox();
        count++;
        opts.onMessage?.();
      }
    }
    await haven.drainOutbox();
  } finally {
    await haven.stop();
  }
  const delivered = sinks.flatMap((s) => s.delivered).sort((a, b) => a.alertId - b.alertId);
  return {
    messages: count,
    alerts: delivered.map((a) => ({
      conversation: conversationOf.get(a.alertId) ?? "",
      case: a.caseId,
      alert: a.alertId,
      trigger: a.trigger,
      suspect: localAuthorId(a.suspect.id),
      targets: a.targets.map((t) => localAuthorId(t.id)),
      score: Math.round(a.score * 1000) / 1000,
      stages: a.timeline.map((t) => t.stage),
    })),
  };
}

export function registerReplay(program: Command): void {
  program
    .command("replay")
    .description("feed a JSONL conversation file through the whole pipeline and print the alerts that would be delivered")
    .argument("<file>", "conversations in the JSONL format (see docs: conversation format)")
    .option("--community <id>", "put every conversation in this community instead of one per scenario/conversation")
    .option("--json", "one JSON object per alert per line: conversation, case, suspect, targets, score, stages")
    .option("--memory", "use a throwaway in-memory database instead of the configured one")
    .option("--model <version>", "model version under models/ (default: current)")
    .action(
      action(async ({ env, log }, file: string, opts: { community?: string; json?: boolean; memory?: boolean; model?: string }) => {
        const conversations = readConversations(file);
        const database = opts.memory ? await openDatabase({ memory: true }) : await openConfiguredDatabase(env);
        try {
          const total = conversations.reduce((n, c) => n + c.messages.length, 0);
          const bar = progress(total, "replay", opts.json);
          const result = await runReplay(database, conversations, {
            log,
            ...(opts.community ? { community: opts.community } : {}),
            ...(opts.model ? { model: opts.model } : (env.HAVEN_MODEL !== "current" ? { model: env.HAVEN_MODEL } : {})),
            onMessage: () => bar.tick(),
          });
          bar.stop();
          for (const a of result.alerts) {
            if (opts.json) {
              process.stdout.write(`${JSON.stringify(a)}\n`);
            } else {
              process.stdout.write(
                `${a.conversation}  case ${a.case}  alert ${a.alert} (${a.trigger})  ${a.suspect} → ${a.targets.join(", ") || "-"}  score ${a.score.toFixed(2)}  stages ${a.stages.join(", ")}\n`,
              );
            }
          }
          const cases = new Set(result.alerts.map((a) => a.case)).size;
          process.stderr.write(`replayed ${result.messages} messages of ${conversations.length} conversations: ${result.alerts.length} alerts in ${cases} cases\n`);
        } finally {
          await database.close();
        }
      }),
    );
}
