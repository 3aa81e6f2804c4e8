#!/usr/bin/env -S npx tsx --max-semi-space-size=8
// The `haven` command. Each command lives in its own module and registers itself here.
import { Command } from "commander";
import { registerBench } from "./bench.ts";
import { registerBenchPipeline } from "./bench-pipeline.ts";
import { registerEval } from "./eval.ts";
import { registerExportLabels } from "./export-labels.ts";
import { registerMigrate } from "./migrate.ts";
import { registerReplay } from "./replay.ts";
import { registerExport } from "./export.ts";
import { registerPurge } from "./purge.ts";
import { registerErase } from "./erase.ts";
import { registerStart } from "./start.ts";
import { registerTrain } from "./train.ts";
import { registerUserLink } from "./user-link.ts";

const program = new Command("haven")
  .description("Haven: spots online child grooming in Discord and Telegram and alerts human moderators")
  .showHelpAfterError()
  .enablePositionalOptions();

registerStart(program);
registerMigrate(program);
registerEval(program);
registerTrain(program);
// `bench --pipeline` is its own command (src/cli/bench-pipeline.ts); `bench` alone measures the engine.
if (process.argv[2] === "bench" && process.argv.includes("--pipeline")) registerBenchPipeline(program);
else registerBench(program);
registerReplay(program);
registerExport(program);
registerPurge(program);
registerErase(program);
registerExportLabels(program);
registerUserLink(program);

await program.parseAsync(process.argv);
