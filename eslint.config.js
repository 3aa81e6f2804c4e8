import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "drizzle/", ".haven/", "tests/artifacts/", "src/review/static/vendor/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    // Platform code lives only in adapters/.
    files: ["src/**/*.ts"],
    ignores: ["src/cli/start.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["discord.js", "grammy", "@grammyjs/*", "*/adapters/*"] }],
    },
  },
  {
    // The engine is pure: no platform, database or clock.
    files: ["src/engine/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["discord.js", "grammy", "@grammyjs/*", "pg", "drizzle-orm*", "@electric-sql/*", "*/store/*", "*/adapters/*"] }],
      "no-restricted-properties": ["error", { object: "Date", property: "now", message: "The engine takes time from messages." }],
    },
  },
);
