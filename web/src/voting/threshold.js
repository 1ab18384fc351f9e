// A threshold trustee's device: the trustee's steps of the Pedersen distributed key generation (§Threshold decryption
// support, the "Pedersen" protocol) and her partial decryption with the key share it gives her, as Socle's
// Elections/ThresholdKeys.cs and Elections/TrusteeKeys.cs make them, record for record and byte for byte.
//
//   step 1  thresholdCertificate: a secret seed, and a certificate of the signing and encryption keys derived from it
//   step 3  thresholdPolynomial:  a random polynomial f of degree t − 1 (t = the threshold), its signed commitments
//                                 A_k = g^(a_k), and f(j) encrypted and signed for each trustee j
//   step 5  thresholdOutput:      the shares s_ij received, each checked against g^(s_ij) = Π_k A_ik^(j^k); the key
//                                 share S_j = Σ_i s_ij, encrypted for herself, and g^(S_j) with a proof of knowledge
//   tally   thresholdPartialDecryption: S_j opened with the seed, then the partial decryption of trustee.js
//
// Steps 2, 4 and 6 (collecting the certificates, routing the shares, assembling the threshold parameters) are the
// server's. Every function takes and returns JSON texts; the seed and the key share are secrets, never logged.
import { bytesToHex, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { ccmDecrypt, ccmEncrypt } from "./ccm.js";
import { getGroup } from "./groups.js";
import { hashToZq, sha256Hex } from "./hashing.js";
import { array, parseJson, proofJson, quote } from "./json.js";
import { keyPossessionPrefix, proveKnowledge, signedMessagePrefix, verifyKnowledge } from "./proofs.js";
import { parseElection } from "./records.js";
import { partialDecryption } from "./trustee.js";
import { mod, parseScalar, randomScalar } from "./zq.js";

const base58Digits = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const maxItems = 1000;

const resolveGroup = (group) => (typeof group === "string" ? getGroup(group) : group);

// ---- Reading JSON values with the paths of Socle's C# readers -------------------------------------------------------

function object(value, path) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`${path}: an object is expected`);
  return value;
}

function field(value, name, path) {
  object(value, path);
  if (!Object.hasOwn(value, name)) throw new Error(`${path}.${name}: is missing`);
  return value[name];
}

function string(value, path) {
  if (typeof value !== "string") throw new Error(`${path}: a string is expected`);
  return value;
}

function int32(value, path) {
  if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) throw new Error(`${path}: an integer is expected`);
  return value;
}

function list(value, path, read) {
  if (!Array.isArray(value)) throw new Error(`${path}: an array is expected`);
  if (value.length > maxItems) throw new Error(`${path}: more than ${maxItems} items`);
  return value.map((item, i) => read(item, `${path}[${i}]`));
}

const scalar = (value, path, q) => parseScalar(string(value, path), q, path);

const element = (value, path, group) => group.parse(string(value, path), path);

function readProof(value, path, q) {
  return {
    challenge: scalar(field(value, "challenge", path), `${path}.challenge`, q),
    response: scalar(field(value, "response", path), `${path}.response`, q),
  };
}

// ---- Seeds and the keys derived from them ---------------------------------------------------------------------------

/** A new seed: 22 Base58 characters, each uniform (6 random bits, drawn again when ≥ 58). */
function randomSeed() {
  const one = new Uint8Array(1);
  let seed = "";
  while (seed.length < 22) {
    globalThis.crypto.getRandomValues(one);
    const x = one[0] & 63;
    if (x < 58) seed += base58Digits[x];
  }
  one.fill(0);
  return seed;
}

/** A seed: the 22 (or more) Base58 characters, or the .seed file's content (the seed as a JSON string). */
function readSeed(seed) {
  let text = String(seed).trim();
  if (text.startsWith('"')) {
    try {
      text = JSON.parse(text);
    } catch {
      throw new Error("seed: not a JSON string"); // without quoting it
    }
  }
  if (typeof text !== "string" || text.length < 22 || [...text].some((c) => !base58Digits.includes(c))) {
    throw new Error("a seed is 22 Base58 characters");
  }
  return text;
}

/** The signing key sk = SHA256("sk|" ‖ seed) mod q. */
const signingKey = (seed, group) => hashToZq("sk|" + seed, group.q);

