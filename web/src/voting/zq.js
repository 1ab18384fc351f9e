// Integers modulo q, the group order, written in base 10 as Belenios writes them (§Common structures).

/** x mod q in [0, q), also for negative x. */
export function mod(x, q) {
  const r = x % q;
  return r < 0n ? r + q : r;
}

/** The number of bits of a positive bigint. */
export function bitLength(x) {
  return x.toString(2).length;
}

/**
 * A uniformly random scalar in [0, q): random bytes (crypto.getRandomValues) masked to the bit length of q, drawn
 * again while the value is ≥ q (rejection sampling, no modular bias; as Belenios' random_modulo).
 */
export function randomScalar(q) {
  const bits = bitLength(q);
  const buffer = new Uint8Array(Math.ceil(bits / 8));
  const mask = (1n << BigInt(bits)) - 1n;
  for (;;) {
    globalThis.crypto.getRandomValues(buffer);
    let r = 0n;
    for (const b of buffer) r = (r << 8n) | BigInt(b);
    r &= mask;
    if (r < q) {
      buffer.fill(0);
      return r;
    }
  }
}

/** A random scalar in [1, q). */
export function randomNonZero(q) {
  for (;;) {
    const r = randomScalar(q);
    if (r !== 0n) return r;
  }
}

/**
 * Reads a scalar received from outside: canonical decimal (digits only, no leading zero unless "0"), below q, so that
 * writing it back gives the same bytes. Throws an Error naming <path>.
 */
export function parseScalar(text, q, path) {
  if (typeof text !== "string" || !/^[0-9]{1,700}$/.test(text)) throw new Error(`${path}: not a decimal number`);
  if (text.length > 1 && text[0] === "0") throw new Error(`${path}: not canonical (leading zero)`);
  const value = BigInt(text);
  if (value >= q) throw new Error(`${path}: not below the group order`);
  return value;
}
