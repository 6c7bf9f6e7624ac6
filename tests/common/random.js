// Seeded, reproducible arbitrary JavaScript values for tests/browser_random_values.rs: everything a page
// could hand to requestBillingKey (as params or options) or an SDK could hand to its callback.

/** mulberry32: a small seeded PRNG. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
  };
}

const KNOWN = [
  'customer_uid', 'amount', 'pay_method', 'pg', 'channelKey', 'merchant_uid', 'name', 'buyer_tel', 'buyer_email',
  'buyer_name', 'buyer_addr', 'buyer_postcode', 'company', 'customer_id', 'm_redirect_url', 'notice_url',
  'custom_data', 'language', 'currency', 'popup', 'period', 'display', 'tax_free', 'app_scheme', 'confirm_url',
  'card', 'bypass',
];
const RESPONSE_KEYS = ['success', 'imp_success', 'imp_uid', 'merchant_uid', 'error_code', 'error_msg', 'paid_amount', 'status', 'custom_data', 'paid_at'];

const HUGE = 5 * 1024 * 1024;
let hugeCache = null;
/** A 5 MB string (built once). */
function huge() {
  if (!hugeCache) hugeCache = 'x'.repeat(HUGE);
  return hugeCache;
}

function str(r) {
  switch (r.int(12)) {
    case 0: return '';
    case 1: return '\ud800'; // lone high surrogate
    case 2: return 'a\udc00b'; // lone low surrogate
    case 3: return '\u0000\u001f\u007f\u0085\u2028';
    case 4: return ' padded ';
    case 5: return '가'.repeat(r.int(90));
    case 6: return '😀'.repeat(r.int(45));
    case 7: return 'x'.repeat(r.pick([39, 40, 41, 79, 80, 81, 2049]));
    case 8: return r.pick(['card', 'danal_tpay', 'KRW', 'ko', '010-1234-5678', 'a@b.kr', 'https://shop.example/done', '20260101', 'false', 'true', '__proto__']);
    case 9: return String.fromCharCode(...Array.from({ length: r.int(20) }, () => r.int(0x10000)));
    default: return 'cust-' + r.int(1e6);
  }
}

function num(r) {
  return r.pick([0, -0, 1, -1, 1.5, 1004, 36, 37, NaN, Infinity, -Infinity, 2 ** 53, 2 ** 53 - 1, 2 ** 31, 1e21, 5e-324, Number.MAX_VALUE, r.int(1e9)]);
}

class Plain { constructor() { this.customer_uid = 'c'; this.amount = 0; this.buyer_tel = '010'; } }
class WithToJSON { toJSON() { return { customer_uid: 'c', amount: 0, buyer_tel: '010' }; } }

function leaf(r) {
  switch (r.int(26)) {
    case 0: return undefined;
    case 1: return null;
    case 2: return r.chance(0.5);
    case 3: case 4: return num(r);
    case 5: case 6: case 7: return str(r);
    case 8: return BigInt(r.int(1000)) * 10n ** 30n;
    case 9: return Symbol('s' + r.int(10));
    case 10: return () => 'fn';
    case 11: return new Date(r.int(2e12));
    case 12: return /re/g;
    case 13: return new Map([['customer_uid', 'c']]);
    case 14: return new Set([1, 2]);
    case 15: return new Uint8Array(r.int(16));
    case 16: return new Plain();
    case 17: return new WithToJSON();
    case 18: return new Error('an error value');
    case 19: return Promise.resolve(1);
    case 20: return new Number(5);
    case 21: return new String('boxed');
    case 22: return Object.create(null);
    case 23: return r.chance(0.02) ? huge() : 'not huge';
    case 24: return globalThis.document ?? null;
    default: return { toJSON() { throw new Error('toJSON throws'); } };
  }
}

function throwingProxy(r, target) {
  const traps = ['get', 'ownKeys', 'getOwnPropertyDescriptor', 'has', 'getPrototypeOf'];
  const handler = {};
  for (const t of traps) if (r.chance(0.5)) handler[t] = () => { throw new Error(`trap ${t}`); };
  return new Proxy(target, handler);
}

