// Discord wants an interaction acknowledged within 3 seconds; Haven may need longer (database,
// pipeline queue). So acknowledge at once as an ephemeral "thinking…" and edit in the answer.
import { MessageFlags, type RepliableInteraction } from "discord.js";

export type Answer = (content: string) => Promise<unknown>;

export async function deferEphemeral(interaction: RepliableInteraction): Promise<Answer> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  return (content) => interaction.editReply({ content, allowedMentions: { parse: [] } });
}
