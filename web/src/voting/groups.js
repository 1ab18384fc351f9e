// The prime-order groups of the Belenios specification (§Groups): a generator g of prime order q, written
// multiplicatively, elements serialised as strings. Ed25519 (§Elliptic curves) through @noble/curves, and the 2048-bit
// finite-field groups BELENIOS-2048 and RFC-3526-2048 (§Finite fields) with native BigInt.
//
// Every group offers the same operations: parse (canonical text, group membership), encode, mul, pow (any integer
// exponent, bigint or number, reduced modulo q), powG (g^k), fixedBase (a table for a base used many times, such as
// the election public key y: returns k ↦ base^k), eq. Division by g^M is multiplication by powG(−M).
import { ed25519 } from "@noble/curves/ed25519.js";
import { bitLength, mod } from "./zq.js";

// ---- Finite fields -------------------------------------------------------------------------------------------------

/** b^e mod m for 0 ≤ e, by fixed 4-bit windows over the hexadecimal digits of e (left to right). */
export function modPow(b, e, m) {
  b %= m;
  if (e === 0n) return 1n % m;
  const table = [1n, b];
  for (let i = 2; i < 16; i++) table.push((table[i - 1] * b) % m);
  let acc = 1n;
  for (const digit of e.toString(16)) {
    acc = (acc * acc) % m;
    acc = (acc * acc) % m;
    acc = (acc * acc) % m;
    acc = (acc * acc) % m;
    const d = parseInt(digit, 16);
    if (d !== 0) acc = (acc * table[d]) % m;
  }
  return acc;
}

/**
 * Fixed-base exponentiation by a comb of 4-bit digits: row i holds base^(d·16^i) for d = 0…15, so that base^k is the
 * product of one entry per hexadecimal digit of k (about bits(q)/4 multiplications instead of 1.25·bits(q)).
 */
class CombTable {
  constructor(base, p, bits) {
    this.p = p;
    this.rows = [];
    let unit = base % p; // base^(16^i)
    for (let i = 0; i * 4 < bits; i++) {
      const row = [1n, unit];
      for (let d = 2; d < 16; d++) row.push((row[d - 1] * unit) % p);
      this.rows.push(row);
      unit = (row[15] * unit) % p;
    }
  }

  /** base^k for 0 ≤ k < 16^rows. */
  pow(k) {
    const digits = k.toString(16);
    let acc = 1n;
    for (let i = 0; i < digits.length; i++) {
      const d = parseInt(digits[digits.length - 1 - i], 16);
      if (d !== 0) acc = (acc * this.rows[i][d]) % this.p;
    }
    return acc;
  }
}

/** A prime-order subgroup of F_p* (§Finite fields); elements are bigints in [1, p), written in base 10. */
class FiniteFieldGroup {
  constructor(name, p, g, q) {
    this.name = name;
    this.p = p;
    this.q = q;
    this.g = g;
    this.identity = 1n;
    this.bits = bitLength(q);
    this.gTable = null; // built on first use
  }

  encode(x) {
    return x.toString(10);
  }

  /** Reads an element: canonical decimal below p, not zero, and in the subgroup of order q (x^q = 1). */
  parse(text, path) {
    if (typeof text !== "string" || !/^[0-9]{1,700}$/.test(text)) throw new Error(`${path}: not a decimal number`);
    if (text.length > 1 && text[0] === "0") throw new Error(`${path}: not canonical (leading zero)`);
    const x = BigInt(text);
    if (x >= this.p) throw new Error(`${path}: not below the modulus p`);
    if (x === 0n) throw new Error(`${path}: zero is not in the group`);
    if (modPow(x, this.q, this.p) !== 1n) throw new Error(`${path}: not in the subgroup of order q`);
    return x;
  }

  mul(a, b) {
    return (a * b) % this.p;
  }

  pow(a, k) {
    return modPow(a, mod(BigInt(k), this.q), this.p);
  }

  powG(k) {
    this.gTable ??= new CombTable(this.g, this.p, this.bits);
    return this.gTable.pow(mod(BigInt(k), this.q));
  }

  /** A function k ↦ a^k with a table for a base used many times. */
  fixedBase(a) {
    const table = new CombTable(a, this.p, this.bits);
    return (k) => table.pow(mod(BigInt(k), this.q));
  }

  eq(a, b) {
    return a === b;
  }
}

// ---- Ed25519 -------------------------------------------------------------------------------------------------------

const Point = ed25519.Point;
const encodings = new WeakMap();

/**
 * The prime-order subgroup of edwards25519 (§Elliptic curves), q = 2^252 + 27742317777372353535851937790883648493.
 * An element is written as the 64 hexadecimal digits of the RFC 8032 encoding read as a big-endian number, that is
 * the 32 bytes reversed. Multiplications by a scalar use the library's constant-time ladder (Point.multiply).
 */
class Ed25519Group {
  constructor() {
    this.name = "Ed25519";
    this.q = Point.Fn.ORDER;
    this.g = Point.BASE;
    this.identity = Point.ZERO;
  }

