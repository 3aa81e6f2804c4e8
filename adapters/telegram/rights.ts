// What a Telegram user may do in Haven, from their status in the WATCHED group:
// owners and admins decide and configure; restricting members allows timeout (mute)
// and ban; deleting messages allows delete.
import { GrammyError, type Api } from "grammy";
import type { ChatMember } from "grammy/types";
import type { Actor, Right } from "../../src/types.ts";
import { displayName } from "./toMessage.ts";

export function rightsOf(member: ChatMember): Right[] {
  if (member.status === "creator") return ["decide", "configure", "timeout", "ban", "delete"];
  if (member.status !== "administrator") return [];
  const rights: Right[] = ["decide", "configure"];
  if (member.can_restrict_members) rights.push("timeout", "ban");
  if (member.can_delete_messages) rights.push("delete");
  return rights;
}

/** Looks the user up in the watched group; a chat or user Telegram does not know (400) yields no rights. */
export async function actorIn(
  api: Api,
  groupId: string | number,
  user: { id: number; first_name: string; last_name?: string; username?: string },
): Promise<Actor> {
  let rights: Right[] = [];
  try {
    rights = rightsOf(await api.getChatMember(groupId, user.id));
  } catch (err) {
    if (!(err instanceof GrammyError && err.error_code === 400)) throw err;
  }
  return { via: "telegram", id: String(user.id), name: user.username ? `@${user.username}` : displayName(user), rights };
}
