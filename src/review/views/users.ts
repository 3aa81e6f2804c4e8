// The owner's People page: accounts, their community roles, one-time set-up links.
import type { SessionUser } from "../auth/sessions.ts";
import { communityLabel, type CommunityOption } from "../queries/queue.ts";
import type { UserRow } from "../queries/users.ts";
import { html, type Html } from "./html.ts";
import { page } from "./layout.ts";

export function usersPage(user: SessionUser, rows: UserRow[], communities: CommunityOption[], opts: { link?: string | null; flash?: string | null }): Html {
  const csrf = html`<input type="hidden" name="_csrf" value="${user.csrfToken}">`;
  const communitySelect = html`<select name="community" required>${communities.map((c) => html`<option value="${c.id}">${communityLabel(c)}</option>`)}</select>`;
  const roleSelect = html`<select name="role"><option value="reviewer">reviewer</option><option value="admin">admin</option></select>`;
  return page(
    { title: "People", user, nav: "users", flash: opts.flash ?? null },
    html`<div class="page-head"><h1>People</h1><p class="muted">Reviewers label cases in their communities; admins also change settings. The owner sees everything.</p></div>
${opts.link ? html`<section class="card highlight"><h2>One-time set-up link</h2><p>Send this link to the person by a private channel. It works once, for 24 hours.</p><p><input class="copy" readonly value="${opts.link}" id="setup-link"></p></section>` : ""}
<section class="card">
  <h2>Add a person</h2>
  ${communities.length === 0
    ? html`<p class="muted">No communities yet: add Haven to a Discord server or Telegram group first.</p>`
    : html`<form method="post" action="/users" class="inline-form">
    ${csrf}
    <label>Username <input name="username" required pattern="[A-Za-z0-9_.\\-]{2,40}"></label>
    <label>Role ${roleSelect}</label>
    <label>Community ${communitySelect}</label>
    <button type="submit">Create and get link</button>
  </form>`}
</section>
<table class="list">
  <thead><tr><th>User</th><th>Roles</th><th>State</th><th></th></tr></thead>
  <tbody>
  ${rows.map(
    (u) => html`<tr>
    <td><strong>${u.username}</strong></td>
    <td>${u.isOwner ? html`<span class="tag">owner</span>` : ""}${u.memberships.map(
      (m) => html`<form method="post" action="/users/${u.id}/memberships" class="chip-form">${csrf}<input type="hidden" name="community" value="${m.communityId}"><input type="hidden" name="role" value="none"><span class="chip">${m.role} · ${communityLabel({ name: m.communityName, platform: m.platform, platformId: m.communityPlatformId })}</span><button class="link small" title="remove">remove</button></form>`,
    )}</td>
    <td>${u.disabled ? "disabled" : u.hasPassword ? "active" : "waiting for set-up"}</td>
    <td>${u.isOwner
      ? ""
      : html`<form method="post" action="/users/${u.id}/memberships" class="inline-form compact">${csrf}${roleSelect}${communitySelect}<button class="secondary small">Add role</button></form>
      <form method="post" action="/users/${u.id}/link" class="inline-form compact">${csrf}<button class="secondary small">New set-up link</button></form>
      <form method="post" action="/users/${u.id}/${u.disabled ? "enable" : "disable"}" class="inline-form compact">${csrf}<button class="secondary small">${u.disabled ? "Enable" : "Disable"}</button></form>`}</td>
  </tr>`,
  )}
  </tbody>
</table>`,
  );
}
