// iamport-billing/server's API, shared by every runtime's entry: iamport's REST API (PortOne V1) for
// your server, from the same Rust crate as Rust servers use (server/, its wasm-bindgen layer in
// server/src/js.rs). Each entry (node.js, workerd.js, edge-light.js, inline.js beside this file)
// loads the one .wasm the way its runtime allows, initialises the bindings, and re-exports this
// module; scripts/build-server-pkg.sh copies them into pkg/server/.
//
// The wasm side reads JSON text and answers JSON text: every rule about params and results is the
// crate's. This file turns JavaScript values into JSON first, as the browser's glue does: a marker in
// place of each value JSON cannot carry (a function, a BigInt, NaN, a cycle…), which the crate
// refuses with the field's path and the browser's message; a `Date` in `schedule_at`, `from` and
// `to` becomes unix seconds. It turns the crate's errors into IamportError instances, and the lists'
// pages into async iterables. It judges no value itself.

import { WasmClient } from './bindings.js';

const ERROR_KEYS = ['field', 'expected', 'found', 'api_code', 'api_message', 'outcome_unknown'];

/** The error every method rejects with (and `createIamportClient` throws). */
export class IamportError extends Error {
  constructor(code, message, details) {
    super(message);
    this.name = 'IamportError';
    this.code = code;
    if (details) {
      for (const key of ERROR_KEYS) {
        if (details[key] !== undefined && details[key] !== null) this[key] = details[key];
      }
    }
  }
}

// The crate answers a failure with its error as JSON text ({ code, message, field?, … }). An error
// about a value that could not be read gets why, from `notes` (by path), as the browser's glue says it.
function fromWasm(thrown, notes) {
  if (typeof thrown === 'string') {
    let data;
    try {
      data = JSON.parse(thrown);
    } catch {
      data = null;
    }
    if (data && typeof data.code === 'string' && typeof data.message === 'string') {
      const note = data.message.endsWith(' could not be read') && notes?.get(data.field);
      return new IamportError(data.code, note ? `${data.message}: ${note}` : data.message, data);
    }
  }
  return thrown; // not the crate's: a bug, passed on as it is
}

// The marker the browser's glue writes too, in place of a value JSON cannot carry; the crate reads it
// as the browser's core does and names the field and the kind in its error. The key and the tags are
// the core's (src/json.rs MARKER_KEY, src/value.rs MARKER_TAGS), as are the limits (json::MAX_DEPTH,
// the glue's 4 Mi characters): tests/native_boundary.rs holds this file to them.
const MARKER_KEY = '\u0000iamport-billing';
const MAX_DEPTH = 64;
const MAX_JSON_CHARS = 1 << 22;
const marker = (tag) => ({ [MARKER_KEY]: tag });

const pathOf = (parent, key, array) => (array ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key);

// A Date's time in ms (NaN for an Invalid Date), from any realm; undefined for anything else.
function dateTime(value) {
  try {
    return Date.prototype.getTime.call(value);
  } catch {
    return undefined;
  }
}

// Who threw when `key` of `value` was read: its getter, or a Proxy's trap.
function thrower(value, key) {
  try {
    return Object.getOwnPropertyDescriptor(value, key).get ? 'a getter' : 'a Proxy trap';
  } catch {
    return 'a Proxy trap'; // its getOwnPropertyDescriptor trap threw too
  }
}

/**
 * `value`, the argument `name` ('params', 'config', 'body', 'customer_uid'), as JSON text for the
 * crate, the way the browser's glue writes its arguments: plain objects (from any realm: a `vm`
 * context's too) and arrays copied property by property, with a marker for each value JSON cannot
 * carry. `path` is where `value` is, as the crate writes paths (`schedules[1].amount`; '' for the
 * argument itself); `dates(path)` says where a Date becomes unix seconds; `notes` gets why each
 * unreadable value could not be read, by path.
 */
function encode(value, name, { path = '', dates = never, notes }) {
  // Marks the value at `at` unreadable, noting why (and what was thrown, `e`, if anything was).
  const unreadable = (at, why, e) => {
    if (e !== undefined) {
      let message = 'an unprintable value';
      try {
        message = String(e?.message ?? e); // an Error's message, or the value thrown
      } catch {
        // a revoked Proxy, or a value whose toString throws
      }
      why += `: ${message}`;
    }
    notes.set(at || name, why);
    return marker('unreadable');
  };
  const copy = (value, path, within) => {
    const type = typeof value;
    // Inside an object or array, undefined is left out (null in an array), as JSON does.
    if (type === 'undefined') return within.length ? value : marker(type);
    if (type === 'number') return Number.isFinite(value) ? value : marker('nonfinite');
    if (type === 'bigint' || type === 'symbol' || type === 'function') return marker(type);
    if (type !== 'object' || value === null) return value;
    let array;
    try {
      array = Array.isArray(value);
    } catch {
      return unreadable(path, 'a revoked Proxy'); // IsArray throws only for a revoked Proxy
    }
    if (within.includes(value)) return unreadable(path, 'a cycle (it is inside itself)');
    if (within.length >= MAX_DEPTH) return marker('toolarge'); // where the core's JSON reader stops too
    let keys;
    try {
      const ms = !array && dates(path) ? dateTime(value) : undefined;
      if (ms !== undefined) return Number.isNaN(ms) ? marker('nonfinite') : Math.floor(ms / 1000);
      const proto = Object.getPrototypeOf(value);
      const plain = array || proto === null || Object.getPrototypeOf(proto) === null; // any realm's Object.prototype
      if (!plain || typeof value.toJSON === 'function') return marker('object');
      keys = Object.keys(value);
    } catch (e) {
      return unreadable(path, 'a Proxy trap threw', e);
    }
    within.push(value);
    // No prototype: a key named __proto__ stays a key.
    const out = array ? [] : Object.create(null);
    for (const key of keys) {
      const at = pathOf(path, key, array);
      let item;
      try {
        item = value[key];
      } catch (e) {
        out[key] = unreadable(at, `${thrower(value, key)} threw`, e);
        continue;
      }
      out[key] = copy(item, at, within);
    }
    within.pop();
    return out;
  };
  let text;
  try {
    text = JSON.stringify(copy(value, path, []));
  } catch {
    return JSON.stringify(marker('unreadable'));
  }
  return text.length > MAX_JSON_CHARS ? JSON.stringify(marker('toolarge')) : text;
}

