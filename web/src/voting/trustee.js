// A trustee's device: a single trustee key with its proof of knowledge (§Verification keys), and the partial
// decryption of the encrypted tally with its proofs (§Partial decryptions), as Socle's Elections/TrusteeKeys.cs and
// Elections/Tallying.cs make them.
import { getGroup } from "./groups.js";
import { array, proofJson, quote } from "./json.js";
import { challenge, decryptionPrefix, keyPossessionPrefix, proveKnowledge } from "./proofs.js";
import { parseElection, parseEncryptedTally } from "./records.js";
import { mod, parseScalar, randomNonZero, randomScalar } from "./zq.js";

/**
 * A new single trustee key: x random in [1, q), X = g^x, and the trustee_public_key
 * {"pok":{"challenge","response"},"public_key":X} with pok a Schnorr proof over pok|G|X|.
 * group: a group object or its name ("Ed25519", "BELENIOS-2048", "RFC-3526-2048").
 * Returns { privateKey: x in decimal, publicKeyJson }.
 */
export function generateTrusteeKey(group) {
  group = typeof group === "string" ? getGroup(group) : group;
  const x = randomNonZero(group.q);
  const publicKey = group.powG(x);
  const pok = proveKnowledge(group, x, keyPossessionPrefix(group, publicKey));
  const publicKeyJson = `{"pok":${proofJson(pok)},"public_key":${quote(group.encode(publicKey))}}`;
  return { privateKey: x.toString(10), publicKeyJson };
}

/** A private key: a bigint, a decimal string, or the .privkey file's content (the decimal as a JSON string). */
function readPrivateKey(privateKey, q) {
  if (typeof privateKey === "bigint") {
    if (privateKey < 0n || privateKey >= q) throw new Error("private key: not in [0, q)");
    return privateKey;
  }
  let text = String(privateKey).trim();
  if (text.startsWith('"')) {
    try {
      text = JSON.parse(text);
    } catch {
      throw new Error("private key: not a JSON string"); // without quoting it
    }
  }
  return parseScalar(text, q, "private key");
}

/**
 * The trustee's partial decryption of the tally with private key x: for each ciphertext (α, β), the factor α^x and
 * a Chaum–Pedersen proof that log_g(X) = log_α(α^x): w random, A = g^w, B = α^w, challenge = H(decrypt|φ|X|, A, B),
 * response = w − x·challenge. Returns {"decryption_factors":[[…]],"decryption_proofs":[[…]]}.
 */
export function partialDecryption(electionJsonText, encryptedTallyJsonText, privateKey) {
  const election = parseElection(electionJsonText);
  const { group } = election;
  const q = group.q;
  const tally = parseEncryptedTally(encryptedTallyJsonText, group);
  const { questions } = election;
  if (tally.length !== questions.length || tally.some((row, i) => row.length !== questions[i].slots)) {
    throw new Error("encrypted_tally: it does not have one ciphertext per slot of each question of the election");
  }
  const x = readPrivateKey(privateKey, q);
  const prefix = decryptionPrefix(election.fingerprint, group, group.powG(x));
  const factors = [];
  const proofs = [];
  for (const row of tally) {
    const f = [];
    const p = [];
    for (const { alpha } of row) {
      f.push(group.pow(alpha, x));
      const w = randomScalar(q);
      const c = challenge(group, prefix, [group.powG(w), group.pow(alpha, w)]);
      p.push({ challenge: c, response: mod(w - x * c, q) });
    }
    factors.push(f);
    proofs.push(p);
  }
  return (
    `{"decryption_factors":${array(factors, (row) => array(row, (e) => quote(group.encode(e))))}` +
    `,"decryption_proofs":${array(proofs, (row) => array(row, proofJson))}}`
  );
}
