// iamport-billing/server's API, shared by every runtime's entry: iamport's REST API (PortOne V1) for
// your server, from the same Rust crate as Rust servers use (server/, its wasm-bindgen layer in
// server/src/js.rs). Each entry (node.js, workerd.js, edge-light.js, inline.js beside this file)
// loads the one .wasm the way its runtime allows, initialises the bindings, and re-exports this
// module; scripts/build-server-pkg.sh copies them into pkg/server/.
//
// The wasm side reads JSON text and answers JSON text: every rule about params and results is the
// crate's. This file turns JavaScript values into JSON first (refusing, with the field's path, what
// JSON cannot carry: a function, a BigInt, NaN…), turns a `Date` in `schedule_at`, `from` and `to`
// into unix seconds, turns the crate's errors into IamportError instances, and the lists' pages into
// async iterables.

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

function invalid(field, message) {
  return new IamportError('INVALID_PARAM', message, { field });
}

// The crate answers a failure with its error as JSON text ({ code, message, field?, … }).
function fromWasm(thrown) {
  if (typeof thrown === 'string') {
    let data;
    try {
      data = JSON.parse(thrown);
    } catch {
      data = null;
    }
    if (data && typeof data.code === 'string' && typeof data.message === 'string') {
      return new IamportError(data.code, data.message, data);
    }
  }
  return thrown; // not the crate's: a bug, passed on as it is
}

function typeName(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? 'a number' : String(value);
    case 'bigint':
      return 'a BigInt';
    case 'object': {
      const name = Object.getPrototypeOf(value)?.constructor?.name;
      return name ? `${/^[AEIOU]/i.test(name) ? 'an' : 'a'} ${name}` : 'an object';
    }
    case 'undefined':
      return 'undefined';
    default:
      return `a ${typeof value}`;
  }
}

// An object literal's, `JSON.parse`'s or `Object.create(null)`'s, from this realm or another (a `vm`
// context): its prototype is an `Object.prototype` or nothing.
function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

const isDate = (value) => Object.prototype.toString.call(value) === '[object Date]';

const pathOf = (parent, key) => (typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key);

// A copy of `value` that JSON carries unchanged. Object keys whose value is `undefined` are left out
// (TypeScript's optional fields); anything else JSON would drop or change is refused with its path.
// `dates`: a function (path) → true where a Date becomes unix seconds. `within`: the objects and
// arrays being copied, outer first (a value inside itself is refused, not followed for ever).
function toJson(value, path, dates, within = new Set()) {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw invalid(path, `${path} must be a finite number (got ${typeName(value)})`);
      return value;
    case 'object':
      if (value === null) return null;
      if (isDate(value) && dates(path)) {
        const ms = value.getTime();
        if (Number.isNaN(ms)) throw invalid(path, `${path} must be unix seconds or a valid Date (got an Invalid Date)`);
        return Math.floor(ms / 1000);
      }
      if (within.has(value)) throw invalid(path, `${path || 'params'} contains itself: JSON cannot carry a cycle`);
      if (Array.isArray(value)) {
        within.add(value);
        const out = [];
        for (let i = 0; i < value.length; i++) {
          const item = value[i];
          if (item === undefined) throw invalid(pathOf(path, i), `${pathOf(path, i)} must not be undefined`);
          out.push(toJson(item, pathOf(path, i), dates, within));
        }
        within.delete(value);
        return out;
      }
      if (isPlainObject(value)) {
        within.add(value);
        const out = {};
        for (const key of Object.keys(value)) {
          if (value[key] === undefined) continue;
          // defineProperty: a key named __proto__ stays a key
          Object.defineProperty(out, key, {
            value: toJson(value[key], pathOf(path, key), dates, within), enumerable: true, writable: true, configurable: true,
          });
        }
        within.delete(value);
        return out;
      }
      break;
    default:
      break;
  }
  const where = path || 'params';
  throw invalid(path || undefined, `${where} must be a JSON value: a string, number, boolean, null, array or plain object (got ${typeName(value)})`);
}

const never = () => false;
const SCHEDULE_AT = /^schedules\[\d+\]\.schedule_at$/;
const isScheduleAt = (path) => SCHEDULE_AT.test(path);
const isTopScheduleAt = (path) => path === 'schedule_at';
const isRangeEnd = (path) => path === 'from' || path === 'to';

function paramsJson(params, dates = never) {
  if (!isPlainObject(params)) throw invalid(undefined, `params must be a plain object (got ${typeName(params)})`);
  return JSON.stringify(toJson(params, '', dates));
}

