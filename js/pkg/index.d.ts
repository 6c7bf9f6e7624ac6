// Type definitions for iamport-billing: a Danal credit-card billing key through iamport (PortOne V1).
// Field names are iamport's own (snake_case), so snippets from iamport's docs work unchanged.

/** A PG code: Danal credit card, optionally with a CPID (`danal_tpay.<CPID>`). */
export type DanalPg = 'danal_tpay' | `danal_tpay.${string}`;

/** Any JSON value (what `custom_data` may hold). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** An absolute http(s) URL. */
export type HttpUrl = `http://${string}` | `https://${string}`;

interface BillingKeyParamsBase {
  /** Required. 1–80 characters; no leading/trailing whitespace, control characters or `/ ? # % \`. iamport stores the key under it. */
  customer_uid: string;
  /** Required. A whole number of KRW (a safe integer ≥ 0). `0` issues the key only (Danal test-charges 10 KRW and cancels it ~30 minutes later); more issues the key and charges that amount at once. */
  amount: number;
  /** Only `'card'` (the default). */
  pay_method?: 'card';
  /** Your order id, 1–40 characters. Default: `newMerchantUid()`. */
  merchant_uid?: string;
  /** Order name shown in the window, 1–40 characters. */
  name?: string;
  /** Required by Danal's window: 1–16 characters of digits, spaces, `+ - ( )`. */
  buyer_tel: string;
  /** At most 64 characters, one `@`. */
  buyer_email?: string;
  /** At most 16 characters. */
  buyer_name?: string;
  /** At most 128 characters. */
  buyer_addr?: string;
  /** At most 8 characters. */
  buyer_postcode?: string;
  /** At most 40 characters. */
  company?: string;
  /** At most 80 characters. */
  customer_id?: string;
  /** Mobile browsers return here after the window; read the result with `parseRedirect`. */
  m_redirect_url?: HttpUrl | string;
  /** Webhook URL(s) for this payment. */
  notice_url?: HttpUrl | string | [string, ...string[]];
  /** Any JSON value, passed through to iamport. */
  custom_data?: JsonValue;
  language?: 'ko' | 'en' | 'zh';
  currency?: 'KRW';
  popup?: boolean;
  /** Service period shown in the window, `YYYYMMDD`, `from` ≤ `to`. */
  period?: { from: string; to: string };
  /** Instalment months offered (0–36). */
  display?: { card_quota?: number[] };
  /** Tax-free part of `amount` (0 ≤ tax_free ≤ amount). */
  tax_free?: number;
  /** Your app's URL scheme (WebView apps), 1–200 characters. */
  app_scheme?: string;
  confirm_url?: HttpUrl | string;
  /** PG-specific card options, passed through. */
  card?: { [key: string]: JsonValue };
  /** PG-specific options, passed through. */
  bypass?: { [key: string]: JsonValue };
}

/**
 * Parameters of a Danal billing-key request: iamport's `IMP.request_pay` params for Danal billing.
 * Give `pg` (default `'danal_tpay'`) or `channelKey`, not both. Unknown keys are rejected.
 */
export type BillingKeyParams =
  | (BillingKeyParamsBase & { pg?: DanalPg; channelKey?: undefined })
  | (BillingKeyParamsBase & { channelKey: string; pg?: undefined });

export interface RequestBillingKeyOptions {
  /** Reject with `TIMEOUT` when no callback arrives within this many ms: a positive safe integer (capped at 2147483647, the browser timer limit). Default: no timeout. */
  timeoutMs?: number;
}

export interface LoadIamportOptions {
  /** The SDK's address: an `https:` URL, an `http:` URL of `localhost` (a local sandbox), or a path on the page's own origin (`/sdk/iamport.js`); other schemes (`data:`, `blob:`, …) reject `INVALID_PARAM`. Default `https://cdn.iamport.kr/v1/iamport.js`. */
  src?: string;
  /** Your merchant code (`imp` + 8 digits); `IMP.init` is called with it once per page. */
  merchantCode?: `imp${string}`;
  /** How long the script may take to load. Default 10000. */
  timeoutMs?: number;
}

