// A tiny cookie-keeping client for the console app, for tests without a browser.
import type { Hono } from "hono";
import type { AppEnv } from "../../src/review/context.ts";

export class ConsoleClient {
  private readonly cookies = new Map<string, string>();
  csrf = "";

  constructor(private readonly app: Hono<AppEnv>) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await this.app.request(path, { ...init, headers, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** Posts a form the way the pages do, with the CSRF token unless told otherwise. */
  form(path: string, fields: Record<string, string>, withCsrf = true): Promise<Response> {
    const body = new URLSearchParams(fields);
    if (withCsrf) body.set("_csrf", this.csrf);
    return this.request(path, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } });
  }

  json(path: string, body: unknown, withCsrf = true): Promise<Response> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (withCsrf) headers["x-csrf-token"] = this.csrf;
    return this.request(path, { method: "POST", body: JSON.stringify(body), headers });
  }

  /** Reads the CSRF token a page carries (hidden field or meta tag). */
  async page(path: string): Promise<{ status: number; html: string }> {
    const res = await this.request(path);
    const html = await res.text();
    const m = /name="(?:_csrf|csrf-token)"\s+(?:value|content)="([^"]+)"/.exec(html);
    if (m) this.csrf = m[1]!;
    return { status: res.status, html };
  }

  async signIn(username: string, password: string): Promise<Response> {
    await this.page("/login");
    const res = await this.form("/login", { username, password });
    if (res.status === 303) await this.page("/");
    return res;
  }
}
