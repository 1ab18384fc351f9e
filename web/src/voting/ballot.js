// A voter's device: encrypts a plaintext choice into a signed ballot (§Encrypted answers, §Proofs of interval
// membership, §Proofs of possibly-blank votes, §Signatures, §Ballots), as Socle's Elections/BallotEncryption.cs does,
// and writes it exactly as Records/Ballot.cs serialises it.
import { deriveCredentialSecret } from "./credentials.js";
import { sha256Base64 } from "./hashing.js";
import { array, ciphertextJson, proofJson, quote } from "./json.js";
import { blankPrefix, challenge, intervalPrefix, overallBlankPrefix, proveKnowledge, signaturePrefix } from "./proofs.js";
import { parseElection } from "./records.js";
import { mod, randomScalar } from "./zq.js";

/**
 * Why a plaintext does not fit the questions, or null. A plaintext has one array per question and one 0/1 per slot:
 * when blank votes are allowed, slot 0 is "blank" and the answers follow.
 */
export function validatePlaintext(questions, plaintext) {
  if (!Array.isArray(plaintext) || plaintext.length !== questions.length) {
    return `the election has ${questions.length} question(s), the choice has ${Array.isArray(plaintext) ? plaintext.length : 0}`;
  }
  for (let i = 0; i < plaintext.length; i++) {
    const q = questions[i];
    const m = plaintext[i];
    if (!Array.isArray(m) || m.length !== q.slots) {
      const expected = `${q.allowsBlank ? "blank first, then " : ""}${q.answers.length} answers`;
      return `question ${i + 1}: ${q.slots} values expected (${expected}), ${Array.isArray(m) ? m.length : 0} given`;
    }
    if (m.some((v) => v !== 0 && v !== 1)) return `question ${i + 1}: each value must be 0 or 1`;
    if (q.allowsBlank && m[0] === 1) {
      if (m.slice(1).includes(1)) return `question ${i + 1}: a blank vote selects no answer`;
      continue;
    }
    const selected = (q.allowsBlank ? m.slice(1) : m).reduce((a, b) => a + b, 0);
    if (selected < q.min || selected > q.max) {
      return `question ${i + 1}: between ${q.min} and ${q.max} answers must be selected, ${selected} are`;
    }
  }
  return null;
}

/**
 * Encrypts a choice for the election and signs it with the private credential; returns the ballot's JSON text.
 * electionJsonText: the election as published (its first line is hashed into the fingerprint φ).
 * plaintext: [[0|1, …], …] (or its JSON text), one array per question, blank slot first where allowed.
 */
export function encryptBallot(electionJsonText, privateCredential, plaintext) {
  const election = parseElection(electionJsonText);
  const choice = typeof plaintext === "string" ? readPlaintext(plaintext) : plaintext;
  const problem = validatePlaintext(election.questions, choice);
  if (problem) throw new Error(problem);
  const { group, uuid, fingerprint } = election;
  const ctx = { group, q: group.q, powY: group.fixedBase(election.publicKey) };

  // §Credentials: s from the private credential, the public credential g^s; S0 = φ|g^s binds every proof to both.
  const s = deriveCredentialSecret(uuid, privateCredential, group);
  const credential = group.encode(group.powG(s));
  const s0 = `${fingerprint}|${credential}`;
  const answers = election.questions.map((question, i) => encryptAnswer(ctx, s0, question, choice[i]));

  // §Signatures: a Schnorr proof of knowledge of s over sig|hash|, hash = SHA-256 of the unsigned ballot.
  const hash = sha256Base64(ballotJson(group, uuid, fingerprint, credential, answers, null));
  const proof = proveKnowledge(group, s, signaturePrefix(hash));
  return ballotJson(group, uuid, fingerprint, credential, answers, { hash, proof });
}

/** The choice's JSON text; the error does not quote it (a vote is a secret). */
function readPlaintext(text) {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error("plaintext: not valid JSON (one array of 0 and 1 per question)");
  }
}

