#!/usr/bin/env node
// Ballot encryption speed of the browser library (web/src/voting) under Node: one question of 10 candidates, blank
// allowed, min = max = 1, on Ed25519 and BELENIOS-2048 (see voting-booth-measure.mjs; the same in Chromium:
// voting-booth-chromium.mjs). Results are recorded in bench/results/<date>/voting-booth-node.md.
//   node bench/voting-booth.mjs [runs]
import { cpus, loadavg } from "node:os";
import { candidates, measure, table } from "./voting-booth-measure.mjs";

const runs = Number(process.argv[2] ?? 20);
const load = loadavg().map((l) => l.toFixed(2)).join(" ");
console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0].model.trim()}, load average ${load}`);
console.log(`encryptBallot: 1 question, ${candidates} candidates + blank, min = max = 1; ${runs} runs after the first`);
console.log(table(["Ed25519", "BELENIOS-2048"].map((g) => measure(g, runs))));
