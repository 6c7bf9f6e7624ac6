// For tests/random_values.rs: js/glue.js `encode` as it was before its fast path (the replacer on
// every value), kept verbatim as the reference the fast path must match byte for byte, and values
// chosen to probe the fast path's edges.

const TAG = '\u0000iamport-billing';
const MAX_JSON_CHARS = 1 << 22;

const mark = (kind) => ({ [TAG]: kind });

function replacer(key, value) {
  const original = this[key];
  if (original !== value && original !== null && typeof original === 'object') return mark('object');
  switch (typeof value) {
    case 'bigint':
    case 'symbol':
    case 'function':
      return mark(typeof value);
    case 'number':
      return Number.isFinite(value) ? value : mark('nonfinite');
    case 'object': {
      if (value === null || Array.isArray(value)) return value;
      const proto = Object.getPrototypeOf(value);
      return proto === Object.prototype || proto === null ? value : mark('object');
    }
    default:
      return value;
  }
}

/** The reference: glue.js `encode` before the fast path. */
export function referenceEncode(value) {
  if (value === undefined) return JSON.stringify(mark('undefined'));
  let text;
  try {
    text = JSON.stringify(value, replacer);
  } catch (_) {
    return JSON.stringify(mark('unreadable'));
  }
  if (typeof text !== 'string') return JSON.stringify(mark('undefined'));
  return text.length > MAX_JSON_CHARS ? JSON.stringify(mark('toolarge')) : text;
}

const nest = (levels, leaf) => {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
};
const nestObjects = (levels) => {
  let v = 'leaf';
  for (let i = 0; i < levels; i++) v = { v };
  return v;
};
const wide = (n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));

/**
 * [label, value, fast]: `fast` is whether the fast path must take the value (plain data within
 * the caps); the others must fall back to the replacer. Fresh values on every call.
 */
