// JSON as Belenios writes it (its serialisers come from atdgen and Yojson), mirrored from Socle's Records/Json.cs:
// compact, fields in the order of the specification, optional fields omitted, big numbers as decimal strings, text
// unescaped except for the characters Yojson escapes. Hashes are taken over these exact bytes.

const escapes = { '"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** A JSON string literal: quote, backslash and control characters escaped, everything else as it is. */
export function quote(s) {
  let out = '"';
  for (const c of s) {
    const code = c.charCodeAt(0);
    if (Object.hasOwn(escapes, c)) out += escapes[c];
    else if (code < 0x20 || code === 0x7f) out += "\\u" + code.toString(16).padStart(4, "0");
    else out += c;
  }
  return out + '"';
}

/** [a,b,…] of already-written items. */
export function array(items, write) {
  return "[" + items.map(write).join(",") + "]";
}

/** §Common structures, proof: {"challenge":"…","response":"…"}. */
export function proofJson(p) {
  return `{"challenge":"${p.challenge.toString(10)}","response":"${p.response.toString(10)}"}`;
}

/** §Common structures, ciphertext: {"alpha":"…","beta":"…"}. */
export function ciphertextJson(group, c) {
  return `{"alpha":"${group.encode(c.alpha)}","beta":"${group.encode(c.beta)}"}`;
}

/** JSON.parse with the record's name in the error message. */
export function parseJson(text, what) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${what}: not valid JSON (${e.message})`);
  }
}
