#!/usr/bin/env node
// Ballot encryption speed of the browser library (web/src/voting) under Node: one question of 10 candidates, blank
// allowed, min = max = 1, on Ed25519 and BELENIOS-2048. For each group: the first ballot of the process (cold: the
// tables for g and the JIT are built then, as on a voter's first and only ballot in a browser tab), then 20 timed
// ballots (median, p95, min, max). Results are recorded in bench/results/<date>/voting-booth-node.md.
//   node bench/voting-booth.mjs [runs]
import { cpus, loadavg } from "node:os";
import { encryptBallot, generateTrusteeKey, trackingNumber } from "../web/src/voting/index.js";

const runs = Number(process.argv[2] ?? 20);
const candidates = 10;

/** An election as `socle vote election make` writes it (fields in specification order), with a fresh trustee key. */
function makeElection(groupName) {
  const key = JSON.parse(generateTrusteeKey(groupName).publicKeyJson);
  const question = {
    answers: Array.from({ length: candidates }, (_, i) => `Candidate ${i + 1}`),
    blank: true,
    min: 1,
    max: 1,
    question: "Who?",
  };
  return JSON.stringify({
    version: 1,
    description: "Booth benchmark",
    name: "Booth",
    group: groupName,
    public_key: key.public_key,
    questions: [question],
    uuid: "BenchBooth1234567",
  });
}

/** The i-th plaintext: blank, candidate 1, …, candidate 10, blank, … */
function choice(i) {
  const slots = new Array(candidates + 1).fill(0);
  slots[i % (candidates + 1)] = 1;
  return [slots];
}

const credential = "5fMpN-2ZyNtQ-Hk3xW-Tb6vKq"; // a test credential, for this benchmark only

/** The median of sorted values (the mean of the two middle ones for an even count). */
function median(sorted) {
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/** The p-th percentile of sorted values, nearest rank (p95 of 20 runs is the 19th). */
function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const load = loadavg().map((l) => l.toFixed(2)).join(" ");
console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0].model.trim()}, load average ${load}`);
console.log(`encryptBallot: 1 question, ${candidates} candidates + blank, min = max = 1; ${runs} runs after the first`);
console.log("| group | first ballot (ms) | median (ms) | p95 (ms) | min (ms) | max (ms) | ballot size (bytes) |");
console.log("|---|---:|---:|---:|---:|---:|---:|");
for (const groupName of ["Ed25519", "BELENIOS-2048"]) {
  const election = makeElection(groupName);
  let start = performance.now();
  const first = encryptBallot(election, credential, choice(0));
  const cold = performance.now() - start;
  const times = [];
  for (let i = 1; i <= runs; i++) {
    start = performance.now();
    const ballot = encryptBallot(election, credential, choice(i));
    times.push(performance.now() - start);
    if (trackingNumber(ballot).length !== 43) throw new Error("unexpected tracking number");
  }
  times.sort((a, b) => a - b);
  const cells = [cold, median(times), percentile(times, 95), times[0], times.at(-1)].map((x) => x.toFixed(1));
  console.log(`| ${groupName} | ${cells.join(" | ")} | ${first.length} |`);
}