  encode(point) {
    let text = encodings.get(point);
    if (text === undefined) {
      const bytes = point.toBytes();
      text = "";
      for (let i = 31; i >= 0; i--) text += bytes[i].toString(16).padStart(2, "0");
      encodings.set(point, text);
    }
    return text;
  }

  /** Reads an element: 64 lowercase hex digits, the canonical encoding of a curve point, in the prime-order subgroup. */
  parse(text, path) {
    if (typeof text !== "string" || !/^[0-9a-f]{64}$/.test(text)) {
      throw new Error(`${path}: not 64 lowercase hexadecimal digits`);
    }
    const bytes = new Uint8Array(32);
    for (let i = 0; i < 32; i++) bytes[31 - i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
    let point;
    try {
      point = Point.fromBytes(bytes, false); // strict RFC 8032 decoding, not ZIP 215
    } catch {
      throw new Error(`${path}: not the canonical encoding of a curve point`);
    }
    if (this.encode(point) !== text) throw new Error(`${path}: not the canonical encoding of a curve point`);
    if (!point.isTorsionFree()) throw new Error(`${path}: not in the prime-order subgroup`);
    return point;
  }

  mul(a, b) {
    return a.add(b);
  }

  pow(a, k) {
    k = mod(BigInt(k), this.q);
    return k === 0n || a.is0() ? Point.ZERO : a.multiply(k);
  }

  powG(k) {
    return this.pow(Point.BASE, k);
  }

  /** The point with a precomputed table (the library's wNAF windows), then k ↦ a^k. */
  fixedBase(a) {
    if (!a.is0()) a.precompute(6, false);
    return (k) => this.pow(a, k);
  }

  eq(a, b) {
    return a.equals(b);
  }
}

// ---- The groups by name --------------------------------------------------------------------------------------------

/** BELENIOS-2048: p of 2048 bits, q of 256 bits (Belenios' fips.sage after FIPS 186-4). */
const belenios2048 = () =>
  new FiniteFieldGroup(
    "BELENIOS-2048",
    BigInt(
      "206947856914225464010136436575050080649229892957511040971008847870573742192427174019222372544976" +
      "843381290666331380789584049600543896362897963930387739057228036059737494276713767776188985898727" +
      "358650490811670993105358677809800307904916540637771737641986785272734744763418356000356983051931" +
      "442845617019110007867373073335641239717328979132404745788344682606523279746479511376726586935821" +
      "800463179220736688600526271863633860887968821207694323661494910029234443463732221458841005864210" +
      "502421203654335612013204811188524087310770141516662001623131771693721892480785077118278423174980" +
      "73276598828825169183103125680162072880719",
    ),
    BigInt(
      "240235267750185220922768770353239993271228765737836491651007531878766327414635321932028567615526" +
      "967879969466829874938909508389657342560190060106847716449173547413728310461045868131451178164675" +
      "540052740288984613986453266121505579709716201616827031288643245666383486363578210615491841998253" +
      "431518974065818686865115135857641013888221539601604322884360393098933366277284840659313840601023" +
      "167509576377798266510360682240663507669776402534625377308513317349519424896775405257365904949247" +
      "763147599157519877517771148149092045660020547812705472823814097251863985833411570056835369555342" +
      "3781475582491896050296680037745308460627",
    ),
    BigInt(
      "78571733251071885079927659812671450121821421258408794611510081919805623223441",
    ),
  );

/** RFC-3526-2048: the 2048-bit MODP group of RFC 3526, g = 2, q = (p − 1)/2. */
function rfc3526() {
  const p = BigInt(
    "323170060713110073003389139264238282488179412411402391128420097514007417066343542226196894173635" +
    "693471179017379097041917546058732091950288537589861856221532121754125149017745202702357960782362" +
    "488842461894775876411059286460994117232454266225221932305409190376805242355191256797158701170010" +
    "580558776510388618472802579760549035697325615261670813393617995413364765591603683178967290731783" +
    "845896806396719009772021941686472258710314113364293195361934716365332097170774482279885885653692" +
    "086452966360772502689555059283627511211740969729980684105543595848665832916421362182310789909994" +
    "48652468262416972035911852507045361090559",
  );
  return new FiniteFieldGroup("RFC-3526-2048", p, 2n, (p - 1n) / 2n);
}

const makers = { Ed25519: () => new Ed25519Group(), "BELENIOS-2048": belenios2048, "RFC-3526-2048": rfc3526 };
const made = new Map();

/** The names written in election.json's "group" field. */
export const groupNames = Object.keys(makers);

/** The group of that name (one instance each, so that tables for g are built once). */
export function getGroup(name) {
  const make = Object.hasOwn(makers, name) ? makers[name] : undefined;
  if (!make) throw new Error(`unknown group '${name}'; known: ${groupNames.join(", ")}`);
  if (!made.has(name)) made.set(name, make());
  return made.get(name);
}