/** The decryption key dk = SHA256("dk|" ‖ seed) mod q. */
const decryptionKey = (seed, group) => hashToZq("dk|" + seed, group.q);

// ---- Signed messages (§Public key infrastructure) -------------------------------------------------------------------

/** {message, signature}: a Schnorr proof of knowledge of sk bound to sigmsg|M|. */
function sign(group, sk, message) {
  return { message, signature: proveKnowledge(group, sk, signedMessagePrefix(message)) };
}

/** The signed_msg structure: {"message":"…","signature":{"challenge","response"}}. */
const signedJson = (signed) => `{"message":${quote(signed.message)},"signature":${proofJson(signed.signature)}}`;

const verifySignature = (group, verificationKey, signed) =>
  verifyKnowledge(group, verificationKey, signed.signature, signedMessagePrefix(signed.message));

function readSigned(value, path, q) {
  return {
    message: string(field(value, "message", path), `${path}.message`),
    signature: readProof(field(value, "signature", path), `${path}.signature`, q),
  };
}

// ---- Encrypted messages and channels --------------------------------------------------------------------------------

const keyOf = (group, k) => hexToBytes(sha256Hex("key|" + group.encode(k)));

const ivOf = (group, alpha) => hexToBytes(sha256Hex("iv|" + group.encode(alpha)));

/**
 * The encrypted_msg structure, ElGamal key encapsulation with AES-CCM: alpha = g^r, beta = ek^r·K with K = g^s random,
 * data = AES-CCM(key = SHA256("key|" ‖ K), nonce from SHA256("iv|" ‖ alpha), 8-byte tag) in hexadecimal.
 */
function encryptMessage(group, recipient, plaintext) {
  const q = group.q;
  const r = randomScalar(q);
  const s = randomScalar(q);
  const k = group.powG(s);
  const alpha = group.powG(r);
  const beta = group.mul(group.pow(recipient, r), k);
  const data = ccmEncrypt(keyOf(group, k), ivOf(group, alpha), utf8ToBytes(plaintext));
  return `{"alpha":${quote(group.encode(alpha))},"beta":${quote(group.encode(beta))},"data":${quote(bytesToHex(data))}}`;
}

/** Opens an encrypted_msg with the decryption key dk: K = beta / alpha^dk, then AES-CCM decryption. */
function decryptMessage(group, dk, encryptedJson) {
  const r = parseJson(encryptedJson, "encrypted message");
  const alpha = element(field(r, "alpha", "encrypted_msg"), "encrypted_msg.alpha", group);
  const beta = element(field(r, "beta", "encrypted_msg"), "encrypted_msg.beta", group);
  const hex = string(field(r, "data", "encrypted_msg"), "encrypted_msg.data");
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new Error("encrypted_msg.data: not hexadecimal");
  const k = group.mul(beta, group.pow(alpha, -dk));
  const plain = ccmDecrypt(keyOf(group, k), ivOf(group, alpha), hexToBytes(hex.toLowerCase()));
  return new TextDecoder().decode(plain);
}

/** send(sk, recipient, M): the channel_msg {recipient, message}, signed with sk, then encrypted for the recipient. */
function send(group, sk, recipient, message) {
  const channel = `{"recipient":${quote(group.encode(recipient))},"message":${quote(message)}}`;
  return encryptMessage(group, recipient, signedJson(sign(group, sk, channel)));
}

/** Opens a message sent to the holder of dk by the holder of the verification key; checks signature and recipient. */
function receive(group, dk, senderVerificationKey, encryptedJson) {
  const signed = readSigned(parseJson(decryptMessage(group, dk, encryptedJson), "signed message"), "signed_msg", group.q);
  if (!verifySignature(group, senderVerificationKey, signed)) {
    throw new Error("a received message is not signed by its sender");
  }
  const inner = parseJson(signed.message, "channel message");
  const recipient = element(field(inner, "recipient", "channel_msg"), "channel_msg.recipient", group);
  if (!group.eq(recipient, group.powG(dk))) throw new Error("a received message was sent to someone else");
  return string(field(inner, "message", "channel_msg"), "channel_msg.message");
}

// ---- Certificates ---------------------------------------------------------------------------------------------------

const contextText = (c) => (c ? `group ${c.group}, size ${c.size}, threshold ${c.threshold}, index ${c.index}` : "missing");

