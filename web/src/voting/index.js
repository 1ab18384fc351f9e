// Belenios-compatible voting in the browser (no DOM): ballot encryption for voters, keys (single, or threshold by the
// Pedersen key ceremony) and partial decryptions for trustees. Every function takes and returns the JSON texts of the
// records, written byte for byte as Socle's C# (src/Modules/Voting) writes them, so that hashes and tracking numbers
// agree.
export { encryptBallot, trackingNumber, validatePlaintext } from "./ballot.js";
export { deriveCredentialSecret, derivePublicCredential, isWellFormedCredential } from "./credentials.js";
export { getGroup, groupNames } from "./groups.js";
export { sha256Base64, sha256Hex } from "./hashing.js";
export { parseElection } from "./records.js";
export {
  openDecryptionKey,
  thresholdCertificate,
  thresholdOutput,
  thresholdPartialDecryption,
  thresholdPolynomial,
} from "./threshold.js";
export { generateTrusteeKey, partialDecryption } from "./trustee.js";