const never = () => false;
const SCHEDULE_AT = /^schedules\[\d+\]\.schedule_at$/;
const isScheduleAt = (path) => path === 'schedule_at' || SCHEDULE_AT.test(path);
const isRangeEnd = (path) => path === 'from' || path === 'to';

// Each argument as JSON text; the crate judges it (its type too), so a value gets the message the
// browser's validateParams gives it.
const paramsJson = (params, notes, dates = never) => encode(params, 'params', { dates, notes });
const idJson = (name, value, notes) => encode(value, name, { path: name, notes });

function webhookJson(body, notes) {
  if (typeof body === 'string') return JSON.stringify(body);
  if (body instanceof URLSearchParams) return JSON.stringify(body.toString());
  if (body instanceof Uint8Array) return JSON.stringify(new TextDecoder().decode(body)); // express.raw(), a Buffer
  return encode(body, 'body', { notes });
}

/** A client of iamport's REST API. Create it with `createIamportClient`. */
class IamportClient {
  #wasm;

  constructor(wasmClient) {
    this.#wasm = wasmClient;
  }

  get [Symbol.toStringTag]() {
    return 'IamportClient';
  }

  // `json(notes)`: the params' JSON text (`notes`: why values in them could not be read).
  async #call(method, json) {
    const notes = new Map();
    return this.#send(method, json(notes), notes);
  }

  async #send(method, text, notes) {
    let answer;
    try {
      answer = await this.#wasm.call(method, text);
    } catch (thrown) {
      throw fromWasm(thrown, notes);
    }
    return JSON.parse(answer);
  }

  // A list: an async iterable whose every iteration reads the pages anew, one page per request as
  // the loop asks for more. The crate answers `{ list, cursor }`; `cursor` (null after the last page)
  // is handed back for the next page.
  #pages(method, json) {
    const send = (text, notes) => this.#send(method, text, notes);
    return {
      [Symbol.asyncIterator]: async function* pages() {
        const notes = new Map();
        const params = json(notes);
        let cursor = null;
        do {
          const page = await send(`{"params":${params},"cursor":${JSON.stringify(cursor)}}`, notes);
          cursor = page.cursor;
          yield* page.list;
        } while (cursor !== null);
      },
      get [Symbol.toStringTag]() {
        return 'IamportList';
      },
    };
  }

  confirmBillingKey(params) {
    return this.#call('confirm_billing_key', (notes) => paramsJson(params, notes));
  }

  chargeBillingKey(params) {
    return this.#call('charge_billing_key', (notes) => paramsJson(params, notes));
  }

  scheduleCharges(params) {
    return this.#call('schedule_charges', (notes) => paramsJson(params, notes, isScheduleAt));
  }

  unscheduleCharges(params) {
    return this.#call('unschedule_charges', (notes) => paramsJson(params, notes));
  }

  getSchedule(merchantUid) {
    return this.#call('get_schedule', (notes) => idJson('merchant_uid', merchantUid, notes));
  }

  getBillingKey(customerUid) {
    return this.#call('get_billing_key', (notes) => idJson('customer_uid', customerUid, notes));
  }

  deleteBillingKey(customerUid) {
    return this.#call('delete_billing_key', (notes) => idJson('customer_uid', customerUid, notes));
  }

  getPayment(impUid) {
    return this.#call('get_payment', (notes) => idJson('imp_uid', impUid, notes));
  }

  findPayment(merchantUid) {
    return this.#call('find_payment', (notes) => idJson('merchant_uid', merchantUid, notes));
  }

  retrySchedule(merchantUid) {
    return this.#call('retry_schedule', (notes) => idJson('merchant_uid', merchantUid, notes));
  }

  reschedule(params) {
    return this.#call('reschedule', (notes) => paramsJson(params, notes, isScheduleAt));
  }

  updateSchedule(params) {
    return this.#call('update_schedule', (notes) => paramsJson(params, notes, isScheduleAt));
  }

  listSchedules(params) {
    return this.#pages('list_schedules', (notes) => paramsJson(params, notes, isRangeEnd));
  }

  listPayments(params) {
    return this.#pages('list_payments', (notes) => paramsJson(params, notes));
  }

  getBillingKeys(customerUids) {
    return this.#call('get_billing_keys', (notes) => idJson('customer_uid', customerUids, notes));
  }

  checkSetup(params = {}) {
    return this.#call('check_setup', (notes) => paramsJson(params, notes));
  }

  cancelPayment(params) {
    return this.#call('cancel_payment', (notes) => paramsJson(params, notes));
  }

  verifyWebhook(body) {
    return this.#call('verify_webhook', (notes) => webhookJson(body, notes));
  }
}

/**
 * A client of iamport's REST API with your REST API key and secret. Throws `IamportError`
 * (`INVALID_PARAM`) when the config is wrong; sends nothing until a method is called.
 */
export function createIamportClient(config) {
  const notes = new Map();
  let wasmClient;
  try {
    wasmClient = new WasmClient(encode(config, 'config', { notes }));
  } catch (thrown) {
    throw fromWasm(thrown, notes);
  }
  return new IamportClient(wasmClient);
}