/** The cert_keys structure: {"context":{group,size,threshold,index},"verification":vk,"encryption":ek}. */
function certKeysJson(group, context, verification, encryption) {
  const c = context;
  return (
    `{"context":{"group":${quote(c.group)},"size":${c.size},"threshold":${c.threshold},"index":${c.index}}` +
    `,"verification":${quote(group.encode(verification))},"encryption":${quote(group.encode(encryption))}}`
  );
}

function parseCertKeys(json, group) {
  const root = parseJson(json, "certificate");
  let context = null;
  const c = root !== null && typeof root === "object" && !Array.isArray(root) ? root.context : undefined;
  if (c !== undefined && c !== null) {
    context = {
      group: string(field(c, "group", "cert.context"), "cert.context.group"),
      size: int32(field(c, "size", "cert.context"), "cert.context.size"),
      threshold: int32(field(c, "threshold", "cert.context"), "cert.context.threshold"),
      index: int32(field(c, "index", "cert.context"), "cert.context.index"),
    };
  }
  return {
    context,
    verification: element(field(root, "verification", "cert"), "cert.verification", group),
    encryption: element(field(root, "encryption", "cert"), "cert.encryption", group),
  };
}

/** The certificates: a JSON text of an array of signed certificates, or an array of their JSON texts (or objects). */
function readCerts(certs, group) {
  const items = typeof certs === "string" ? parseJson(certs.trim(), "certificates") : certs;
  if (!Array.isArray(items)) throw new Error("certificates: an array of signed certificates is expected");
  if (items.length > maxItems) throw new Error(`certificates: more than ${maxItems}`);
  return items.map((c, i) => {
    const value = typeof c === "string" ? parseJson(c, `certificate ${i + 1}`) : c;
    return readSigned(value, `certs[${i}]`, group.q);
  });
}

/**
 * Checks every certificate: its context (this group, n certificates, the threshold of the first, index i) and its
 * self-signature. Returns the threshold and each trustee's keys.
 */
function checkCertificates(group, certs) {
  if (certs.length === 0) throw new Error("no certificates");
  const keys = certs.map((c) => parseCertKeys(c.message, group));
  const first = keys[0].context;
  if (!first) throw new Error("certificate 1 has no context");
  keys.forEach((k, i) => {
    const expected = { group: group.name, size: certs.length, threshold: first.threshold, index: i + 1 };
    const c = k.context;
    const same = c && ["group", "size", "threshold", "index"].every((name) => c[name] === expected[name]);
    if (!same) {
      throw new Error(`certificate ${i + 1}: its context is ${contextText(c)}, expected ${contextText(expected)}`);
    }
    if (!verifySignature(group, k.verification, certs[i])) {
      throw new Error(`certificate ${i + 1}: the signature does not verify`);
    }
  });
  return { threshold: first.threshold, keys };
}

/** The text signed with certs_sig|: {"certs":[signed certificates],"coefexps":[A_0,…]}. */
const certsJson = (group, certs, coefexps) =>
  `{"certs":${array(certs, signedJson)},"coefexps":${array(coefexps, (a) => quote(group.encode(a)))}}`;

/** The raw_coefexps structure: {"coefexps":[A_0,…,A_t−1]}. */
const rawCoefexpsJson = (group, coefexps) => `{"coefexps":${array(coefexps, (a) => quote(group.encode(a)))}}`;

function parseRawCoefexps(json, group, path) {
  const root = parseJson(json, path);
  return list(field(root, "coefexps", path), `${path}.coefexps`, (x, p) => element(x, p, group));
}

/** This seed's trustee number (from 1): the certificate with its verification and encryption keys. */
function findMe(group, keys, sk, dk) {
  const vk = group.powG(sk);
  const ek = group.powG(dk);
  const i = keys.findIndex((k) => group.eq(k.verification, vk) && group.eq(k.encryption, ek));
  if (i < 0) throw new Error("this seed's certificate is not in the list of certificates");
  return i + 1;
}

/** f(x) mod q for the coefficients a_0, a_1, … of f. */
function evaluate(polynomial, x, q) {
  let result = 0n;
  let power = 1n;
  for (const a of polynomial) {
    result = mod(result + power * a, q);
    power = mod(power * x, q);
  }
  return result;
}