/** An arbitrary value, nested up to `depth`. */
function value(r, depth) {
  if (depth <= 0 || r.chance(0.45)) return leaf(r);
  switch (r.int(14)) {
    case 0: case 1: case 2: case 3: {
      const o = {};
      for (let i = r.int(6); i > 0; i--) o[r.chance(0.6) ? r.pick(KNOWN) : str(r)] = value(r, depth - 1);
      return o;
    }
    case 4: {
      const a = [];
      for (let i = r.int(6); i > 0; i--) a.push(value(r, depth - 1));
      if (r.chance(0.3)) a[a.length + r.int(5)] = value(r, depth - 1); // holes
      return a;
    }
    case 5: {
      const o = { customer_uid: 'c' };
      Object.defineProperty(o, r.pick(KNOWN), { enumerable: true, get() { throw new Error('getter throws'); } });
      return o;
    }
    case 6: return throwingProxy(r, r.chance(0.5) ? { customer_uid: 'c', amount: 0 } : []);
    case 7: {
      const o = JSON.parse('{"__proto__": {"customer_uid": "via proto"}, "amount": 0}');
      if (r.chance(0.5)) Object.setPrototypeOf(o, { buyer_tel: '010' });
      return o;
    }
    case 8: return Object.freeze({ customer_uid: 'frozen', amount: 0, buyer_tel: '010', nested: Object.freeze([1, 2]) });
    case 9: {
      const o = { customer_uid: 'c', amount: 0, buyer_tel: '010' };
      o.custom_data = { self: o }; // a cycle
      return o;
    }
    case 10: {
      const o = { customer_uid: 'c', amount: 0, buyer_tel: '010' };
      o[Symbol('k')] = 1; // a Symbol key (JSON ignores it)
      o[r.pick(KNOWN)] = value(r, depth - 1);
      return o;
    }
    case 11: {
      // Re-entrancy: a getter that starts another request (or a load) while params are read.
      const o = { amount: 0, buyer_tel: '010' };
      Object.defineProperty(o, 'customer_uid', { enumerable: true, get() { globalThis.__reenter?.(r.chance(0.5)); return 'reentered'; } });
      return o;
    }
    case 12: {
      // Deep nesting: 100,000 levels (JSON.stringify overflows its stack), or 70 (past the core's limit).
      let v = 0;
      for (let i = r.chance(0.2) ? 100000 : 70; i > 0; i--) v = [v];
      return { customer_uid: 'c', amount: 0, buyer_tel: '010', custom_data: v };
    }
    default: {
      const a = new Array(r.pick([3, 1000, 300_000])); // sparse; 300,000 holes serialize to 1.5 MB (over the 1 MiB limit)
      a[1] = 'x';
      return { customer_uid: 'c', amount: 0, buyer_tel: '010', notice_url: a };
    }
  }
}

/** Valid params with one field replaced by an arbitrary value. */
function mutatedParams(r) {
  const p = {
    pg: 'danal_tpay', pay_method: 'card', merchant_uid: 'merchant_' + r.int(1e9), name: '최초인증결제', amount: 0,
    customer_uid: 'your-customer-unique-id', buyer_email: 'iamport@siot.do', buyer_name: '아임포트', buyer_tel: '02-1234-1234',
  };
  p[r.pick(KNOWN)] = value(r, 2);
  return p;
}

/** A callback value: arbitrary, or an object of response keys with arbitrary values. */
function response(r) {
  if (r.chance(0.4)) return value(r, 3);
  const o = {};
  for (let i = r.int(6); i > 0; i--) o[r.pick(RESPONSE_KEYS)] = r.chance(0.5) ? value(r, 1) : r.pick([true, false, 'true', 'false', '', 'imps_1', 'F400']);
  return o;
}

/**
 * The `index`-th case of the run seeded `seed`: { role, value, label }. role is 'params', 'options'
 * or 'response'; the same (seed, index) always gives the same value.
 */
export function randomCase(seed, index) {
  const r = rng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const role = ['params', 'params', 'options', 'response'][index % 4];
  let v;
  if (role === 'params') v = r.chance(0.5) ? mutatedParams(r) : value(r, 4);
  else if (role === 'options') v = r.chance(0.5) ? { timeoutMs: value(r, 1) } : value(r, 3);
  else v = response(r);
  let label;
  try { label = `${role} #${index}: ${typeof v} ${Object.prototype.toString.call(v)}`; } catch (_) { label = `${role} #${index}`; }
  return { role, value: v, label };
}