/** The smart ballot tracker: SHA-256 of the ballot text in compact Base64 (as C# Ballot.TrackingNumber). */
export function trackingNumber(ballotJsonText) {
  return sha256Base64(ballotJsonText.replace(/\r?\n$/, ""));
}

// ---- Encrypted answers ---------------------------------------------------------------------------------------------

/** ElGamal encryption of a slot (§Encrypted answers): (α, β) = (g^r, y^r·g^m). */
function encrypt(ctx, r, m) {
  const { group } = ctx;
  let beta = ctx.powY(r);
  if (m !== 0) beta = group.mul(beta, group.powG(m));
  return { alpha: group.powG(r), beta };
}

function encryptAnswer(ctx, s0, question, m) {
  const { group, q } = ctx;
  const n = m.length;
  const r = [];
  const choices = [];
  const individualProofs = [];
  for (let i = 0; i < n; i++) {
    r.push(randomScalar(q));
    choices.push(encrypt(ctx, r[i], m[i]));
    individualProofs.push(proveInterval(ctx, s0, choices[i], r[i], m[i], [0, 1]));
  }
  // S = S0|α1,β1,α2,β2,…: the statement of the answer's overall and blank proofs.
  const s = s0 + "|" + choices.map((c) => `${group.encode(c.alpha)},${group.encode(c.beta)}`).join(",");

  // The sums over the answer slots (every slot but the blank one): Σr, Σm and the product of the ciphertexts.
  const first = question.allowsBlank ? 1 : 0;
  let sumR = 0n;
  let sumM = 0;
  let sumC = { alpha: group.identity, beta: group.identity };
  for (let i = first; i < n; i++) {
    sumR += r[i];
    sumM += m[i];
    sumC = { alpha: group.mul(sumC.alpha, choices[i].alpha), beta: group.mul(sumC.beta, choices[i].beta) };
  }
  sumR = mod(sumR, q);
  if (question.allowsBlank) {
    const { overall, blank } = proveBlank(ctx, s, question, m[0], choices[0], r[0], sumM, sumC, sumR);
    return { choices, individualProofs, overallProof: overall, blankProof: blank };
  }
  const range = [];
  for (let v = question.min; v <= question.max; v++) range.push(v);
  return { choices, individualProofs, overallProof: proveInterval(ctx, s, sumC, sumR, sumM, range), blankProof: null };
}

// ---- Proofs --------------------------------------------------------------------------------------------------------

/**
 * The commitments of a simulated disjunct "(α, β) encrypts M" for a chosen challenge and response:
 * A = g^response·α^challenge, B = y^response·(β/g^M)^challenge.
 */
function simulate(ctx, c, value, proof) {
  const { group } = ctx;
  const shifted = value === 0 ? c.beta : group.mul(c.beta, group.powG(-value));
  return [
    group.mul(group.powG(proof.response), group.pow(c.alpha, proof.challenge)),
    group.mul(ctx.powY(proof.response), group.pow(shifted, proof.challenge)),
  ];
}

function randomProof(q) {
  return { challenge: randomScalar(q), response: randomScalar(q) };
}

/**
 * §Proofs of interval membership, iprove(S, r, m, M_0 … M_k): a disjunctive Chaum–Pedersen proof that
 * (α, β) = (g^r, y^r·g^m) with m among the values. Every disjunct but the true one is simulated; the true one's
 * challenge is H(prove|S|α,β|, commitments) minus the simulated challenges.
 */
function proveInterval(ctx, s, c, r, m, values) {
  const { group, q } = ctx;
  const index = values.lastIndexOf(m);
  if (index < 0) throw new Error(`${m} is not among the allowed values`);
  const proofs = new Array(values.length);
  const commitments = new Array(2 * values.length);
  let total = 0n;
  for (let j = 0; j < values.length; j++) {
    if (j === index) continue;
    proofs[j] = randomProof(q);
    [commitments[2 * j], commitments[2 * j + 1]] = simulate(ctx, c, values[j], proofs[j]);
    total += proofs[j].challenge;
  }
  const w = randomScalar(q);
  commitments[2 * index] = group.powG(w);
  commitments[2 * index + 1] = ctx.powY(w);
  const real = mod(challenge(group, intervalPrefix(group, s, c), commitments) - total, q);
  proofs[index] = { challenge: real, response: mod(w - r * real, q) };
  return proofs;
}

