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
// <private-credential>, <plaintext-json> and <private-key> are given as they are or as the path of a file holding
// them (a .privkey file's JSON string is accepted). Results go to stdout, timings to stderr; secrets are never logged.
import { existsSync, readFileSync } from "node:fs";
import {
  derivePublicCredential,
  encryptBallot,
  generateTrusteeKey,
  groupNames,
  parseElection,
  partialDecryption,
  trackingNumber,
} from "../src/voting/index.js";

const usage = `usage: voting-cli.mjs encrypt <election.json> <private-credential> <plaintext-json>
       voting-cli.mjs trustee-key <election.json|group-name>
       voting-cli.mjs decrypt <election.json> <encrypted_tally.json> <private-key>
       voting-cli.mjs credential <election.json> <private-credential>
       voting-cli.mjs tracking-number <ballot.json>`;

const read = (path) => readFileSync(path, "utf8");

/** A value given on the command line, or read from the file of that name. */
const valueOrFile = (arg) => (existsSync(arg) ? read(arg).trim() : arg);

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
