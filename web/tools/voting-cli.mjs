#!/usr/bin/env node
// The browser voting library (web/src/voting) from the command line, so that the C# tests and benchmarks can check
// and time it: node web/tools/voting-cli.mjs <command> …   (imports the sources directly; no bundling)
//
//   encrypt <election.json> <private-credential> <plaintext-json>   the ballot JSON
//   trustee-key <election.json|group-name>                          {"private":"…","public":{trustee_public_key}}
//   decrypt <election.json> <encrypted_tally.json> <private-key>    the partial decryption JSON
//   credential <election.json> <private-credential>                 the public credential (g^s)
//   tracking-number <ballot.json>                                   the ballot's tracking number
//
// A threshold trustee's steps of the Pedersen key ceremony, and her partial decryption:
//   threshold-cert <group> <size> <threshold> <index>               {"seed":"…","certificate":{signed certificate}}
//   threshold-polynomial <group> <certs.json> <seed>                the polynomial record (step 3)
//   threshold-output <group> <certs.json> <seed> <input.json>       the output record (step 5)
//   threshold-decrypt <election.json> <encrypted_tally.json> <seed> <decryption-key.json>   the partial decryption JSON
//
// <certs.json> holds every trustee's signed certificate: a JSON array, or one per line; they are put in the order of
// the indexes in their contexts. <private-credential>, <plaintext-json>, <private-key>, <seed> and
// <decryption-key.json> are given as they are or as the path of a file holding them (a .privkey or .seed file's JSON
// string is accepted). Results go to stdout, timings to stderr; secrets are never logged.
import { existsSync, readFileSync } from "node:fs";
import {
  derivePublicCredential,
  encryptBallot,
  generateTrusteeKey,
  groupNames,
  parseElection,
  partialDecryption,
  thresholdCertificate,
  thresholdOutput,
  thresholdPartialDecryption,
  thresholdPolynomial,
  trackingNumber,
} from "../src/voting/index.js";

const usage = `usage: voting-cli.mjs encrypt <election.json> <private-credential> <plaintext-json>
       voting-cli.mjs trustee-key <election.json|group-name>
       voting-cli.mjs decrypt <election.json> <encrypted_tally.json> <private-key>
       voting-cli.mjs credential <election.json> <private-credential>
       voting-cli.mjs tracking-number <ballot.json>
       voting-cli.mjs threshold-cert <group> <size> <threshold> <index>
       voting-cli.mjs threshold-polynomial <group> <certs.json> <seed>
       voting-cli.mjs threshold-output <group> <certs.json> <seed> <input.json>
       voting-cli.mjs threshold-decrypt <election.json> <encrypted_tally.json> <seed> <decryption-key.json>`;

const read = (path) => readFileSync(path, "utf8");

/** A value given on the command line, or read from the file of that name. */
const valueOrFile = (arg) => (existsSync(arg) ? read(arg).trim() : arg);

/** A positive integer argument. */
function count(arg, name) {
  if (!/^[1-9][0-9]{0,5}$/.test(arg)) throw new Error(`${name}: a positive integer is expected`);
  return Number(arg);
}

/**
 * The certificates of a file: a JSON array, or one per line, as JSON texts in the order of the indexes in their
 * contexts (as socle vote trustee orders its --cert files).
 */
function readCerts(path) {
  const text = read(path).trim();
  let certs;
  try {
    if (text.startsWith("[")) certs = JSON.parse(text);
    else certs = text.split(/\r?\n/).filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
  } catch (e) {
    throw new Error(`${path}: not a JSON array of certificates, nor one certificate per line (${e.message})`);
  }
  if (!Array.isArray(certs)) throw new Error(`${path}: not a JSON array of certificates`);
  const index = (c) => {
    try {
      return JSON.parse(c.message).context.index;
    } catch {
      return 0;
    }
  };
  return certs.map((c) => ({ c, i: index(c) })).sort((a, b) => a.i - b.i).map(({ c }) => JSON.stringify(c));
}

/** Runs f, prints how long it took to stderr, returns its result. */
function timed(label, f) {
  const start = performance.now();
  const result = f();
  process.stderr.write(`${label}: ${(performance.now() - start).toFixed(1)} ms\n`);
  return result;
}

const commands = {
  encrypt: [3, ([election, credential, plaintext]) =>
    timed("encrypt", () => encryptBallot(read(election), valueOrFile(credential), valueOrFile(plaintext)))],
  "trustee-key": [1, ([source]) => {
    const group = groupNames.includes(source) ? source : parseElection(read(source)).group;
    const key = timed("trustee-key", () => generateTrusteeKey(group));
    return `{"private":${JSON.stringify(key.privateKey)},"public":${key.publicKeyJson}}`;
  }],
  decrypt: [3, ([election, tally, privateKey]) =>
    timed("decrypt", () => partialDecryption(read(election), read(tally), valueOrFile(privateKey)))],
  credential: [2, ([election, credential]) => {
    const e = parseElection(read(election));
    return timed("credential", () => derivePublicCredential(e.uuid, valueOrFile(credential), e.group));
  }],
  "tracking-number": [1, ([ballot]) => trackingNumber(read(ballot))],
  "threshold-cert": [4, ([group, size, threshold, index]) => {
    const args = [count(size, "size"), count(threshold, "threshold"), count(index, "index")];
    const c = timed("threshold-cert", () => thresholdCertificate(group, ...args));
    return `{"seed":${JSON.stringify(c.seed)},"certificate":${c.certJson}}`;
  }],
  "threshold-polynomial": [3, ([group, certs, seed]) =>
    timed("threshold-polynomial", () => thresholdPolynomial(group, readCerts(certs), valueOrFile(seed)))],
  "threshold-output": [4, ([group, certs, seed, input]) =>
    timed("threshold-output", () => thresholdOutput(group, readCerts(certs), valueOrFile(seed), read(input)))],
  "threshold-decrypt": [4, ([election, tally, seed, key]) =>
    timed("threshold-decrypt", () =>
      thresholdPartialDecryption(read(election), read(tally), valueOrFile(seed), valueOrFile(key)))],
};

const [name, ...args] = process.argv.slice(2);
const command = Object.hasOwn(commands, name ?? "") ? commands[name] : undefined;
if (!command || args.length !== command[0]) {
  process.stderr.write(usage + "\n");
  process.exit(2);
}
try {
  process.stdout.write(command[1](args) + "\n");
} catch (e) {
  process.stderr.write(`error: ${e.message}\n`);
  process.exit(1);
}
