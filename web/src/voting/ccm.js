// AES-CCM (counter with CBC-MAC, RFC 3610 / NIST SP 800-38C) as SJCL, and so Belenios and Socle's
// Elections/TrusteeKeys.cs, use it for the trustees' encrypted messages: no associated data, an 8-byte tag, and a
// length field of L ≥ 2 bytes sized to the message, the nonce being the first 15 − L bytes of a longer IV. WebCrypto has
// no CCM; the AES rounds come from @noble/ciphers (CBC for the MAC, CTR for the key stream), synchronously.
import { cbc, ctr } from "@noble/ciphers/aes.js";

const tagLength = 8;

/** L: the number of bytes of the length field, at least 2, enough for the message length (at most 4). */
function lengthSize(messageLength) {
  let l = 2;
  while (l < 4 && messageLength >= 2 ** (8 * l)) l++;
  return l;
}

/** A 16-byte block: flags, the nonce, then the big-endian number n in the last L bytes. */
function block(flags, nonce, l, n) {
  const b = new Uint8Array(16);
  b[0] = flags;
  b.set(nonce, 1);
  for (let i = 15; i > 15 - l; i--) {
    b[i] = n % 256;
    n = Math.floor(n / 256);
  }
  return b;
}

/** The CBC-MAC tag T (first 8 bytes of the last CBC block) over B0 ‖ message padded with zeros to whole blocks. */
function mac(key, nonce, l, message) {
  const flags = (((tagLength - 2) / 2) << 3) | (l - 1); // no associated data
  const input = new Uint8Array(16 + Math.ceil(message.length / 16) * 16);
  input.set(block(flags, nonce, l, message.length), 0);
  input.set(message, 16);
  const chained = cbc(key, new Uint8Array(16), { disablePadding: true }).encrypt(input);
  return chained.slice(chained.length - 16, chained.length - 16 + tagLength);
}

/** The key stream S0 ‖ S1 ‖ … from the counter blocks A0, A1, …: S0 masks the tag, S1… the message. */
function keyStream(key, nonce, l, messageLength) {
  return ctr(key, block(l - 1, nonce, l, 0)).encrypt(new Uint8Array(16 + messageLength));
}

function checkArguments(key, iv, l) {
  if (!(key instanceof Uint8Array) || ![16, 24, 32].includes(key.length)) {
    throw new Error("AES-CCM: the key must be 16, 24 or 32 bytes");
  }
  if (!(iv instanceof Uint8Array) || iv.length < 15 - l) {
    throw new Error(`AES-CCM: the IV must have at least ${15 - l} bytes`);
  }
}

/** AES-CCM encryption: the ciphertext followed by the 8-byte encrypted tag. */
export function ccmEncrypt(key, iv, plaintext) {
  const l = lengthSize(plaintext.length);
  checkArguments(key, iv, l);
  const nonce = iv.subarray(0, 15 - l);
  const stream = keyStream(key, nonce, l, plaintext.length);
  const tag = mac(key, nonce, l, plaintext);
  const out = new Uint8Array(plaintext.length + tagLength);
  for (let i = 0; i < plaintext.length; i++) out[i] = plaintext[i] ^ stream[16 + i];
  for (let i = 0; i < tagLength; i++) out[plaintext.length + i] = tag[i] ^ stream[i];
  stream.fill(0);
  return out;
}

/** AES-CCM decryption: the plaintext, or an Error when the tag does not verify (wrong key, or altered data). */
export function ccmDecrypt(key, iv, data) {
  const length = data.length - tagLength;
  if (length < 0) throw new Error("encrypted message too short");
  const l = lengthSize(length);
  checkArguments(key, iv, l);
  const nonce = iv.subarray(0, 15 - l);
  const stream = keyStream(key, nonce, l, length);
  const plain = new Uint8Array(length);
  for (let i = 0; i < length; i++) plain[i] = data[i] ^ stream[16 + i];
  const tag = mac(key, nonce, l, plain);
  let difference = 0;
  for (let i = 0; i < tagLength; i++) difference |= tag[i] ^ stream[i] ^ data[length + i];
  stream.fill(0);
  if (difference !== 0) {
    plain.fill(0);
    throw new Error("the message could not be decrypted: wrong key, or the message was altered");
  }
  return plain;
}
