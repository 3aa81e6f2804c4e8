// A tiny deterministic stand-in for the risk engine, so pipeline tests control scores
// exactly: a message carrying "#stage" tags shows those stages; an actor's score is
// 0.25 per distinct warning stage seen (capped at 1); targets are the others who spoke
// in the actor's channels, plus mentions. State is per actor and can be persisted.
import type { PersistedState } from "../../src/store/risk-states.ts";
import type { ScoringEngine } from "../../src/pipeline.ts";
import { STAGES, type Assessment, type ChatMessage, type Reason, type Stage } from "../../src/types.ts";

interface ActorState {
  reasons: Reason[];
  targets: string[];
  conversations: string[];
}

export class FakeEngine implements ScoringEngine {
  readonly modelVersion = "fake-1";
  readonly states = new Map<string, ActorState>();
  private readonly dirty = new Set<string>();
  private readonly speakers = new Map<string, Set<string>>();
  observed = 0;

  keysFor(msg: ChatMessage): string[] {
    return [this.key(msg)];
  }
  isLoaded(key: string): boolean {
    return this.states.has(key);
  }
  hydrate(state: PersistedState): void {
    this.states.set(state.key, structuredClone(state.state) as ActorState);
  }
  drainDirty(): PersistedState[] {
    const out = [...this.dirty].map((key) => {
      const s = this.states.get(key)!;
      return { key, kind: "actor" as const, platform: "test", score: score(s), state: structuredClone(s) };
    });
    this.dirty.clear();
    return out;
  }
  drainDirtyKeys(): string[] {
    const out = [...this.dirty];
    this.dirty.clear();
    return out;
  }
  snapshot(key: string): PersistedState | undefined {
    const s = this.states.get(key);
    return s && { key, kind: "actor" as const, platform: "test", score: score(s), state: structuredClone(s) };
  }
  /** Forget everything in memory, as a restarted process would. */
  forget(): void {
    this.states.clear();
    this.speakers.clear();
  }

  observe(msg: ChatMessage): Assessment {
    this.observed++;
    const speakers = this.speakers.get(msg.channelId) ?? new Set<string>();
    speakers.add(msg.authorId);
    this.speakers.set(msg.channelId, speakers);
    const stages = [...msg.text.matchAll(/#(\w+)/g)].map((m) => m[1] as Stage).filter((s) => STAGES.includes(s));
    const signals = stages.map((stage) => ({ stage, weight: 0.9, evidence: `#${stage}`, rule: `fake.${stage}` }));
    const base = { messageId: msg.messageId, conversationId: msg.channelId, authorId: msg.authorId, lang: "en" as const, signals };
    const key = this.key(msg);
    let state = this.states.get(key);
    if (!stages.length && !state) return { ...base, top: null };
    state ??= { reasons: [], targets: [], conversations: [] };
    for (const stage of stages) {
      if (state.reasons.some((r) => r.stage === stage)) continue;
      state.reasons.push({ stage, messageId: msg.messageId, conversationId: msg.channelId, evidence: `#${stage}`, rule: `fake.${stage}`, contribution: 0.25 });
    }
    for (const t of [...speakers, ...(msg.mentions ?? [])]) if (t !== msg.authorId && !state.targets.includes(t)) state.targets.push(t);
    if (!state.conversations.includes(msg.channelId)) state.conversations.push(msg.channelId);
    this.states.set(key, state);
    if (stages.length) this.dirty.add(key);
    if (!state.reasons.length) return { ...base, top: null };
    return {
      ...base,
      top: {
        subject: state.targets.length === 1 ? { kind: "pair", actor: msg.authorId, target: state.targets[0]! } : { kind: "actor", actor: msg.authorId },
        score: score(state),
        stages: [...new Set(state.reasons.map((r) => r.stage))],
        reasons: [...state.reasons],
        targets: [...state.targets],
        conversationIds: [...state.conversations],
      },
    };
  }

  private key(msg: ChatMessage): string {
    return `actor:${msg.platform}:${msg.communityId}:${msg.authorId}`;
  }
}

function score(s: ActorState): number {
  const stages = new Set(s.reasons.map((r) => r.stage).filter((x) => x !== "age"));
  return Math.min(1, stages.size * 0.25);
}
