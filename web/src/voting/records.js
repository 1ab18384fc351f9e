// Reading the records a voter's device or a trustee receives: the election (§Elections) and the encrypted tally
// (§Encrypted tally), with the checks Socle's C# readers make (Records/Election.cs, Records/Tally.cs).
import { getGroup, groupNames } from "./groups.js";
import { sha256Base64, sha256Hex } from "./hashing.js";
import { parseJson } from "./json.js";

const base58 = /^[1-9A-HJ-NP-Za-km-z]+$/;

/**
 * The election text as hashed: the first line, without its line ending. The election's writers put it on one line
 * (JSON escapes newlines inside strings), and a file or HTTP body may end with a newline that is not part of it.
 */
export function electionText(text) {
  return text.split("\n")[0].replace(/\r$/, "");
}

function integer(value, path) {
  if (!Number.isSafeInteger(value)) throw new Error(`${path}: an integer is expected`);
  return value;
}

function string(value, path) {
  if (typeof value !== "string") throw new Error(`${path}: a string is expected`);
  return value;
}

/** §Questions: a homomorphic question; the voter selects min…max answers, or (blank allowed) votes blank in slot 0. */
function readQuestion(q, path) {
  if (q === null || typeof q !== "object" || Array.isArray(q)) throw new Error(`${path}: an object is expected`);
  if (q.type !== undefined && q.type !== null) {
    throw new Error(`${path}: questions of type '${q.type}' (non-homomorphic, counted after a mixnet) are not supported`);
  }
  if (!Array.isArray(q.answers)) throw new Error(`${path}.answers: an array is expected`);
  q.answers.forEach((a, i) => string(a, `${path}.answers[${i}]`));
  if (q.blank !== undefined && q.blank !== null && typeof q.blank !== "boolean") {
    throw new Error(`${path}.blank: true or false is expected`);
  }
  const question = {
    answers: q.answers,
    allowsBlank: q.blank === true,
    min: integer(q.min, `${path}.min`),
    max: integer(q.max, `${path}.max`),
  };
  const n = q.answers.length;
  if (n === 0) throw new Error(`${path}: a question needs at least one answer`);
  if (question.min < 0 || question.max < question.min || question.max > n) {
    const got = `got min ${question.min}, max ${question.max}`;
    throw new Error(`${path}: min and max must satisfy 0 ≤ min ≤ max ≤ ${n} (the number of answers); ${got}`);
  }
  if (question.allowsBlank && question.max === 0) {
    throw new Error(`${path}: a question with blank votes must allow at least one answer (max ≥ 1)`);
  }
  question.slots = n + (question.allowsBlank ? 1 : 0);
  return question;
}

/**
 * §Elections (version 1): uuid, group, public key y and questions, with the fingerprint φ = SHA-256 of the exact text
 * in compact Base64, which every ballot and proof refers to.
 */
export function parseElection(text) {
  const raw = electionText(text);
  const e = parseJson(raw, "election");
  if (e === null || typeof e !== "object" || Array.isArray(e)) throw new Error("election: an object is expected");
  if (e.version !== 1) {
    throw new Error(`election.version: ${e.version} is not supported (Belenios election version 1 is)`);
  }
  const groupName = string(e.group, "election.group");
  if (!groupNames.includes(groupName)) {
    throw new Error(`election.group: unknown group '${groupName}' (known: ${groupNames.join(", ")})`);
  }
  const group = getGroup(groupName);
  const uuid = string(e.uuid, "election.uuid");
  if (uuid.length < 14 || !base58.test(uuid)) {
    throw new Error("election.uuid: not a Belenios uuid (at least 14 Base58 characters)");
  }
  if (!Array.isArray(e.questions) || e.questions.length === 0) {
    throw new Error("election.questions: at least one question is needed");
  }
  const questions = e.questions.map((q, i) => readQuestion(q, `election.questions[${i}]`));
  const publicKey = group.parse(e.public_key, "election.public_key");
  return { raw, uuid, group, publicKey, questions, hashHex: sha256Hex(raw), fingerprint: sha256Base64(raw) };
}

/** §Encrypted tally: per question, one ciphertext {alpha, beta} per slot; every element checked. */
export function parseEncryptedTally(text, group) {
  const tally = parseJson(text.trim(), "encrypted_tally");
  if (!Array.isArray(tally)) throw new Error("encrypted_tally: an array is expected");
  return tally.map((row, i) => {
    if (!Array.isArray(row)) throw new Error(`encrypted_tally[${i}]: an array is expected`);
    return row.map((c, j) => {
      const path = `encrypted_tally[${i}][${j}]`;
      if (c === null || typeof c !== "object") throw new Error(`${path}: an object is expected`);
      return { alpha: group.parse(c.alpha, `${path}.alpha`), beta: group.parse(c.beta, `${path}.beta`) };
    });
  });
}
