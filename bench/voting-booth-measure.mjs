// What bench/voting-booth.mjs (Node) and bench/voting-booth-chromium.mjs (Chromium) both time: the browser library's
// encryptBallot (web/src/voting) for one question of 10 candidates, blank allowed, min = max = 1. The first ballot is
// timed apart (cold: the tables for g and the JIT are built then, as on a voter's first and only ballot in a booth
// tab), then `runs` ballots (median, p95, min, max).
import { encryptBallot, generateTrusteeKey, trackingNumber } from "../web/src/voting/index.js";

export const candidates = 10;

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

/** Times one group: { group, cold, median, p95, min, max, size } in milliseconds and bytes. */
export function measure(groupName, runs) {
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
  return { group: groupName, cold, median: median(times), p95: percentile(times, 95), min: times[0], max: times.at(-1), size: first.length };
}

/** Markdown rows for measured groups. */
export function table(rows) {
  const lines = [
    "| group | first ballot (ms) | median (ms) | p95 (ms) | min (ms) | max (ms) | ballot size (bytes) |",
    "|---|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of rows) {
    const cells = [r.cold, r.median, r.p95, r.min, r.max].map((x) => x.toFixed(1));
    lines.push(`| ${r.group} | ${cells.join(" | ")} | ${r.size} |`);
  }
  return lines.join("\n");
}
