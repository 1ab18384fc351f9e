// The hashes of the Belenios specification (§Common structures, §Fiat–Shamir): SHA-256 over the UTF-8 bytes of a
// string, shown in lowercase hexadecimal or in Base64 without padding, or read as a big-endian number modulo q.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** SHA-256 of a string's UTF-8 bytes, in lowercase hexadecimal (board file names, setup_data references). */
export function sha256Hex(text) {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** SHA-256 in Base64 without padding: election fingerprints, ballot hashes, tracking numbers. */
export function sha256Base64(text) {
  return base64Compact(sha256(utf8ToBytes(text)));
}

/** Base64 (standard alphabet) without the trailing "=". */
export function base64Compact(bytes) {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/=+$/, "");
}

/** Belenios' G.hash on a string: SHA-256 read as a 256-bit big-endian number, modulo q. */
export function hashToZq(text, q) {
  return BigInt("0x" + sha256Hex(text)) % q;
}

/** Belenios' G.hash prefix xs: SHA-256 of the prefix followed by the encoded elements joined by commas, modulo q. */
export function hashElements(prefix, encodedElements, q) {
  return hashToZq(prefix + encodedElements.join(","), q);
}