function idJson(name, value) {
  if (typeof value !== 'string') throw invalid(name, `${name} must be a string (got ${typeName(value)})`);
  return JSON.stringify(value);
}

function idsJson(name, values) {
  if (!Array.isArray(values)) throw invalid(name, `${name} must be an array of strings (got ${typeName(values)})`);
  return JSON.stringify(toJson(values, name, never));
}

function webhookJson(body) {
  if (typeof body === 'string') return JSON.stringify(body);
  if (body instanceof URLSearchParams) return JSON.stringify(body.toString());
  if (body instanceof Uint8Array) return JSON.stringify(new TextDecoder().decode(body)); // express.raw(), a Buffer
  if (body === undefined) {
    throw invalid('body', 'the webhook body is undefined: no body parser ran on this route. In Express add express.json() and express.urlencoded() (iamport posts JSON or form text) before the handler; in a route handler pass await request.text()');
  }
  if (!isPlainObject(body)) throw invalid(undefined, `the webhook body must be an object, JSON text or form text (got ${typeName(body)})`);
  return JSON.stringify(toJson(body, '', never));
}

function configJson(config) {
  if (!isPlainObject(config)) throw invalid(undefined, `the config must be a plain object { impKey, impSecret, baseUrl?, timeoutMs? } (got ${typeName(config)})`);
  return JSON.stringify(toJson(config, '', never));
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

  async #call(method, json) {
    let text;
    try {
      text = await this.#wasm.call(method, json());
    } catch (thrown) {
      throw fromWasm(thrown);
    }
    return JSON.parse(text);
  }

  // A list: an async iterable whose every iteration reads the pages anew, one page per request as
  // the loop asks for more. The crate answers `{ list, cursor }`; `cursor` (null after the last page)
  // is handed back for the next page.
  #pages(method, json) {
    const call = (text) => this.#call(method, () => text);
    return {
      [Symbol.asyncIterator]: async function* pages() {
        const params = json();
        let cursor = null;
        do {
          const page = await call(`{"params":${params},"cursor":${JSON.stringify(cursor)}}`);
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
    return this.#call('confirm_billing_key', () => paramsJson(params));
  }

  chargeBillingKey(params) {
    return this.#call('charge_billing_key', () => paramsJson(params));
  }

  scheduleCharges(params) {
    return this.#call('schedule_charges', () => paramsJson(params, isScheduleAt));
  }

  unscheduleCharges(params) {
    return this.#call('unschedule_charges', () => paramsJson(params));
  }

  getSchedule(merchantUid) {
    return this.#call('get_schedule', () => idJson('merchant_uid', merchantUid));
  }

  getBillingKey(customerUid) {
    return this.#call('get_billing_key', () => idJson('customer_uid', customerUid));
  }

  deleteBillingKey(customerUid) {
    return this.#call('delete_billing_key', () => idJson('customer_uid', customerUid));
  }

  getPayment(impUid) {
    return this.#call('get_payment', () => idJson('imp_uid', impUid));
  }

  findPayment(merchantUid) {
    return this.#call('find_payment', () => idJson('merchant_uid', merchantUid));
  }

  retrySchedule(merchantUid) {
    return this.#call('retry_schedule', () => idJson('merchant_uid', merchantUid));
  }

  reschedule(params) {
    return this.#call('reschedule', () => paramsJson(params, isTopScheduleAt));
  }

  updateSchedule(params) {
    return this.#call('update_schedule', () => paramsJson(params, isTopScheduleAt));
  }

  listSchedules(params) {
    return this.#pages('list_schedules', () => paramsJson(params, isRangeEnd));
  }

  listPayments(params) {
    return this.#pages('list_payments', () => paramsJson(params));
  }

  getBillingKeys(customerUids) {
    return this.#call('get_billing_keys', () => idsJson('customer_uid', customerUids));
  }

  checkSetup(params = {}) {
    return this.#call('check_setup', () => paramsJson(params));
  }

  cancelPayment(params) {
    return this.#call('cancel_payment', () => paramsJson(params));
  }

  verifyWebhook(body) {
    return this.#call('verify_webhook', () => webhookJson(body));
  }
}

/**
 * A client of iamport's REST API with your REST API key and secret. Throws `IamportError`
 * (`INVALID_PARAM`) when the config is wrong; sends nothing until a method is called.
 */
export function createIamportClient(config) {
  let wasmClient;
  try {
    wasmClient = new WasmClient(configJson(config));
  } catch (thrown) {
    throw fromWasm(thrown);
  }
  return new IamportClient(wasmClient);
}
