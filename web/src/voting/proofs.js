// Fiat–Shamir proofs (specification version 1 prefixes, as Belenios 2.x writes and checks them). A challenge is
// SHA-256(prefix ‖ commitments joined by commas) read as a big-endian number, modulo q.
import { hashElements } from "./hashing.js";
import { mod, randomScalar } from "./zq.js";

/** §Proofs of interval membership: prove|S|α,β|. */
export const intervalPrefix = (group, s, c) => `prove|${s}|${group.encode(c.alpha)},${group.encode(c.beta)}|`;

/** §Proofs of possibly-blank votes, m0 = 0 ∨ mΣ = 0: bproof0|S|. */
export const blankPrefix = (s) => `bproof0|${s}|`;

/** §Proofs of possibly-blank votes, m0 = 1 ∨ mΣ ∈ [min, max]: bproof1|S|. */
export const overallBlankPrefix = (s) => `bproof1|${s}|`;

/** §Verification keys: pok|G|X|. */
export const keyPossessionPrefix = (group, publicKey) => `pok|${group.name}|${group.encode(publicKey)}|`;

/** §Signatures: sig|hash|. */
export const signaturePrefix = (hash) => `sig|${hash}|`;

/** §Public key infrastructure, signing: sigmsg|M|. */
export const signedMessagePrefix = (message) => `sigmsg|${message}|`;

/** §Partial decryptions: decrypt|φ|X|. */
export const decryptionPrefix = (fingerprint, group, trusteeKey) => `decrypt|${fingerprint}|${group.encode(trusteeKey)}|`;

/** The challenge of a list of commitments (group elements). */
export function challenge(group, prefix, commitments) {
  return hashElements(prefix, commitments.map((e) => group.encode(e)), group.q);
}

/**
 * A Schnorr proof of knowledge of x with X = g^x, bound to the prefix: w random, A = g^w, challenge = H(prefix, A),
 * response = w − x·challenge.
 */
export function proveKnowledge(group, x, prefix) {
  const w = randomScalar(group.q);
  const c = challenge(group, prefix, [group.powG(w)]);
  return { challenge: c, response: mod(w - x * c, group.q) };
}

/** Checks a proof made by proveKnowledge: A = g^response·X^challenge, then challenge = H(prefix, A). */
export function verifyKnowledge(group, publicKey, proof, prefix) {
  const a = group.mul(group.powG(proof.response), group.pow(publicKey, proof.challenge));
  return challenge(group, prefix, [a]) === proof.challenge;
}
