// Alert buttons. A custom id is "haven:<action>:<token>"; the token is an opaque Haven token
// naming the case and community, so a press is checked server-side and a forged id finds nothing.
import type { ButtonInteraction } from "discord.js";
import type { Logger } from "../../src/log.ts";
import { DECISIONS, PLATFORM_ACTIONS, type HavenService, type ModeratorActionKind } from "../../src/types.ts";
import { deferEphemeral } from "./answer.ts";
import { rightsFromPermissions } from "./rights.ts";

export const BUTTON_PREFIX = "haven";
export const BUTTON_TOKEN_PURPOSE = "discord.button";
/** Buttons stay usable for 90 days; an older alert is handled from the console. */
export const BUTTON_TOKEN_TTL_SECONDS = 90 * 24 * 3600;

const KINDS: readonly string[] = [...DECISIONS, ...PLATFORM_ACTIONS];

export function buttonId(kind: ModeratorActionKind, token: string): string {
  return `${BUTTON_PREFIX}:${kind}:${token}`;
}

export function parseButtonId(customId: string): { kind: ModeratorActionKind; token: string } | null {
  const [prefix, kind, token, ...rest] = customId.split(":");
  if (prefix !== BUTTON_PREFIX || !kind || !token || rest.length || !KINDS.includes(kind)) return null;
  return { kind: kind as ModeratorActionKind, token };
}

/** Handles a press of one of Haven's buttons; every outcome is answered ephemerally. */
export async function handleButton(interaction: ButtonInteraction, service: HavenService, log: Logger): Promise<void> {
  const parsed = parseButtonId(interaction.customId);
  if (!parsed) return; // not ours
  const answer = await deferEphemeral(interaction);
  if (!interaction.guildId) {
    await answer("Haven's buttons work inside a server only.");
    return;
  }
  const payload = await service.resolveToken(parsed.token, BUTTON_TOKEN_PURPOSE);
  const caseId = Number(payload?.caseId);
  if (!payload || !Number.isInteger(caseId) || payload.communityId !== interaction.guildId) {
    await answer("This alert's buttons have expired. Open the case in the Haven console instead.");
    return;
  }
  const result = await service.act({
    caseId,
    kind: parsed.kind,
    actor: {
      via: "discord",
      id: interaction.user.id,
      name: interaction.user.username,
      rights: rightsFromPermissions(interaction.memberPermissions?.bitfield),
    },
    scope: { platform: "discord", communityId: interaction.guildId },
  });
  log.info({ caseId, kind: parsed.kind, user: interaction.user.id, ok: result.ok, ...(result.ok ? {} : { reason: result.reason }) }, "discord: alert button pressed");
  if (result.ok) {
    await answer(`Done: ${result.message}.`);
    return;
  }
  const why: Record<typeof result.reason, string> = {
    forbidden: "You may not do that here",
    not_found: "That case was not found",
    not_enabled: "That action is not enabled for this server (an admin can enable it with /haven actions)",
    invalid: "That action cannot be done",
    already_decided: "Someone decided first",
  };
  await answer(`${why[result.reason]}: ${result.message}.`);
}