/** Valid seed params plus `extra` (assigned, so getters and odd keys survive). */
function seedWith(extra) {
  const p = { customer_uid: 'your-customer-unique-id', amount: 0, buyer_tel: '02-1234-1234' };
  for (const k of Reflect.ownKeys(extra)) Object.defineProperty(p, k, Object.getOwnPropertyDescriptor(extra, k));
  return p;
}

/**
 * One value of every kind the random run covers, so each is there whatever the seed: [label, value].
 * Called fresh for each use (values may be consumed: getters, re-entrancy).
 */
export function catalogue() {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const cyclic = seedWith({});
  cyclic.custom_data = { back: cyclic };
  const holes = [1, , 3]; // eslint-disable-line no-sparse-arrays
  holes[10] = 'x';
  let deep = 0;
  for (let i = 0; i < 100000; i++) deep = [deep];
  const nullProto = Object.assign(Object.create(null), { customer_uid: 'c', amount: 0, buyer_tel: '010' });
  const trap = (name) => new Proxy(seedWith({}), { [name]: () => { throw new Error(`trap ${name}`); } });
  return [
    ['a 5 MB string', huge()],
    ['a 5 MB customer_uid', seedWith({ customer_uid: huge() })],
    ['a 5 MB key', seedWith({ [huge()]: 1 })],
    ['a lone high surrogate', '\ud83d'],
    ['a lone surrogate in customer_uid', seedWith({ customer_uid: 'c\udc00' })],
    ['a lone surrogate in a key', seedWith({ ['k\ud800']: 1 })],
    ['a lone surrogate deep in custom_data', seedWith({ custom_data: { a: ['\udfff'] } })],
    ['a BigInt', 10n],
    ['a BigInt amount', seedWith({ amount: 0n })],
    ['a Symbol', Symbol('params')],
    ['a Symbol value', seedWith({ name: Symbol('name') })],
    ['a Symbol key', seedWith({ [Symbol('k')]: 1 })],
    ['frozen valid params', Object.freeze(seedWith({ custom_data: Object.freeze({ a: 1 }) }))],
    ['sealed valid params', Object.seal(seedWith({}))],
    ['a cycle', cyclic],
    ['a class instance', new Plain()],
    ['a class instance with toJSON', new WithToJSON()],
    ['an array with holes', holes],
    ['holes in notice_url', seedWith({ notice_url: [, 'https://a.example'] })], // eslint-disable-line no-sparse-arrays
    ['a throwing getter', seedWith({ get name() { throw new Error('getter'); } })],
    ['a throwing getter on a required field', { get customer_uid() { throw new Error('getter'); }, amount: 0, buyer_tel: '010' }],
    ['a Proxy whose get throws', trap('get')],
    ['a Proxy whose ownKeys throws', trap('ownKeys')],
    ['a Proxy whose getOwnPropertyDescriptor throws', trap('getOwnPropertyDescriptor')],
    ['a Proxy whose getPrototypeOf throws', trap('getPrototypeOf')],
    ['a harmless Proxy of valid params', new Proxy(seedWith({}), {})],
    ['a revoked Proxy', revoked.proxy],
    ['a revoked Proxy as custom_data', seedWith({ custom_data: revoked.proxy })],
    ['an own __proto__ key', JSON.parse('{"__proto__": {"customer_uid": "x"}, "customer_uid": "c", "amount": 0, "buyer_tel": "010"}')],
    ['params inherited through __proto__', Object.setPrototypeOf({ amount: 0 }, { customer_uid: 'c', buyer_tel: '010' })],
    ['a null-prototype object', nullProto],
    ['100,000 levels of nesting', seedWith({ custom_data: deep })],
    ['a sparse array of 300,000', seedWith({ custom_data: new Array(300000) })],
    ['window', globalThis],
    ['document', globalThis.document],
    ['a Date', new Date(0)],
    ['a Date as customer_uid', seedWith({ customer_uid: new Date(0) })],
    ['a boxed Number amount', seedWith({ amount: new Number(5) })],
    ['a Map', new Map([['customer_uid', 'c']])],
    ['a function', () => ({})],
    ['toJSON that throws', seedWith({ custom_data: { toJSON() { throw new Error('toJSON'); } } })],
    ['a re-entrant getter (valid request)', seedWith({ get name() { globalThis.__reenter?.(true); return 'n'; } })],
    ['a re-entrant getter (invalid request)', seedWith({ get name() { globalThis.__reenter?.(false); return 'n'; } })],
    ['NaN', NaN],
    ['undefined', undefined],
  ];
}