/** iamport's payment status. */
export type PaymentStatus = 'ready' | 'paid' | 'failed' | 'cancelled';

interface BillingKeyResultBase {
  /** The order id (from the response, else the request). */
  merchant_uid: string;
  /** The customer id the key is stored under (from the request: the callback does not return it). */
  customer_uid: string;
  /** The amount requested. */
  amount: number;
  /** The callback's value exactly as the SDK gave it. */
  raw: unknown;
}

/** The window issued the billing key (and charged `amount` when above 0). Confirm `imp_uid` on your server. */
export interface BillingKeySuccess extends BillingKeyResultBase {
  success: true;
  imp_uid: string;
  pay_method?: string;
  paid_amount?: number;
  status?: PaymentStatus;
  name?: string;
  pg_provider?: string;
  pg_tid?: string;
  pg_type?: string;
  currency?: string;
  card_name?: string;
  card_number?: string;
  card_quota?: number;
  apply_num?: string;
  /** Unix seconds. */
  paid_at?: number;
  receipt_url?: string;
  buyer_name?: string;
  buyer_email?: string;
  buyer_tel?: string;
  buyer_addr?: string;
  buyer_postcode?: string;
  custom_data?: JsonValue;
}

/** The window did not issue a key: declined, closed by the person, or a malformed response. */
export interface BillingKeyFailure extends BillingKeyResultBase {
  success: false;
  imp_uid: string | null;
  /** The PG's or iamport's code; `'MALFORMED_RESPONSE'` when the callback value was not an object. */
  error_code: string | null;
  /** A message for the person paying (a default when the SDK gave none). */
  error_msg: string;
}

/** What the payment window reported. Narrow on `success`. */
export type BillingKeyResult = BillingKeySuccess | BillingKeyFailure;

interface RedirectResultBase {
  imp_uid: string | null;
  merchant_uid: string | null;
  /** Recovered from the request's record in this tab's sessionStorage; `null` when not found. */
  customer_uid: string | null;
  /** Recovered like `customer_uid`; `null` when not found. */
  amount: number | null;
  /** The query's fields (first value of each). */
  raw: Record<string, string>;
}

/** The result read on an `m_redirect_url` page. Narrow on `success`. */
export type RedirectResult =
  | (RedirectResultBase & { success: true; imp_uid: string })
  | (RedirectResultBase & { success: false; error_code: string | null; error_msg: string });

/** Stable error codes. */
export type BillingKeyErrorCode =
  | 'INVALID_PARAM'
  | 'IMP_NOT_LOADED'
  | 'SDK_LOAD_FAILED'
  | 'IN_PROGRESS'
  | 'TIMEOUT'
  | 'SDK_ERROR'
  | 'NOT_READY'
  | 'WASM_LOAD_FAILED';

/** What every integration problem rejects (or throws) with. Payment outcomes are results, not errors. */
export declare class BillingKeyError extends Error {
  readonly name: 'BillingKeyError';
  readonly code: BillingKeyErrorCode;
  /** For `INVALID_PARAM`: the field's path (`customer_uid`, `display.card_quota[2]`, `timeoutMs`…). */
  readonly field?: string;
  /** For `TIMEOUT` and `SDK_ERROR`: the request's ids, so nothing is lost. */
  readonly merchant_uid?: string;
  /** For `TIMEOUT` and `SDK_ERROR`. */
  readonly customer_uid?: string;
  private constructor();
}

/**
 * The object `IMP.request_pay` receives: your params validated and normalised (defaults filled,
 * absent fields omitted, iamport's field order), with `merchant_uid` always set.
 */
