// The page frame: header with navigation for the user's role, flash message, content.
import type { SessionUser } from "../auth/sessions.ts";
import { isAdminAnywhere } from "../auth/access.ts";
import { html, type Html } from "./html.ts";

export interface PageOptions {
  title: string;
  user: SessionUser | null;
  /** Which nav entry is current. */
  nav?: "queue" | "settings" | "playground" | "audit" | "users";
  flash?: string | null;
  scripts?: string[];
}

export function page(opts: PageOptions, body: Html): Html {
  const { user } = opts;
  const link = (key: NonNullable<PageOptions["nav"]>, href: string, label: string) =>
    html`<a href="${href}" class="${opts.nav === key ? "current" : ""}">${label}</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${user ? html`<meta name="csrf-token" content="${user.csrfToken}">` : ""}
<title>${opts.title} · Haven</title>
<link rel="stylesheet" href="/static/console.css">
${(opts.scripts ?? []).map((s) => html`<script src="/static/js/${s}" defer></script>`)}
</head>
<body>
<header class="top">
  <a class="brand" href="/">Haven <span>review</span></a>
  ${user
    ? html`<nav>
      ${link("queue", "/", "Queue")}
      ${isAdminAnywhere(user) ? link("settings", "/settings", "Settings") : ""}
      ${link("playground", "/playground", "Playground")}
      ${user.isOwner ? link("users", "/users", "People") : ""}
      ${user.isOwner ? link("audit", "/audit", "Audit log") : ""}
    </nav>
    <form class="signout" method="post" action="/logout">
      <input type="hidden" name="_csrf" value="${user.csrfToken}">
      <span class="who">${user.username}${user.isOwner ? " (owner)" : ""}</span>
      <button type="submit" class="link">Sign out</button>
    </form>`
    : ""}
</header>
<main>
${opts.flash ? html`<p class="flash" role="status">${opts.flash}</p>` : ""}
${body}
</main>
</body>
</html>`;
}

export function errorPage(user: SessionUser | null, title: string, message: string): Html {
  return page({ title, user }, html`<section class="card narrow"><h1>${title}</h1><p>${message}</p><p><a href="/">Back to the queue</a></p></section>`);
}
