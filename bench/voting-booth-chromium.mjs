#!/usr/bin/env node
// Ballot encryption speed in real Chromium (Debian's, headless): the booth's library (web/src/voting) bundled by
// esbuild as the site bundles it, then, in a fresh tab per group, one question of 10 candidates + blank encrypted and
// proved (voting-booth-measure.mjs: the first ballot apart, then `runs` ballots). Chromium is driven over its
// DevTools pipe (no extra package). Writes bench/results/<date>/voting-booth-chromium.md.
//   node bench/voting-booth-chromium.mjs [runs]        (SOCLE_CHROMIUM overrides /usr/bin/chromium)
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "../web/node_modules/esbuild/lib/main.js";
import { candidates, table } from "./voting-booth-measure.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const runs = Number(process.argv[2] ?? 20);
const chromium = process.env.SOCLE_CHROMIUM ?? "/usr/bin/chromium";

const bundle = await build({
  entryPoints: [join(here, "voting-booth-measure.mjs")],
  bundle: true,
  minify: true,
  format: "iife",
  globalName: "booth",
  target: ["es2022"],
  write: false,
  logLevel: "warning",
});
const code = bundle.outputFiles[0].text;

// fd 3: our commands to Chromium, fd 4: its answers; messages are JSON separated by NUL bytes.
const profile = join(process.env.TMPDIR ?? "/tmp", `socle-booth-bench-${process.pid}`);
const browser = spawn(chromium, ["--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
  "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-dev-shm-usage", "--user-data-dir=" + profile, "about:blank"],
  { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] });
let stderr = "";
browser.stderr.on("data", (d) => { stderr += d; });
const pending = new Map();
let nextId = 1;
let buffer = "";
browser.stdio[4].on("data", (chunk) => {
  buffer += chunk.toString("utf8");
  let end;
  while ((end = buffer.indexOf("\0")) >= 0) {
    const message = JSON.parse(buffer.slice(0, end));
    buffer = buffer.slice(end + 1);
    const waiter = pending.get(message.id);
    if (waiter) {
      pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`${message.error.message} ${message.error.data ?? ""}`));
      else waiter.resolve(message.result);
    }
  }
});
browser.on("exit", (code) => {
  for (const w of pending.values()) w.reject(new Error(`chromium exited (${code}): ${stderr.slice(-500)}`));
});

function send(method, params = {}, sessionId) {
  const id = nextId++;
  browser.stdio[3].write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + "\0");
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}

const { product } = await send("Browser.getVersion");
const rows = [];
try {
  for (const group of ["Ed25519", "BELENIOS-2048"]) {
    const { targetId } = await send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
    const result = await send("Runtime.evaluate", {
      expression: `${code};booth.measure(${JSON.stringify(group)}, ${runs})`,
      returnByValue: true,
      awaitPromise: true,
    }, sessionId);
    if (result.exceptionDetails) throw new Error(JSON.stringify(result.exceptionDetails).slice(0, 500));
    rows.push(result.result.value);
    await send("Target.closeTarget", { targetId });
  }
} finally {
  const exited = new Promise((resolve) => browser.once("exit", resolve));
  await send("Browser.close").catch(() => {});
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  browser.kill();
  rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}

const cpu = `${cpus().length} × ${cpus()[0].model.trim()}`;
const load = loadavg().map((l) => l.toFixed(2)).join(" ");
const lines = [
  "# Booth encryption in Chromium",
  "",
  `${product} (Debian, headless), ${cpu}, load average ${load} at the end.`,
  `encryptBallot of the booth's library (web/src/voting, bundled by esbuild): 1 question, ${candidates} candidates + blank,`,
  `min = max = 1; a fresh tab per group; the first ballot of the tab apart, then ${runs} ballots.`,
  "Run: `node bench/voting-booth-chromium.mjs`.",
  "",
  table(rows),
];
const text = lines.join("\n") + "\n";
process.stdout.write(text);
const out = join(here, "results", new Date().toISOString().slice(0, 10), "voting-booth-chromium.md");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, text);