/** Π_k A_k^(j^k): the public value at j of a committed polynomial. */
function evaluateCommitments(group, coefexps, j) {
  let result = group.identity;
  let power = 1n;
  for (const a of coefexps) {
    result = group.mul(result, group.pow(a, power));
    power = mod(power * BigInt(j), group.q);
  }
  return result;
}

// ---- The trustee's steps --------------------------------------------------------------------------------------------

/**
 * Step 1: a new seed (22 Base58 characters, the trustee's secret for every later step and for decrypting) and the
 * certificate of the keys it gives, signed with the signing key: {"message":cert_keys,"signature":…}.
 * size: the number n of trustees; threshold: how many of them are needed to decrypt; index: this trustee, 1…n.
 * Returns { seed, certJson }.
 */
export function thresholdCertificate(groupName, size, threshold, index) {
  const group = resolveGroup(groupName);
  const ok = [size, threshold, index].every(Number.isSafeInteger);
  if (!ok || size < 1 || threshold < 1 || threshold > size || index < 1 || index > size) {
    const given = `size ${size}, threshold ${threshold}, index ${index}`;
    throw new Error(`need 1 ≤ threshold ≤ size and 1 ≤ index ≤ size (${given})`);
  }
  const seed = randomSeed();
  const sk = signingKey(seed, group);
  const dk = decryptionKey(seed, group);
  const message = certKeysJson(group, { group: group.name, size, threshold, index }, group.powG(sk), group.powG(dk));
  return { seed, certJson: signedJson(sign(group, sk, message)) };
}

/**
 * Step 3: the polynomial record {"polynomial","secrets","coefexps","signature"}: f encrypted for the trustee herself,
 * f(j) sent to each trustee j, the commitments g^(a_k) signed, and a signature over certs_sig|{certs, coefexps}.
 * certs: every trustee's signed certificate in trustee order (a JSON array, or an array of JSON texts).
 */
export function thresholdPolynomial(groupName, certs, seed) {
  const group = resolveGroup(groupName);
  const q = group.q;
  const signed = readCerts(certs, group);
  const { threshold, keys } = checkCertificates(group, signed);
  seed = readSeed(seed);
  const sk = signingKey(seed, group);
  const dk = decryptionKey(seed, group);
  findMe(group, keys, sk, dk);
  const polynomial = Array.from({ length: threshold }, () => randomScalar(q));
  const rawPolynomial = `{"polynomial":${array(polynomial, (a) => quote(a.toString(10)))}}`;
  const coefexps = polynomial.map((a) => group.powG(a));
  const signature = sign(group, sk, "certs_sig|" + certsJson(group, signed, coefexps)).signature;
  const secrets = keys.map((k, j) =>
    send(group, sk, k.encryption, `{"secret":${quote(evaluate(polynomial, BigInt(j + 1), q).toString(10))}}`),
  );
  return (
    `{"polynomial":${quote(send(group, sk, group.powG(dk), rawPolynomial))}` +
    `,"secrets":${array(secrets, quote)}` +
    `,"coefexps":${signedJson(sign(group, sk, rawCoefexpsJson(group, coefexps)))}` +
    `,"signature":${proofJson(signature)}}`
  );
}

/** The vinput structure the server routes to a trustee: her polynomial, and every trustee's share and commitments. */
function parseInput(json, group) {
  const q = group.q;
  const r = parseJson(String(json).trim(), "vinput");
  return {
    polynomial: string(field(r, "polynomial", "vinput"), "vinput.polynomial"),
    secrets: list(field(r, "secrets", "vinput"), "vinput.secrets", string),
    coefexps: list(field(r, "coefexps", "vinput"), "vinput.coefexps", (x, p) => readSigned(x, p, q)),
    signatures: list(field(r, "signatures", "vinput"), "vinput.signatures", (x, p) => readProof(x, p, q)),
  };
}

/**
 * Step 5: opens the shares of the input (vinput), checks each against its sender's signed commitments, and returns the
 * output record {"private_key":encrypted {"decryption_key":S_j},"public_key":{"pok","public_key":g^(S_j)}}.
 * Throws an Error naming the trustee whose share cannot be opened or does not match her commitments.
 */
