// Sign-in and set-up forms.
import { html, type Html } from "./html.ts";
import { page } from "./layout.ts";

export function loginPage(csrf: string, opts: { error?: string | null; username?: string; next?: string } = {}): Html {
  return page(
    { title: "Sign in", user: null },
    html`<section class="card narrow">
  <h1>Sign in</h1>
  ${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ""}
  <form method="post" action="/login" class="stack">
    <input type="hidden" name="_csrf" value="${csrf}">
    <input type="hidden" name="next" value="${opts.next ?? "/"}">
    <label>Username <input name="username" autocomplete="username" required value="${opts.username ?? ""}"></label>
    <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
    <button type="submit">Sign in</button>
  </form>
</section>`,
  );
}

export function setupPage(csrf: string, token: string, opts: { owner: boolean; username?: string | null; error?: string | null }): Html {
  return page(
    { title: opts.owner ? "Set up Haven" : "Choose a password", user: null },
    html`<section class="card narrow">
  <h1>${opts.owner ? "Create the owner account" : `Welcome, ${opts.username ?? ""}`}</h1>
  <p class="muted">${opts.owner ? "This one-time link creates the account that manages the console. It stops working once used." : "Choose a password to finish setting up your account. This link works once."}</p>
  ${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ""}
  <form method="post" action="/setup/${token}" class="stack">
    <input type="hidden" name="_csrf" value="${csrf}">
    ${opts.owner ? html`<label>Username <input name="username" autocomplete="username" required pattern="[A-Za-z0-9_.\\-]{2,40}"></label>` : ""}
    <label>Password <input name="password" type="password" autocomplete="new-password" required minlength="10"></label>
    <label>Repeat password <input name="confirm" type="password" autocomplete="new-password" required minlength="10"></label>
    <button type="submit">${opts.owner ? "Create owner" : "Set password"}</button>
  </form>
</section>`,
  );
}
