import { describe, expect, it } from "vitest";
import { loadEnv } from "../../src/config/env.ts";
import { DEFAULT_SETTINGS, applySettingsChange, parseStoredSettings } from "../../src/config/settings.ts";

describe("community settings", () => {
  it("has documented defaults", () => {
    expect(DEFAULT_SETTINGS.threshold).toBeGreaterThan(0);
    expect(DEFAULT_SETTINGS.mode).toBe("live");
    expect(DEFAULT_SETTINGS.retentionDays).toBe(30);
    expect(DEFAULT_SETTINGS.platformActions).toEqual([]);
  });

  it.each([
    [{ threshold: 1.5 }, "threshold"],
    [{ mode: "loud" }, "mode"],
    [{ retentionDays: 0 }, "retentionDays"],
    [{ languages: ["fr"] }, "languages.0"],
    [{ platformActions: ["kick"] }, "platformActions.0"],
    [{ thresold: 0.5 }, "settings"],
  ])("rejects %j naming %s", (change, name) => {
    expect(() => applySettingsChange(DEFAULT_SETTINGS, change)).toThrow(new RegExp(`Invalid setting ${name.replace(".", "\\.")}`));
  });

  it("applies a valid change on top of the current settings", () => {
    const s = applySettingsChange({ ...DEFAULT_SETTINGS, retentionDays: 10 }, { threshold: 0.8 });
    expect(s.threshold).toBe(0.8);
    expect(s.retentionDays).toBe(10);
  });

  it("reads stored settings from older versions without failing", () => {
    expect(parseStoredSettings({ threshold: 0.7, removedSetting: true }).threshold).toBe(0.7);
    expect(parseStoredSettings(null)).toEqual(DEFAULT_SETTINGS);
  });
});

describe("environment", () => {
  it("needs nothing to start", () => {
    const env = loadEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.HAVEN_CONSOLE_PORT).toBe(8787);
  });

  it("treats empty values as unset", () => {
    expect(loadEnv({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });

  it.each([
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ HAVEN_CONSOLE_PORT: "eighty" }, "HAVEN_CONSOLE_PORT"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ DISCORD_API_BASE: "not a url" }, "DISCORD_API_BASE"],
    // A guessable token would protect nothing.
    [{ HAVEN_METRICS_TOKEN: "short" }, "HAVEN_METRICS_TOKEN"],
  ])("rejects %j naming %s", (env, name) => {
    expect(() => loadEnv(env)).toThrow(new RegExp(`Invalid setting ${name}`));
  });
});
