// The console in a real browser: owner set-up, people, the reviewer's queue → case →
// reveal → label loop, an admin's threshold what-if, and the refusals (other community,
// rate limit, CSRF). Screenshots of the queue and a case go to tests/artifacts/.
import { eq } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log.ts";
import { createEngineRunner, type EngineRunner } from "../../src/review/engine-runner.ts";
import { startConsole } from "../../src/review/server.ts";
import { auditLog, labels, settingsRevisions, users } from "../../src/store/schema.ts";
import { testBackends, useTestDatabase } from "../fixtures/db.ts";
import { ARTIFACTS, chromiumAvailable, launchBrowser } from "./browser.ts";
import { corpusStages, pickConversations, realHaven, seedCase, seedCommunity, seedUser } from "./seed.ts";
import { truthEngine } from "./truth-engine.ts";

describe.skipIf(!chromiumAvailable())("review console in a browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe.each(testBackends())("$name", (backend) => {
    const getDb = useTestDatabase(backend);

    async function withConsole(engine: EngineRunner, body: (ctx: { url: string; setupLink: string | null; newPage: () => Promise<Page> }) => Promise<void>) {
      const database = getDb();
      let setupLink: string | null = null;
      const log = silentLogger.child({});
      log.warn = ((obj: { link?: string }) => void (setupLink = obj.link ?? setupLink)) as typeof log.warn;
      const haven = await realHaven(database);
      const running = await startConsole({ database, service: haven.service, log, port: 0, engine, loginLimits: { maxPerKey: 3, maxPerAddress: 50, windowMs: 60_000 } });
      const contexts: BrowserContext[] = [];
      try {
        await body({
          url: running.url,
          setupLink,
          newPage: async () => {
            const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
            ctx.setDefaultTimeout(8_000);
            contexts.push(ctx);
            return ctx.newPage();
          },
        });
      } finally {
        for (const ctx of contexts) await ctx.close();
        await running.close();
        await haven.stop();
      }
    }

    async function signIn(page: Page, url: string, username: string, password: string) {
      await page.goto(`${url}/login`);
      await page.fill('input[name="username"]', username);
      await page.fill('input[name="password"]', password);
      await Promise.all([page.waitForLoadState("load"), page.click('button[type="submit"]')]);
    }

    it("owner sets up from the logged link, adds a reviewer, who sets a password and signs in", async () => {
      const db = getDb().db;
      const community = await seedCommunity(db, "guild-a", "Art Club");
      await withConsole(truthEngine(() => []), async ({ url, setupLink, newPage }) => {
        expect(setupLink).toMatch(new RegExp(`^${url}/setup/`));
        const owner = await newPage();
        await owner.goto(setupLink!);
        await owner.fill('input[name="username"]', "olivia");
        await owner.fill('input[name="password"]', "owner-password-1");
        await owner.fill('input[name="confirm"]', "owner-password-1");
        await Promise.all([owner.waitForURL(`${url}/`), owner.click('button[type="submit"]')]);
        expect(await owner.textContent(".who")).toContain("olivia (owner)");

        await owner.click('nav a[href="/users"]');
        await owner.fill('input[name="username"]', "rita");
        await owner.selectOption('form[action="/users"] select[name="community"]', String(community));
        await Promise.all([owner.waitForLoadState("load"), owner.click('form[action="/users"] button[type="submit"]')]);
        const invite = await owner.inputValue("#setup-link");
        await owner.screenshot({ path: `${ARTIFACTS}people-${backend.name}.png`, fullPage: true });
        expect(invite).toMatch(new RegExp(`^${url}/setup/`));

        const rita = await newPage();
        await rita.goto(invite);
        await rita.fill('input[name="password"]', "rita-password-1");
        await rita.fill('input[name="confirm"]', "rita-password-1");
        await Promise.all([rita.waitForURL(`${url}/`), rita.click('button[type="submit"]')]);
        await rita.click(".signout button");
        await signIn(rita, url, "rita", "rita-password-1");
        expect(await rita.textContent(".who")).toContain("rita");
        expect(await rita.locator('nav a[href="/audit"]').count()).toBe(0);

        await owner.goto(`${url}/audit`);
        expect(await owner.locator("table.audit tbody tr").count()).toBeGreaterThan(2);
        await owner.screenshot({ path: `${ARTIFACTS}audit-${backend.name}.png`, fullPage: true });

        // The set-up link is spent.
        await owner.goto(setupLink!);
        expect(await owner.textContent("h1")).toContain("Link not valid");
      });
      const rows = await db.select({ username: users.username, isOwner: users.isOwner }).from(users).orderBy(users.id);
      expect(rows).toEqual([
        { username: "olivia", isOwner: true },
        { username: "rita", isOwner: false },
      ]);
    });

    it("a reviewer works through the queue: open, reveal, label, and the case leaves the queue", async () => {
      const db = getDb().db;
      const a = await seedCommunity(db, "guild-a", "Art Club");
      const b = await seedCommunity(db, "guild-b", "Game Night");
      const { grooming, benign } = pickConversations();
      const top = await seedCase(db, a, grooming[0]!, { score: 0.92 });
      await seedCase(db, a, benign[0]!, { score: 0.64 });
      await seedCase(db, a, grooming[2]!, { score: 0.71, lang: "nl" });
      const other = await seedCase(db, b, grooming[1]!, { score: 0.88 });
      await seedUser(db, "rita", "rita-password-1", [{ communityId: a, role: "reviewer" }]);
      await withConsole(truthEngine(() => []), async ({ url, newPage }) => {
        const page = await newPage();
        await signIn(page, url, "rita", "rita-password-1");
        const ids = await page.locator("table.queue tbody tr").evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-case"))));
        expect(ids[0]).toBe(top.caseId);
        expect(ids).toHaveLength(3);
        expect(ids).not.toContain(other.caseId);
        await page.screenshot({ path: `${ARTIFACTS}queue-${backend.name}.png`, fullPage: true });

        await page.selectOption('select[name="lang"]', "nl");
        await Promise.all([page.waitForLoadState("load"), page.click('.filters button[type="submit"]')]);
        expect(await page.locator("table.queue tbody tr").count()).toBe(1);
        await page.goto(`${url}/`);

        await Promise.all([page.waitForURL(`${url}/cases/${top.caseId}`), page.click(`a[href="/cases/${top.caseId}"]`)]);
        const hidden = page.locator(".text.concealed");
        expect(await hidden.count()).toBeGreaterThan(0);
        expect(await page.content()).not.toContain(top.targetText!.slice(0, 12));
        await page.click("#reveal");
        await page.waitForSelector(".text.revealed");
        expect(await page.locator(".text.concealed").count()).toBe(0);
        expect(await page.locator("ol.timeline").textContent()).toContain(top.targetText!);
        await page.screenshot({ path: `${ARTIFACTS}case-${backend.name}.png` });
        await page.screenshot({ path: `${ARTIFACTS}case-full-${backend.name}.png`, fullPage: true });

        await Promise.all([page.waitForURL(/\/\?done=/), page.click('#label-form button[value="grooming"]')]);
        expect(await page.textContent(".flash")).toContain(`Case #${top.caseId} labelled grooming`);
        const after = await page.locator("table.queue tbody tr").evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-case"))));
        expect(after).not.toContain(top.caseId);
        expect(after).toHaveLength(2);

        // Another community's case: refused as a page and through the API.
        const res = await page.goto(`${url}/cases/${other.caseId}`);
        expect(res!.status()).toBe(403);
        expect(await page.textContent("h1")).toContain("Not allowed");
        const api = await page.evaluate(async (id) => (await fetch(`/api/cases/${id}`)).status, other.caseId);
        expect(api).toBe(403);

        // A POST without the CSRF token is refused even from the signed-in page.
        const csrfLess = await page.evaluate(async (id) => {
          const r = await fetch(`/api/cases/${id}/label`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ label: "benign" }) });
          return r.status;
        }, top.caseId);
        expect(csrfLess).toBe(403);
      });
      const saved = await db.select().from(labels).where(eq(labels.caseId, top.caseId));
      expect(saved).toEqual([expect.objectContaining({ label: "grooming", source: "reviewer", actor: "console:rita", messageId: null })]);
      const trail = (await db.select().from(auditLog)).map((e) => `${e.action} ${e.subject ?? ""}`);
      expect(trail).toEqual(expect.arrayContaining([`case.view case:${top.caseId}`, `case.reveal case:${top.caseId}`, `case.label case:${top.caseId}`]));
    });

    it("an admin sees what a threshold would have done and saves it as a new revision", async () => {
      const db = getDb().db;
      const a = await seedCommunity(db, "guild-a", "Art Club");
      const { grooming, benign } = pickConversations();
      const g = await seedCase(db, a, grooming[0]!, { score: 0.9 });
      const n = await seedCase(db, a, benign[0]!, { score: 0.65 });
      await seedCase(db, a, grooming[3]!, { score: 0.7 });
      const adminId = await seedUser(db, "adam", "adam-password-1", [{ communityId: a, role: "admin" }]);
      await db.insert(labels).values([
        { caseId: g.caseId, label: "grooming", source: "reviewer", actor: "console:rita" },
        { caseId: n.caseId, label: "benign", source: "reviewer", actor: "console:rita" },
      ]);
      const stages = corpusStages();
      await withConsole(truthEngine((m) => stages.get(m.messageId) ?? []), async ({ url, newPage }) => {
        const page = await newPage();
        await signIn(page, url, "adam", "adam-password-1");
        await page.click('nav a[href="/settings"]');
        await Promise.all([page.waitForURL(`${url}/settings/${a}`), page.click(`a[href="/settings/${a}"]`)]);
        const figure = (k: string) => page.textContent(`#whatif-figures [data-k="${k}"]`);
        expect(Number(await figure("labelledGrooming"))).toBe(1);
        expect(Number(await figure("alerts"))).toBeGreaterThan(0);

        // Typing a threshold above every score: the script asks the server again.
        await page.fill("#threshold", "1");
        await page.waitForFunction(() => document.querySelector('#whatif-figures [data-k="alerts"]')?.textContent === "0");
        expect(await figure("missed")).toBe("1");
        expect(await page.textContent("#whatif-threshold")).toContain("1.00");

        await page.screenshot({ path: `${ARTIFACTS}settings-${backend.name}.png`, fullPage: true });
        await page.fill("#threshold", "0.45");
        await Promise.all([page.waitForURL(/done=/), page.click('#settings-form button[type="submit"]')]);
        expect(await page.textContent(".flash")).toContain("threshold");
        expect(await page.inputValue("#threshold")).toBe("0.45");
        expect(await page.locator(".side-col ol.plain li").first().textContent()).toContain("r1");
      });
      const revs = await db.select().from(settingsRevisions).where(eq(settingsRevisions.communityId, a));
      expect(revs).toHaveLength(1);
      expect(revs[0]!.changed).toEqual(["threshold"]);
      expect((revs[0]!.settings as { threshold: number }).threshold).toBe(0.45);
      const audit = await db.select().from(auditLog).where(eq(auditLog.action, "settings.change"));
      expect(audit).toEqual([expect.objectContaining({ actor: "console:adam", communityId: a, details: expect.objectContaining({ changed: ["threshold"] }) })]);
      expect(adminId).toBeGreaterThan(0);
    });

    it("rate-limits a wrong password in the sign-in form", async () => {
      const db = getDb().db;
      await seedUser(db, "rita", "rita-password-1", []);
      await withConsole(truthEngine(() => []), async ({ url, newPage }) => {
        const page = await newPage();
        for (let i = 0; i < 3; i++) {
          await signIn(page, url, "rita", "not-the-password");
          expect(await page.textContent(".error")).toContain("Wrong username or password");
        }
        await signIn(page, url, "rita", "rita-password-1");
        expect(await page.textContent(".error")).toContain("Too many failed sign-ins");
        expect(await page.locator(".who").count()).toBe(0);
      });
    });

    it("the playground flags a grooming conversation and not a benign one", async () => {
      const db = getDb().db;
      await seedUser(db, "rita", "rita-password-1", []);
      const { grooming, benign } = pickConversations();
      const asText = (c: (typeof grooming)[number]) => c.messages.map((m) => `${m.author}: ${m.text}`).join("\n");
      await withConsole(createEngineRunner(), async ({ url, newPage }) => {
        const page = await newPage();
        await signIn(page, url, "rita", "rita-password-1");
        await page.click('nav a[href="/playground"]');
        await page.fill("#pg-text", asText(grooming[0]!));
        await Promise.all([page.waitForLoadState("load"), page.click('#playground-form button[type="submit"]')]);
        expect(await page.textContent("#pg-verdict")).toContain("Would alert");
        expect(await page.locator("table.playground .chip").count()).toBeGreaterThan(0);
        await page.fill("#pg-text", asText(benign[0]!));
        await Promise.all([page.waitForLoadState("load"), page.click('#playground-form button[type="submit"]')]);
        expect(await page.textContent("#pg-verdict")).toContain("No alert");

        // Loaded from a JSONL file instead of pasted.
        await page.setInputFiles("#pg-file", { name: "one.jsonl", mimeType: "application/json", buffer: Buffer.from(`${JSON.stringify(grooming[0])}\n`) });
        expect(await page.inputValue("#pg-text")).toBe("");
        await Promise.all([page.waitForLoadState("load"), page.click('#playground-form button[type="submit"]')]);
        expect(await page.textContent("#pg-verdict")).toContain("Would alert");
        expect(await page.locator("table.playground tbody tr").count()).toBe(grooming[0]!.messages.length);
        await page.screenshot({ path: `${ARTIFACTS}playground-${backend.name}.png`, fullPage: true });
      });
    });
  });
});