/**
 * §Proofs of possibly-blank votes, for a question that allows blank votes. With (α0, β0) the blank slot and (αΣ, βΣ)
 * the product of the answer slots:
 *   blank_proof   (bproof0|S|): m0 = 0 ∨ mΣ = 0
 *   overall_proof (bproof1|S|): m0 = 1 ∨ mΣ ∈ [min, max], written as [m0 = 1, mΣ = min, …, mΣ = max]
 */
function proveBlank(ctx, s, question, m0, c0, r0, mSum, cSum, rSum) {
  const { group, q } = ctx;
  const { min, max } = question;
  const count = max - min + 2;
  const overall = new Array(count);
  const commitments = new Array(2 * count);
  let blank;
  // The real disjunct of the overall proof: 0 for a blank vote (m0 = 1), else 1 + mΣ − min.
  const indexTrue = m0 === 1 ? 0 : mSum - min + 1;
  if (m0 === 1 && mSum !== 0) throw new Error("a blank vote selects no answer");
  if (m0 === 0 && (mSum < min || mSum > max)) throw new Error("the number of selected answers is outside min..max");

  // blank_proof: the true side is m0 = 0 (not blank) or mΣ = 0 (blank); the other side is simulated.
  {
    const fake = randomProof(q);
    const w = randomScalar(q);
    const real = [group.powG(w), ctx.powY(w)];
    const simulated = simulate(ctx, m0 === 0 ? cSum : c0, 0, fake);
    const h = challenge(group, blankPrefix(s), m0 === 0 ? [...real, ...simulated] : [...simulated, ...real]);
    const c = mod(h - fake.challenge, q);
    const proof = { challenge: c, response: mod(w - (m0 === 0 ? r0 : rSum) * c, q) };
    blank = m0 === 0 ? [proof, fake] : [fake, proof];
  }

  // overall_proof: disjunct 0 is "the blank slot encrypts 1", disjunct i ≥ 1 is "the answers add up to min + i − 1".
  let total = 0n;
  for (let i = 0; i < count; i++) {
    if (i === indexTrue) continue;
    overall[i] = randomProof(q);
    const disjunct = i === 0 ? simulate(ctx, c0, 1, overall[i]) : simulate(ctx, cSum, min + i - 1, overall[i]);
    [commitments[2 * i], commitments[2 * i + 1]] = disjunct;
    total += overall[i].challenge;
  }
  const w = randomScalar(q);
  commitments[2 * indexTrue] = group.powG(w);
  commitments[2 * indexTrue + 1] = ctx.powY(w);
  const c = mod(challenge(group, overallBlankPrefix(s), commitments) - total, q);
  overall[indexTrue] = { challenge: c, response: mod(w - (indexTrue === 0 ? r0 : rSum) * c, q) };
  return { overall, blank };
}

// ---- Serialisation (§Ballots) --------------------------------------------------------------------------------------

function answerJson(group, a) {
  let out =
    `{"choices":${array(a.choices, (c) => ciphertextJson(group, c))}` +
    `,"individual_proofs":${array(a.individualProofs, (ps) => array(ps, proofJson))}` +
    `,"overall_proof":${array(a.overallProof, proofJson)}`;
  if (a.blankProof) out += `,"blank_proof":${array(a.blankProof, proofJson)}`;
  return out + "}";
}

/** {election_uuid, election_hash, credential, answers[, signature {hash, proof}]} in this order, compact. */
function ballotJson(group, uuid, fingerprint, credential, answers, signature) {
  let out =
    `{"election_uuid":${quote(uuid)},"election_hash":${quote(fingerprint)},"credential":${quote(credential)}` +
    `,"answers":${array(answers, (a) => answerJson(group, a))}`;
  if (signature) out += `,"signature":{"hash":${quote(signature.hash)},"proof":${proofJson(signature.proof)}}`;
  return out + "}";
}