export function fastPathCases() {
  const holes = [1, , 3]; // eslint-disable-line no-sparse-arrays
  holes[7] = 'x';
  const withProps = [1, 2];
  withProps.extra = 'ignored by JSON';
  const symbolKey = { a: 1, [Symbol('k')]: 2 };
  const nullProto = Object.assign(Object.create(null), { customer_uid: 'c', nested: Object.assign(Object.create(null), { x: [1] }) });
  const getter = { get name() { return 'from a getter'; }, amount: 0 };
  const cyclic = { a: 1 };
  cyclic.self = cyclic;
  const cyclicArray = [1];
  cyclicArray.push(cyclicArray);
  const arrayWithToJSON = [1, 2];
  arrayWithToJSON.toJSON = () => 'array toJSON';
  class MyArray extends Array {}
  const subArray = MyArray.from([1, 'two']);
  return [
    ['-0', -0, true],
    ['-0 in an object and an array', { a: -0, b: [-0, 0] }, true],
    ['1e21 and friends', [1e21, 1e-7, -1e-7, 5e-324, Number.MAX_VALUE, 2 ** 53, -(2 ** 53), 0.1 + 0.2, 123456789012345680000], true],
    ['NaN', NaN, false],
    ['Infinity in an object', { amount: Infinity }, false],
    ['-Infinity in an array', [1, -Infinity], false],
    ['a lone high surrogate', '\ud800', true],
    ['lone surrogates in values and keys', { 'k\udc00': 'a\udc00b', list: ['\udfff', '\ud83d'] }, true],
    ['a valid pair', '😀\ud83d\ude00', true],
    ['escapes', '"\\\u0000\u001f\u007f\u2028\u2029\n\t/', true],
    ['Korean', { name: '최초인증결제', buyer_name: '아임포트' }, true],
    ['nested arrays', [[], [[]], [1, [2, [3, ['4']]]]], true],
    ['undefined values in an object', { a: undefined, b: 1, c: undefined }, true],
    ['undefined in an array', [undefined, 1, undefined], true],
    ['a function value', { f() { return 1; }, x: 1 }, false],
    ['a function in an array', [1, () => 1], false],
    ['a Symbol value', { s: Symbol('s') }, false],
    ['a BigInt deep down', { a: [{ b: 1n }] }, false],
    ['a Symbol key', symbolKey, true],
    ['Object.create(null)', nullProto, true],
    ['an empty null-prototype object', Object.create(null), true],
    ['an array with holes', holes, true],
    ['new Array(5)', new Array(5), true],
    ['an array with extra properties', withProps, true],
    ['an Array subclass', subArray, true],
    ['an array with toJSON', arrayWithToJSON, false],
    ['integer-like keys', { b: 1, 2: 'two', 1: 'one', a: 0 }, true],
    ['an own __proto__ key', JSON.parse('{"__proto__": {"x": 1}, "a": 0}'), true],
    ['the marker key', { [TAG]: 'bigint' }, true],
    ['the marker key with an odd tag', { [TAG]: 'nonsense', other: 1 }, true],
    ['a toJSON that is not a function', { toJSON: 'not callable', a: 1 }, true],
    ['a toJSON method', { toJSON() { return { replaced: true }; } }, false],
    ['a toJSON returning itself', (() => { const o = { a: 1 }; o.toJSON = function () { return this; }; return o; })(), false],
    ['a Date', new Date(0), false],
    ['a Date nested', { when: new Date(0) }, false],
    ['a boxed Number', { amount: new Number(5) }, false],
    ['a boxed String', new String('s'), false],
    ['a Map', new Map([['a', 1]]), false],
    ['a class instance', new (class Params { constructor() { this.a = 1; } })(), false],
    ['an inherited prototype', Object.setPrototypeOf({ a: 1 }, { b: 2 }), false],
    ['a frozen object', Object.freeze({ a: Object.freeze([1, 'x']) }), true],
    ['a non-throwing getter', getter, true],
    ['a throwing getter', { get name() { throw new Error('getter'); } }, false],
    ['a harmless Proxy', new Proxy({ a: 1, b: ['x'] }, {}), true],
    // Getters and Proxies that answer differently on each read: the replacer path marks an object
    // that is not the same object on its second read, so the fast path must leave them to it.
    ['a getter returning a fresh object on each read', { get period() { return { from: '20260101', to: '20260201' }; }, a: 1 }, false],
    ['a getter returning a fresh array on each read', { get notice_url() { return ['https://a.example/']; } }, false],
    ['a Proxy returning a fresh object on each read', new Proxy({ card: 1 }, { get(t, k) { return k === 'card' ? { x: 1 } : Reflect.get(t, k); } }), false],
    ['a getter returning the same object on each read', (() => { const same = { x: 1 }; return { get a() { return same; } }; })(), true],
    ['a getter alternating a string and a Date', (() => { let n = 0; return { get a() { return n++ % 2 ? new Date(0) : 'x'; } }; })(), false],
    ['a Proxy whose get throws', new Proxy({ a: 1 }, { get() { throw new Error('get'); } }), false],
    ['a Proxy whose ownKeys throws', new Proxy({ a: 1 }, { ownKeys() { throw new Error('ownKeys'); } }), false],
    ['a Proxy whose getPrototypeOf says Map', new Proxy({ a: 1 }, { getPrototypeOf() { return Map.prototype; } }), false],
    ['a cycle', cyclic, false],
    ['a cycle through an array', cyclicArray, false],
    ['8 levels of arrays (the depth cap)', nest(8, 'x'), true],
    ['9 levels of arrays (past the cap)', nest(9, 'x'), false],
    ['8 levels of objects', nestObjects(8), true],
    ['9 levels of objects', nestObjects(9), false],
    ['70 levels (past the core limit)', nest(70, 0), false],
    ['256 values (the size cap)', wide(255), true],
    ['257 values (past the cap)', wide(256), false],
    ['256 values in an array', Array.from({ length: 255 }, (_, i) => i), true],
    ['257 values in an array', Array.from({ length: 256 }, (_, i) => i), false],
    ['a 300,000-hole array', new Array(300000), false],
    ['a 2 MB string', 'x'.repeat(2 * 1024 * 1024), true],
    ['top-level primitives', [true, false, null, 0, '', 'x'], true],
    ['null', null, true],
    ['true', true, true],
    ['a string', 'text', true],
    ['a function', () => 1, false],
    ['a Symbol', Symbol('top'), false],
    ['a BigInt', 10n, false],
    ['undefined', undefined, false],
    // typeof document.all is 'undefined' (and document.all == null): the replacer path decides.
    ['document.all', globalThis.document ? globalThis.document.all : null, !globalThis.document],
    ['window', globalThis, false],
  ];
}