export interface ImpRequestParams {
  pg?: DanalPg;
  /** The channel key you gave (1–55 characters), instead of `pg`. */
  channelKey?: string;
  pay_method: 'card';
  merchant_uid: string;
  name?: string;
  amount: number;
  customer_uid: string;
  buyer_email?: string;
  buyer_name?: string;
  buyer_tel: string;
  buyer_addr?: string;
  buyer_postcode?: string;
  company?: string;
  customer_id?: string;
  m_redirect_url?: string;
  notice_url?: string | string[];
  custom_data?: JsonValue;
  language?: 'ko' | 'en' | 'zh';
  currency?: 'KRW';
  popup?: boolean;
  period?: { from: string; to: string };
  display?: { card_quota?: number[] };
  tax_free?: number;
  app_scheme?: string;
  confirm_url?: string;
  card?: { [key: string]: JsonValue };
  bypass?: { [key: string]: JsonValue };
}

// Loading. Importing this package never waits and never throws, in a browser, a worker, Node ≥ 20.16
// or a server-side render: there is no top-level await. In a browser (or worker) the wasm starts
// loading at import time, in the background; in Node, and from `iamport-billing/pure` everywhere, the
// first `ready()` or Promise call loads it.
// - Functions that return a Promise (`requestBillingKey`, `loadIamport`) wait for the wasm by
//   themselves. When the wasm is already there, `requestBillingKey` calls `IMP.request_pay` before
//   it returns (inside your click handler); when it is not, after the wasm arrives (an await
//   later, which some browsers treat as outside the click): `await ready()` early to avoid that.
// - Synchronous functions (`validateParams`, `parseRedirect`, `newMerchantUid`) cannot wait: called
//   before the wasm is ready they throw a `BillingKeyError` with code `NOT_READY`. `await ready()`
//   first.
// - When the wasm cannot be fetched or instantiated, `ready()` and every Promise function reject
//   with `WASM_LOAD_FAILED` (the message says what failed); the next call tries again.

/** Resolves when the wasm is usable; rejects `WASM_LOAD_FAILED` (a later call tries again). Idempotent. */
export function ready(): Promise<void>;

/**
 * Opens Danal's window through `IMP.request_pay` to issue a billing key for `params.customer_uid`.
 * Resolves with what the window reported; rejects with a `BillingKeyError` for integration problems
 * (`INVALID_PARAM`, `IN_PROGRESS`, `IMP_NOT_LOADED`, `SDK_ERROR`, `TIMEOUT`, `WASM_LOAD_FAILED`).
 * Call it inside the click handler, after `ready()` has resolved: `IMP.request_pay` then runs before
 * it returns. When the SDK redirects (mobile, `m_redirect_url`) the Promise never settles: use
 * `parseRedirect` there.
 */
export function requestBillingKey(
  params: BillingKeyParams,
  options?: RequestBillingKeyOptions,
): Promise<BillingKeyResult>;

/** Makes `globalThis.IMP` available (and calls `IMP.init(merchantCode)` once per page). Rejects `SDK_LOAD_FAILED`, `INVALID_PARAM` or `WASM_LOAD_FAILED`. */
export function loadIamport(options?: LoadIamportOptions): Promise<void>;

/**
 * Validates `params` without opening a window: returns exactly what `requestBillingKey` would hand to
 * `IMP.request_pay` (a fresh `merchant_uid` when you give none), or throws the same `INVALID_PARAM`
 * error it would reject with. For a form (validate on input) and for servers and unit tests in Node.
 * Throws `NOT_READY` before `ready()` has resolved.
 */
export function validateParams(params: BillingKeyParams): ImpRequestParams;

/** Reads the result on an `m_redirect_url` page; `null` when the URL carries neither `imp_uid` nor `merchant_uid`. Throws `INVALID_PARAM` for a non-string, `NOT_READY` before `ready()`. */
export function parseRedirect(url: string): RedirectResult | null;

/** A fresh unique `merchant_uid` (≤ 40 characters, `^[A-Za-z0-9_-]+$`). Throws `INVALID_PARAM` for a bad prefix (1–20 of `A-Za-z0-9_-`), `NOT_READY` before `ready()`. */
export function newMerchantUid(prefix?: string): string;
