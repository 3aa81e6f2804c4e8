// The console's access rules over HTTP: set-up link, sign-in, rate limit, CSRF, community
// scoping, the reveal audit and the queue leaving out labelled cases.
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { Haven } from "../../src/app.ts";
import { silentLogger } from "../../src/log.ts";
import { verifyPassword, hashPassword } from "../../src/review/auth/passwords.ts";
import { LoginRateLimiter } from "../../src/review/auth/rate-limit.ts";
import { createConsoleApp, startConsole } from "../../src/review/server.ts";
import type { EngineRunner } from "../../src/review/engine-runner.ts";
import { auditLog, cases, labels, loginFailures, tokens, users } from "../../src/store/schema.ts";
import { testBackends, useTestDatabase } from "../fixtures/db.ts";
import { ConsoleClient } from "./client.ts";
import { pickConversations, realHaven, seedCase, seedCommunity, seedUser } from "./seed.ts";

const noEngine: EngineRunner = {
  replay: () => Promise.reject(new Error("no engine in this test")),
};

describe("passwords", () => {
  it("verifies the right password and rejects a wrong or malformed one", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(stored).not.toContain("correct horse");
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batterY", stored)).toBe(false);
    expect(await verifyPassword("x", "plain-text")).toBe(false);
    expect(await verifyPassword("x", null)).toBe(false);
  });
});

describe.each(testBackends())("login rate limiter ($name)", (backend) => {
  const getDb = useTestDatabase(backend);

  it("blocks an account from an address after the limit, per address, and forgets after the window", async () => {
    let now = 1_000_000;
    const limiter = new LoginRateLimiter(getDb().db, { maxPerKey: 3, maxPerAddress: 5, windowMs: 60_000 }, () => now);
    for (let i = 0; i < 3; i++) await limiter.recordFailure("10.0.0.1", "Rita");
    expect(await limiter.retryAfter("10.0.0.1", "rita")).toBe(60_000);
    expect(await limiter.retryAfter("10.0.0.2", "rita")).toBe(0);
    expect(await limiter.retryAfter("10.0.0.1", "bob")).toBe(0);
    // Spraying many accounts from one address trips the per-address limit.
    await limiter.recordFailure("10.0.0.1", "bob");
    await limiter.recordFailure("10.0.0.1", "carol");
    expect(await limiter.retryAfter("10.0.0.1", "dave")).toBeGreaterThan(0);
    now += 60_001;
    expect(await limiter.retryAfter("10.0.0.1", "rita")).toBe(0);
    expect(await limiter.retryAfter("10.0.0.1", "dave")).toBe(0);
  });

  it("is shared by every console process on the database and survives a restart; a sign-in clears the account's count", async () => {
    const now = () => 5_000_000;
    const limits = { maxPerKey: 2, maxPerAddress: 50, windowMs: 60_000 };
    const first = new LoginRateLimiter(getDb().db, limits, now);
    const second = new LoginRateLimiter(getDb().db, limits, now);
    await first.recordFailure("10.0.0.9", "rita");
    await second.recordFailure("10.0.0.9", "rita");
    expect(await new LoginRateLimiter(getDb().db, limits, now).retryAfter("10.0.0.9", "rita")).toBe(60_000);
    await first.recordSuccess("10.0.0.9", "Rita");
    expect(await second.retryAfter("10.0.0.9", "rita")).toBe(0);
  });

  it("deletes failures the window has forgotten", async () => {
    let now = 1_000_000;
    const db = getDb().db;
    const limiter = new LoginRateLimiter(db, { maxPerKey: 3, maxPerAddress: 5, windowMs: 60_000 }, () => now);
    await limiter.recordFailure("10.0.0.3", "rita");
    await limiter.recordFailure("10.0.0.4", "bob");
    now += 120_000;
    await limiter.recordFailure("10.0.0.3", "rita");
    const keys = (await db.select().from(loginFailures)).map((r) => r.key);
    expect(keys.filter((k) => k.includes("10.0.0.3"))).toHaveLength(2);
    expect(keys.filter((k) => k.includes("10.0.0.4"))).toHaveLength(0);
  });
});

