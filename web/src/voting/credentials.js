// §Credentials: a private credential is 22 Base58 characters written XXXXX-XXXXXX-XXXXX-XXXXXX; for the election of
// uuid u its secret is s = (SHA256("derive_credential|u|0|c") ‖ SHA256("derive_credential|u|1|c")) mod q, the two
// digests read together as one 512-bit big-endian number; the public credential is g^s.
import { sha256Hex } from "./hashing.js";
import { getGroup } from "./groups.js";

const wellFormed = /^[1-9A-HJ-NP-Za-km-z]{5}-[1-9A-HJ-NP-Za-km-z]{6}-[1-9A-HJ-NP-Za-km-z]{5}-[1-9A-HJ-NP-Za-km-z]{6}$/;

export function isWellFormedCredential(credential) {
  return typeof credential === "string" && wellFormed.test(credential);
}

/** s = secret(c) for the election of that uuid, in the group (a group object or its name). */
export function deriveCredentialSecret(uuid, credential, group) {
  group = typeof group === "string" ? getGroup(group) : group;
  if (!isWellFormedCredential(credential)) {
    throw new Error("a private credential is 22 Base58 characters written XXXXX-XXXXXX-XXXXX-XXXXXX");
  }
  const x0 = sha256Hex(`derive_credential|${uuid}|0|${credential}`);
  const x1 = sha256Hex(`derive_credential|${uuid}|1|${credential}`);
  return BigInt("0x" + x0 + x1) % group.q;
}

/** The public credential g^s as written on the board. */
export function derivePublicCredential(uuid, credential, group) {
  group = typeof group === "string" ? getGroup(group) : group;
  return group.encode(group.powG(deriveCredentialSecret(uuid, credential, group)));
}