export function thresholdOutput(groupName, certs, seed, inputJson) {
  const group = resolveGroup(groupName);
  const q = group.q;
  const signed = readCerts(certs, group);
  const { threshold, keys } = checkCertificates(group, signed);
  const n = signed.length;
  seed = readSeed(seed);
  const sk = signingKey(seed, group);
  const dk = decryptionKey(seed, group);
  const j = findMe(group, keys, sk, dk);
  const input = parseInput(inputJson, group);
  if (input.secrets.length !== n || input.coefexps.length !== n) {
    throw new Error(`the input has ${input.secrets.length} shares and ${input.coefexps.length} commitments, ${n} expected`);
  }
  // The trustee's own polynomial, to check that the server routed her the input meant for her.
  try {
    receive(group, dk, keys[j - 1].verification, input.polynomial);
  } catch (e) {
    throw new Error(`the input's polynomial is not trustee ${j}'s own (an input meant for another trustee?): ${e.message}`);
  }
  let total = 0n;
  for (let i = 0; i < n; i++) {
    let s;
    try {
      const secret = parseJson(receive(group, dk, keys[i].verification, input.secrets[i]), "secret");
      s = scalar(field(secret, "secret", "secret"), "secret.secret", q);
    } catch (e) {
      throw new Error(`the share from trustee ${i + 1} cannot be opened by trustee ${j}: ${e.message}`);
    }
    if (!verifySignature(group, keys[i].verification, input.coefexps[i])) {
      throw new Error(`the commitments of trustee ${i + 1} are not signed by that trustee`);
    }
    const coefexps = parseRawCoefexps(input.coefexps[i].message, group, `coefexps ${i + 1}`);
    if (coefexps.length !== threshold) {
      throw new Error(`trustee ${i + 1} committed to ${coefexps.length} coefficients, ${threshold} expected`);
    }
    if (!group.eq(group.powG(s), evaluateCommitments(group, coefexps, j))) {
      throw new Error(`the share from trustee ${i + 1} does not match its commitments`);
    }
    total = mod(total + s, q);
  }
  const privateKey = send(group, sk, group.powG(dk), `{"decryption_key":${quote(total.toString(10))}}`);
  const publicKey = group.powG(total);
  const pok = proveKnowledge(group, total, keyPossessionPrefix(group, publicKey));
  const publicKeyJson = `{"pok":${proofJson(pok)},"public_key":${quote(group.encode(publicKey))}}`;
  return `{"private_key":${quote(privateKey)},"public_key":${publicKeyJson}}`;
}

// ---- Decrypting with the key share ----------------------------------------------------------------------------------

/**
 * The encrypted key share as given: the encrypted_msg JSON, the decryption-key-<i>.json file's content (that JSON as
 * a JSON string), or the trustee's output record (its private_key).
 */
function readEncryptedKey(encryptedKey) {
  const text = String(encryptedKey).trim();
  const value = parseJson(text, "decryption key");
  if (typeof value === "string") return value.trim();
  if (value !== null && typeof value === "object" && typeof value.private_key === "string") return value.private_key;
  return text;
}

function openShare(group, seed, encryptedKey) {
  seed = readSeed(seed);
  const sk = signingKey(seed, group);
  const dk = decryptionKey(seed, group);
  let json;
  try {
    json = receive(group, dk, group.powG(sk), readEncryptedKey(encryptedKey));
  } catch (e) {
    throw new Error(`the decryption key cannot be opened with this seed (another trustee's, or altered): ${e.message}`);
  }
  return scalar(field(parseJson(json, "partial decryption key"), "decryption_key", "pdk"), "pdk.decryption_key", group.q);
}

/**
 * Trustee j's key share S_j in decimal, from her seed and the encrypted share the server keeps for her (sent by
 * herself at step 5). A secret: only for a device that decrypts.
 */
export function openDecryptionKey(groupName, seed, encryptedKeyJson) {
  return openShare(resolveGroup(groupName), seed, encryptedKeyJson).toString(10);
}

/**
 * A threshold trustee's partial decryption of the encrypted tally: the same factors α^(S_j) and proofs as a single
 * trustee's (partialDecryption), with the key share S_j opened from the encrypted share with the seed; the server
 * checks it against her verification key g^(S_j) and combines t of them by Lagrange interpolation.
 */
export function thresholdPartialDecryption(electionJsonText, encryptedTallyJsonText, seed, encryptedKeyJson) {
  const { group } = parseElection(electionJsonText);
  return partialDecryption(electionJsonText, encryptedTallyJsonText, openShare(group, seed, encryptedKeyJson));
}
