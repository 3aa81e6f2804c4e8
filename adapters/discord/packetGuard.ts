// discord.js builds its objects from gateway packets without validating them; a malformed
// packet (say MESSAGE_CREATE with author null) throws inside its own event listener, which
// surfaces as an unhandled rejection and, under Node's default, kills the process: one bad
// payload would stop moderation for every server. Wrap the packet handler so such a packet
// is logged and dropped instead. handlePacket is internal to discord.js 14, so this is
// guarded: if it ever disappears, nothing is wrapped and discord.js behaves as before.
import type { Client } from "discord.js";
import type { Logger } from "../../src/log.ts";

type PacketHandler = (packet?: { t?: unknown; s?: unknown; op?: unknown }, shard?: { id?: number }) => boolean;

/** Returns false when discord.js no longer has the internal method (nothing was wrapped). */
export function guardPackets(client: Client, log: Logger): boolean {
  const ws = client.ws as unknown as { handlePacket?: PacketHandler };
  const original = ws.handlePacket;
  if (typeof original !== "function") return false;
  ws.handlePacket = function guardedHandlePacket(packet, shard) {
    try {
      return original.call(this, packet, shard);
    } catch (error) {
      log.warn(
        { event: typeof packet?.t === "string" ? packet.t : null, seq: packet?.s ?? null, shardId: shard?.id ?? null, err: error instanceof Error ? error.message : String(error) },
        "discord: dropped a malformed gateway event",
      );
      return true;
    }
  };
  return true;
}
