/**
 * SHA-256 (FIPS 180-4) in plain TypeScript, so the holdout draw stays a pure
 * function with no node:crypto or Web Crypto (which is async) import. Only the
 * holdout uses it, on short strings; speed does not matter, exactness does.
 * The round constants are derived, not typed in: the first 32 bits of the
 * fractional parts of the square and cube roots of the first primes, computed
 * exactly with BigInt integer roots.
 */

function firstPrimes(count: number): number[] {
  const primes: number[] = [];
  for (let n = 2; primes.length < count; n += 1) {
    if (primes.every((p) => n % p !== 0)) primes.push(n);
  }
  return primes;
}

/** The largest x with x^k <= n. */
function integerRoot(n: bigint, k: number): bigint {
  let x = BigInt(Math.floor(Number(n) ** (1 / k)));
  const power = (v: bigint) => v ** BigInt(k);
  while (power(x) > n) x -= 1n;
  while (power(x + 1n) <= n) x += 1n;
  return x;
}

/** floor(frac(p^(1/k)) * 2^32) */
function fractionBits(prime: number, k: number): number {
  const scaled = integerRoot(BigInt(prime) << BigInt(32 * k), k);
  return Number(scaled & 0xffffffffn);
}

const PRIMES = firstPrimes(64);
const ROUND_CONSTANTS = Uint32Array.from(PRIMES, (p) => fractionBits(p, 3));
const INITIAL_HASH = Uint32Array.from(PRIMES.slice(0, 8), (p) => fractionBits(p, 2));

const rotr = (x: number, n: number) => ((x >>> n) | (x << (32 - n))) >>> 0;
const at = (words: Uint32Array, i: number) => words[i] ?? 0;

function padded(message: Uint8Array): DataView {
  const length = Math.ceil((message.length + 9) / 64) * 64;
  const bytes = new Uint8Array(length);
  bytes.set(message);
  bytes[message.length] = 0x80;
  const view = new DataView(bytes.buffer);
  const bits = message.length * 8;
  view.setUint32(length - 8, Math.floor(bits / 2 ** 32));
  view.setUint32(length - 4, bits >>> 0);
  return view;
}

function compressBlock(state: Uint32Array, view: DataView, offset: number, w: Uint32Array): void {
  for (let t = 0; t < 16; t += 1) w[t] = view.getUint32(offset + t * 4);
  for (let t = 16; t < 64; t += 1) {
    const x = at(w, t - 15);
    const y = at(w, t - 2);
    const s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
    const s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10);
    w[t] = at(w, t - 16) + s0 + at(w, t - 7) + s1;
  }
  let a = at(state, 0);
  let b = at(state, 1);
  let c = at(state, 2);
  let d = at(state, 3);
  let e = at(state, 4);
  let f = at(state, 5);
  let g = at(state, 6);
  let h = at(state, 7);
  for (let t = 0; t < 64; t += 1) {
    const t1 =
      (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + at(ROUND_CONSTANTS, t) + at(w, t)) >>> 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) >>> 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) >>> 0;
  }
  [a, b, c, d, e, f, g, h].forEach((value, i) => {
    state[i] = at(state, i) + value;
  });
}

export function sha256(message: Uint8Array): Uint8Array {
  const view = padded(message);
  const state = Uint32Array.from(INITIAL_HASH);
  const w = new Uint32Array(64);
  for (let offset = 0; offset < view.byteLength; offset += 64) compressBlock(state, view, offset, w);
  const digest = new Uint8Array(32);
  const out = new DataView(digest.buffer);
  state.forEach((word, i) => out.setUint32(i * 4, word));
  return digest;
}

export function sha256Hex(text: string): string {
  return Array.from(sha256(new TextEncoder().encode(text)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