describe.each(testBackends())("console security ($name)", (backend) => {
  const getDb = useTestDatabase(backend);
  const havens: Haven[] = [];
  afterEach(async () => {
    for (const h of havens.splice(0)) await h.stop();
  });
  async function haven() {
    const h = await realHaven(getDb());
    havens.push(h);
    return h;
  }

  async function setup() {
    const database = getDb();
    const db = database.db;
    const { service } = await haven();
    const app = createConsoleApp({ database, service, log: silentLogger, publicUrl: "http://console.test", engine: noEngine });
    const a = await seedCommunity(db, "guild-a", "Art Club");
    const b = await seedCommunity(db, "guild-b", "Game Night");
    const { grooming } = pickConversations();
    const caseA = await seedCase(db, a, grooming[0]!, { score: 0.9 });
    const caseB = await seedCase(db, b, grooming[1]!, { score: 0.7 });
    await seedUser(db, "rita", "rita-password-1", [{ communityId: a, role: "reviewer" }]);
    return { db, app, service, a, b, caseA, caseB };
  }

  it("sends HSTS only when the console is served over https", async () => {
    const { app, service } = await setup();
    expect((await app.request("/login")).headers.get("strict-transport-security")).toBeNull();
    const https = createConsoleApp({ database: getDb(), service, log: silentLogger, publicUrl: "https://console.test", engine: noEngine });
    expect((await https.request("/login")).headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
  });

  it("answers /healthz and /readyz", async () => {
    const { app } = await setup();
    expect((await app.request("/healthz")).status).toBe(200);
    const ready = await app.request("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ok: true });
  });

  it("logs a one-time owner set-up link on first start, and the link works once", async () => {
    const database = getDb();
    const lines: string[] = [];
    const log = silentLogger.child({});
    log.warn = ((obj: unknown, msg?: string) => void lines.push(`${JSON.stringify(obj)} ${msg ?? ""}`)) as typeof log.warn;
    const running = await startConsole({ database, service: (await haven()).service, log, port: 0, engine: noEngine });
    try {
      const link = /(http:\/\/127\.0\.0\.1:\d+\/setup\/[A-Za-z0-9_-]+)/.exec(lines.join("\n"))?.[1];
      expect(link).toBeDefined();
      const form = await fetch(link!);
      expect(form.status).toBe(200);
      const cookie = form.headers.getSetCookie()[0]!.split(";")[0]!;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
      const post = (username: string) =>
        fetch(link!, { method: "POST", redirect: "manual", headers: { cookie, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ _csrf: csrf, username, password: "owner-password-1", confirm: "owner-password-1" }) });
      const first = await post("olivia");
      expect(first.status).toBe(303);
      expect(first.headers.getSetCookie().some((c) => c.startsWith("haven_session=") && /HttpOnly/i.test(c) && /SameSite=Strict/i.test(c))).toBe(true);
      expect((await post("mallory")).status).toBe(404);
      const owners = await database.db.select().from(users).where(eq(users.isOwner, true));
      expect(owners.map((o) => o.username)).toEqual(["olivia"]);
      expect((await database.db.select().from(tokens).where(eq(tokens.purpose, "setup")))[0]!.usedAt).not.toBeNull();
    } finally {
      await running.close();
    }
  });

  it("rate-limits wrong passwords, refusing even the right one afterwards", async () => {
    const { app } = await setup();
    const client = new ConsoleClient(app);
    for (let i = 0; i < 5; i++) expect((await client.signIn("rita", `wrong-${i}`)).status).toBe(401);
    const limited = await client.signIn("rita", "rita-password-1");
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain("Too many failed sign-ins");
    // Another account is not locked out by rita's failures.
    expect((await new ConsoleClient(app).signIn("nobody", "x")).status).toBe(401);
  });

  it("refuses state-changing requests without the CSRF token, or from another origin", async () => {
    const { app, db, caseA } = await setup();
    const client = new ConsoleClient(app);
    expect((await client.signIn("rita", "rita-password-1")).status).toBe(303);
    expect((await client.json(`/api/cases/${caseA.caseId}/label`, { label: "grooming" }, false)).status).toBe(403);
    expect((await client.form(`/cases/${caseA.caseId}/label`, { label: "grooming" }, false)).status).toBe(403);
    const crossSite = await client.request(`/api/cases/${caseA.caseId}/label`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": client.csrf, origin: "https://evil.example" },
      body: JSON.stringify({ label: "grooming" }),
    });
    expect(crossSite.status).toBe(403);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "case.label"))).toHaveLength(0);
    expect((await client.json(`/api/cases/${caseA.caseId}/label`, { label: "grooming" })).status).toBe(200);
  });

  it("keeps a reviewer to their own community's cases, in the API and the pages", async () => {
    const { app, caseA, caseB } = await setup();
    const client = new ConsoleClient(app);
    await client.signIn("rita", "rita-password-1");
    const queue = (await (await client.request("/api/cases")).json()) as { cases: { id: number }[] };
    expect(queue.cases.map((c) => c.id)).toEqual([caseA.caseId]);
    expect((await client.request(`/api/cases/${caseB.caseId}`)).status).toBe(403);
    expect((await client.json(`/api/cases/${caseB.caseId}/reveal`, {})).status).toBe(403);
    expect((await client.json(`/api/cases/${caseB.caseId}/label`, { label: "benign" })).status).toBe(403);
    expect((await client.page(`/cases/${caseB.caseId}`)).status).toBe(403);
    expect((await client.page(`/cases/${caseA.caseId}`)).status).toBe(200);
    expect((await client.page("/audit")).status).toBe(403);
    expect((await client.page("/settings/1")).status).toBe(403);
  });

  it("hides children's messages until revealed, records the reveal, and drops a labelled case from the queue", async () => {
    const { app, db, caseA, a } = await setup();
    const client = new ConsoleClient(app);
    await client.signIn("rita", "rita-password-1");
    const page = await client.page(`/cases/${caseA.caseId}`);
    expect(caseA.targetText).not.toBeNull();
    expect(page.html).not.toContain(caseA.targetText!.slice(0, 12).replace(/&/g, "&amp;"));
    const claimed = (await db.select().from(cases).where(eq(cases.id, caseA.caseId)))[0]!;
    expect(claimed.claimedBy).not.toBeNull();
    const reveal = await client.json(`/api/cases/${caseA.caseId}/reveal`, {});
    const body = (await reveal.json()) as { messages: { text: string }[] };
    expect(body.messages.map((m) => m.text)).toContain(caseA.targetText);
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.action, "case.reveal"), eq(auditLog.subject, `case:${caseA.caseId}`)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: "console:rita", communityId: a });
    const res = await client.form(`/cases/${caseA.caseId}/label`, { label: "grooming" });
    expect(res.status).toBe(303);
    const queue = (await (await client.request("/api/cases")).json()) as { cases: unknown[] };
    expect(queue.cases).toHaveLength(0);
    // A new alert on the case after the label puts it back in front of reviewers.
    await db.update(cases).set({ lastAlertAt: new Date(Date.now() + 60_000) }).where(eq(cases.id, caseA.caseId));
    const again = (await (await client.request("/api/cases")).json()) as { cases: { id: number }[] };
    expect(again.cases.map((c) => c.id)).toEqual([caseA.caseId]);
  });

  it("sends decisions through the pipeline with the rights of the user's role", async () => {
    const { app, db, caseA, caseB } = await setup();
    const client = new ConsoleClient(app);
    await client.signIn("rita", "rita-password-1");
    const res = await client.json(`/api/cases/${caseA.caseId}/action`, { kind: "escalate" });
    expect(res.status).toBe(200);
    expect((await db.select().from(cases).where(eq(cases.id, caseA.caseId)))[0]).toMatchObject({ status: "escalated", decidedBy: "console:rita" });
    const decided = await db.select().from(auditLog).where(eq(auditLog.action, "case.decide"));
    expect(decided).toEqual([expect.objectContaining({ actor: "console:rita", subject: `case:${caseA.caseId}` })]);
    expect((await client.json(`/api/cases/${caseA.caseId}/action`, { kind: "ban" })).status).toBe(400);
    expect((await client.json(`/api/cases/${caseB.caseId}/action`, { kind: "dismiss" })).status).toBe(403);
    expect((await db.select().from(cases).where(eq(cases.id, caseB.caseId)))[0]!.status).toBe("open");
  });

  it("claims an opened case so a second reviewer neither sees it in the queue nor works on it unawares", async () => {
    const { app, db, a, caseA } = await setup();
    await seedUser(db, "bob", "bob-password-12", [{ communityId: a, role: "reviewer" }]);
    const rita = new ConsoleClient(app);
    const bob = new ConsoleClient(app);
    await rita.signIn("rita", "rita-password-1");
    await bob.signIn("bob", "bob-password-12");
    const bobQueue = async () => ((await (await bob.request("/api/cases")).json()) as { cases: { id: number }[] }).cases.map((c) => c.id);
    expect(await bobQueue()).toEqual([caseA.caseId]);
    await rita.page(`/cases/${caseA.caseId}`);
    expect(await bobQueue()).toEqual([]);
    const ritaQueue = (await (await rita.request("/api/cases")).json()) as { cases: { id: number; claimedByMe: boolean }[] };
    expect(ritaQueue.cases).toEqual([expect.objectContaining({ id: caseA.caseId, claimedByMe: true })]);
    const page = await bob.page(`/cases/${caseA.caseId}`);
    expect(page.html).toContain("rita is working on this case");
    expect((await db.select().from(cases).where(eq(cases.id, caseA.caseId)))[0]!.claimedBy).not.toBeNull();
  });

  it("stores a reviewer's per-message stage correction as a label", async () => {
    const { app, db, caseA, caseB } = await setup();
    const client = new ConsoleClient(app);
    await client.signIn("rita", "rita-password-1");
    await client.page(`/cases/${caseA.caseId}`);
    const res = await client.form(`/cases/${caseA.caseId}/stages`, { messageId: String(caseA.messageIds[0]), stages: "trust" });
    expect(res.status).toBe(303);
    const body = new URLSearchParams({ _csrf: client.csrf, messageId: String(caseA.messageIds[2]) });
    body.append("stages", "personal");
    body.append("stages", "isolation");
    expect((await client.request(`/cases/${caseA.caseId}/stages`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } })).status).toBe(303);
    const saved = await db.select().from(labels).where(eq(labels.caseId, caseA.caseId));
    expect(saved.map((l) => [l.messageId, l.stages, l.label, l.source])).toEqual([
      [caseA.messageIds[0], ["trust"], "grooming", "reviewer"],
      [caseA.messageIds[2], ["personal", "isolation"], "grooming", "reviewer"],
    ]);
    // A message of another community's conversation cannot be labelled through this case.
    expect((await client.form(`/cases/${caseA.caseId}/stages`, { messageId: String(caseB.messageIds[0]), stages: "trust" })).status).toBe(404);
    expect((await client.form(`/cases/${caseA.caseId}/stages`, { messageId: String(caseA.messageIds[0]), stages: "flirting" })).status).toBe(400);
  });

  it("downloads a case's evidence and takes notes, both recorded; another community's export is refused", async () => {
    const { app, db, caseA, caseB } = await setup();
    const client = new ConsoleClient(app);
    await client.signIn("rita", "rita-password-1");
    await client.page(`/cases/${caseA.caseId}`);
    expect((await client.form(`/cases/${caseA.caseId}/note`, { text: "told the server owner" })).status).toBe(303);
    const res = await client.request(`/cases/${caseA.caseId}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain(`haven-case-${caseA.caseId}.json`);
    const body = (await res.json()) as { case: { id: number }; messages: { text: string }[]; notes: { text: string }[] };
    expect(body.case.id).toBe(caseA.caseId);
    expect(body.messages.map((m) => m.text)).toContain(caseA.targetText);
    expect(body.notes.map((n) => n.text)).toEqual(["told the server owner"]);
    expect((await client.request(`/cases/${caseB.caseId}/export`)).status).toBe(403);
    const actions = (await db.select().from(auditLog).where(eq(auditLog.subject, `case:${caseA.caseId}`))).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["case.note", "case.export"]));
  });

  it("lets only a community's admins change its settings, and validates the values", async () => {
    const { app, db, a } = await setup();
    await seedUser(db, "adam", "adam-password-1", [{ communityId: a, role: "admin" }]);
    const form = { threshold: "0.5", mode: "shadow", minStages: "2", cooldownMinutes: "60", exemptChannels: "c1, c2", exemptRoles: "", exemptUsers: "", retentionDays: "30", caseRetentionDays: "365" };
    const rita = new ConsoleClient(app);
    await rita.signIn("rita", "rita-password-1");
    expect((await rita.form(`/settings/${a}`, form)).status).toBe(403);
    const adam = new ConsoleClient(app);
    await adam.signIn("adam", "adam-password-1");
    expect((await adam.form(`/settings/${a}`, { ...form, threshold: "2" })).status).toBe(400);
    expect((await adam.form(`/settings/${a}`, form)).status).toBe(303);
    const { settingsRevisions } = await import("../../src/store/schema.ts");
    const revs = await db.select().from(settingsRevisions).where(eq(settingsRevisions.communityId, a));
    expect(revs).toHaveLength(1);
    expect(revs[0]!.settings).toMatchObject({ threshold: 0.5, mode: "shadow", exemptChannels: ["c1", "c2"] });
    expect([...revs[0]!.changed].sort()).toEqual(["exemptChannels", "mode", "threshold"]);

    // Checkbox groups as the page sends them: a hidden "" plus each ticked box.
    const post = (extra: [string, string][]) => {
      const body = new URLSearchParams({ ...form, _csrf: adam.csrf });
      for (const [k, v] of extra) body.append(k, v);
      return adam.request(`/settings/${a}`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } });
    };
    expect((await post([["languages", ""], ["platformActions", ""], ["platformActions", "ban"], ["platformActions", "timeout"], ["languages", "nl"]])).status).toBe(303);
    const latest = (await db.select().from(settingsRevisions).where(eq(settingsRevisions.communityId, a))).sort((x, y) => y.revision - x.revision)[0]!;
    expect(latest.settings).toMatchObject({ languages: ["nl"], platformActions: ["ban", "timeout"] });
    expect([...latest.changed].sort()).toEqual(["languages", "platformActions"]);
    // None ticked: no buttons; no language at all is refused.
    expect((await post([["languages", ""], ["languages", "en"], ["platformActions", ""]])).status).toBe(303);
    expect((await post([["languages", ""], ["platformActions", ""]])).status).toBe(400);
    const page = (await adam.page(`/settings/${a}`)).html;
    expect(page).toMatch(/value="en"\s+checked/);
    expect(page).not.toMatch(/value="ban"\s+checked/);
    // Automatic actions: off until ticked, with the score they wait for.
    expect((await post([["languages", "en"], ["autoActions", ""], ["autoActions", "timeout"], ["autoActionScore", "0.85"]])).status).toBe(303);
    const auto = (await db.select().from(settingsRevisions).where(eq(settingsRevisions.communityId, a))).sort((x, y) => y.revision - x.revision)[0]!;
    expect(auto.settings).toMatchObject({ autoActions: ["timeout"], autoActionScore: 0.85 });
    expect([...auto.changed].sort()).toEqual(["autoActionScore", "autoActions"]);
    expect((await post([["languages", "en"], ["autoActionScore", "1.5"]])).status).toBe(400);
    expect((await adam.page(`/settings/${a}`)).html).toMatch(/name="autoActions" value="timeout"\s+checked/);
  });

  it("lets the owner disable an account, ending its sessions at once, and enable it again", async () => {
    const { app, db } = await setup();
    await seedUser(db, "olga", "olga-password-1", [], true);
    const rita = new ConsoleClient(app);
    expect((await rita.signIn("rita", "rita-password-1")).status).toBe(303);
    expect((await rita.page("/")).status).toBe(200);
    const [ritaRow] = await db.select().from(users).where(eq(users.username, "rita"));
    const owner = new ConsoleClient(app);
    await owner.signIn("olga", "olga-password-1");
    await owner.page("/users");
    expect((await owner.form(`/users/${ritaRow!.id}/disable`, {})).status).toBe(303);
    // Her open session no longer works, and neither does her password.
    expect((await rita.request("/api/me")).status).toBe(401);
    expect((await new ConsoleClient(app).signIn("rita", "rita-password-1")).status).not.toBe(303);
    // Only the owner may do it, and it is audited.
    const adam = new ConsoleClient(app);
    expect((await adam.form(`/users/${ritaRow!.id}/enable`, {}, false)).status).toBeGreaterThanOrEqual(400);
    expect((await owner.form(`/users/${ritaRow!.id}/enable`, {})).status).toBe(303);
    expect((await new ConsoleClient(app).signIn("rita", "rita-password-1")).status).toBe(303);
    const actions = (await db.select().from(auditLog).where(eq(auditLog.subject, `user:${ritaRow!.id}`))).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["user.disable", "user.enable"]));
  });

  it("lets the owner filter the audit log by community", async () => {
    const { app, db, a, b } = await setup();
    const { recordAudit } = await import("../../src/store/audit.ts");
    await recordAudit(db, { actor: "console:rita", action: "case.reveal", communityId: a, subject: "case:7001" });
    await recordAudit(db, { actor: "console:bob", action: "case.reveal", communityId: b, subject: "case:7002" });
    await seedUser(db, "olga", "olga-password-1", [], true);
    const owner = new ConsoleClient(app);
    await owner.signIn("olga", "olga-password-1");
    const onlyA = (await owner.page(`/audit?community=${a}`)).html;
    expect(onlyA).toContain("case:7001");
    expect(onlyA).not.toContain("case:7002");
    const all = (await owner.page("/audit")).html;
    expect(all).toContain("case:7001");
    expect(all).toContain("case:7002");
    expect((await owner.page("/audit?community=x")).status).toBe(400);
  });

  it("escapes chat text in pages", async () => {
    const { app, db, caseA } = await setup();
    const { messages } = await import("../../src/store/schema.ts");
    const evil = '<img src=x onerror="alert(1)">';
    const suspectMsg = (await db.select().from(messages).where(eq(messages.id, caseA.messageIds[0]!)))[0]!;
    await db.update(messages).set({ text: evil }).where(eq(messages.id, suspectMsg.id));
    const client = new ConsoleClient(app);
    await client.signIn("rita", "rita-password-1");
    const page = await client.page(`/cases/${caseA.caseId}`);
    expect(page.html).not.toContain(evil);
    expect(page.html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });
});
