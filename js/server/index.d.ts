// Type definitions for iamport-billing/server: iamport's REST API (PortOne V1) for your server —
// confirm a billing key, charge it, schedule charges, verify webhooks. Field names are iamport's own
// (snake_case); results carry the JSON types of the published V1 API description.

/** Any JSON value (what `custom_data` may hold). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * A value iamport may extend: the known ones, and any other string kept as sent (a new status is
 * not a failure). `(string & {})` keeps the known values in editor suggestions.
 */
export type Open<Known extends string> = Known | (string & {});

/** The stable codes of `IamportError`. */
export type IamportErrorCode =
  | 'INVALID_PARAM'
  | 'MISMATCH'
  | 'API_ERROR'
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'NETWORK'
  | 'TIMEOUT';

/**
 * What every method rejects with (and `createIamportClient` throws). The message never holds the
 * secret or an access token.
 */
export declare class IamportError extends Error {
  readonly name: 'IamportError';
  readonly code: IamportErrorCode;
  /** `INVALID_PARAM`, `MISMATCH`: the field's path (`amount`, `schedules[1].schedule_at`). */
  readonly field?: string;
  /** `MISMATCH`: what the call asked for. */
  readonly expected?: JsonValue;
  /** `MISMATCH`: what iamport has. */
  readonly found?: JsonValue;
  /** `API_ERROR`: iamport's `code` (never 0). */
  readonly api_code?: number;
  /** `API_ERROR` (and `NOT_FOUND` when iamport gave one): iamport's `message`, as sent. */
  readonly api_message?: string;
  /**
   * `true` when a charge's (`chargeBillingKey`, `retrySchedule`) answer was lost and so was the
   * lookup meant to recover it (`NETWORK`, `TIMEOUT`): whether the card was charged is unknown.
   * Look the order up (`findPayment(merchant_uid)`) before charging it again. Absent otherwise.
   */
  readonly outcome_unknown?: true;
  private constructor();
}

export interface IamportClientConfig {
  /** Your REST API key (`imp_key`) from iamport's admin console. */
  impKey: string;
  /** Your REST API secret (`imp_secret`). Never printed, never in an error. */
  impSecret: string;
  /** Default `https://api.iamport.kr`; the local sandbox's URL in tests. An absolute http(s) URL. */
  baseUrl?: string;
  /** The most one request may take, in milliseconds: 1 to 600000. Default 30000. */
  timeoutMs?: number;
}

/** An RFC 3339 date-time with its offset: `2026-12-03T09:00:00+09:00`, `2026-12-03T00:00:00Z`. */
export type Rfc3339 = `${number}-${number}-${number}T${string}`;

/** Optional fields of a charge (`again`) and of each scheduled charge. */
export interface OrderDetails {
  /** The tax-free part of `amount`, in KRW. */
  tax_free?: number;
  /** The VAT part of `amount`, in KRW (iamport computes it when absent). */
  vat_amount?: number;
  /** At most 16 characters (PortOne's limit, as in the browser's params). */
  buyer_name?: string;
  /** At most 64 characters, one `@`. */
  buyer_email?: string;
  /** At most 16 characters of digits, spaces and `+ - ( )`. */
  buyer_tel?: string;
  /** At most 128 characters. */
  buyer_addr?: string;
  /** At most 8 characters. */
  buyer_postcode?: string;
  /** Instalment months, 0–36 (0 or absent: in full). */
  card_quota?: number;
  /** Any JSON value; iamport stores it as text and returns it as text. */
  custom_data?: JsonValue;
  /** This payment's webhook URL (absolute http(s)); else the console's. */
  notice_url?: string;
}

export interface ConfirmParams {
  /** The `imp_uid` from the browser's result. */
  imp_uid: string;
  /** The billing key's id the browser asked for. */
  customer_uid: string;
  /** The `amount` the browser asked for: 0 to issue the key only (Danal's 10 KRW card check), or the amount charged with it. */
  amount: number;
  /** The issuance's `merchant_uid`, when you want it checked too. */
  merchant_uid?: string;
}

export interface ChargeParams extends OrderDetails {
  /** The billing key's id, 1–80 characters. */
  customer_uid: string;
  /** A new order id for this charge, 1–40 characters; a paid one is refused. */
  merchant_uid: string;
  /** KRW, a whole number ≥ 1. */
  amount: number;
  /** Order name, 1–40 characters. */
  name: string;
}

export interface ScheduleEntry extends OrderDetails {
  merchant_uid: string;
  /**
   * When to charge: unix seconds, a `Date`, or an RFC 3339 date-time with its offset
   * (`'2026-12-03T09:00:00+09:00'`). Ahead of iamport's clock; a number that looks like milliseconds is refused.
   */
  schedule_at: number | Date | Rfc3339;
  amount: number;
  name: string;
}

export interface ScheduleParams {
  customer_uid: string;
  /** One or more charges, all scheduled or none. */
  schedules: [ScheduleEntry, ...ScheduleEntry[]];
}

export interface UnscheduleParams {
  customer_uid: string;
  /** The schedules to revoke; absent: every pending one of `customer_uid`. */
  merchant_uid?: string | [string, ...string[]];
}

/** A time: unix seconds, a `Date`, or an RFC 3339 date-time with its offset. */
export type UnixTime = number | Date | Rfc3339;

export interface ListSchedulesParams {
  customer_uid: string;
  /** The range's start (included). */
  from: UnixTime;
  /** The range's end (included), not before `from`. Any length: longer than three months is asked in windows. */
  to: UnixTime;
  /** Only the schedules of this status; absent: all. */
  status?: 'scheduled' | 'executed' | 'revoked';
}

export interface ListPaymentsParams {
  customer_uid: string;
}

export interface RescheduleParams {
  merchant_uid: string;
  /** The new time, ahead of iamport's clock; a number that looks like milliseconds is refused. */
  schedule_at: UnixTime;
}

export interface CheckSetupParams {
  /** Real charges are wanted: only test-mode Danal channels are then a problem. Default false. */
  live?: boolean;
}

/** A Danal credit-card (`danal_tpay`) channel of the account. */
export interface DanalChannel {
  pg_id: string;
  /** `true` for a test-mode channel (no real charge). */
  sandbox: boolean;
  /** `payment` for a channel the window can issue billing keys with. */
  type: Open<'payment'>;
  /** Give it to the window as `channelKey`. */
  channel_key: string | null;
  channel_name: string | null;
}

/** The stable codes of a setup problem. */
export type SetupProblemCode = 'NO_DANAL_CHANNEL' | 'NO_DANAL_PAYMENT_CHANNEL' | 'DANAL_TEST_ONLY' | 'NO_CHANNEL_KEY';

export interface SetupProblem {
  code: SetupProblemCode;
  /** What is wrong and what to change in the console. */
  message: string;
}

/** What `checkSetup` found: `ok` when Danal billing can work. */
export interface SetupReport {
  ok: boolean;
  /** Payment channels first, live ones first. */
  danal: DanalChannel[];
  /** Empty when `ok`. */
  problems: SetupProblem[];
}

/** Names the payment by `imp_uid` or by `merchant_uid` (one of them, not both). */
export type CancelParams = (
  | { imp_uid: string; merchant_uid?: undefined }
  | { merchant_uid: string; imp_uid?: undefined }
) & {
  /** Why; shown in iamport's console. */
  reason: string;
  /** Part of the payment to cancel, in KRW; absent: all that is left. */
  amount?: number;
  /** The amount still cancellable that you expect (iamport refuses when it differs). */
  checksum?: number;
  tax_free?: number;
  vat_amount?: number;
};

/** A webhook's body as iamport posts it (other keys are ignored; only `imp_uid` is needed). */
export interface WebhookPayload {
  imp_uid: string;
  /** Checked against the payment when given: another order's is `MISMATCH`. */
  merchant_uid?: string;
  /** Never trusted: the result is iamport's record. */
  status?: string;
  cancellation_id?: string;
  [key: string]: JsonValue | undefined;
}

/** The buyer as a payment or a schedule records it. */
export interface BuyerFields {
  buyer_name: string | null;
  buyer_email: string | null;
  buyer_tel: string | null;
  buyer_addr: string | null;
  buyer_postcode: string | null;
}

/** A payment as iamport records it (`GET /payments/{imp_uid}`). */
export interface Payment extends BuyerFields {
  imp_uid: string;
  merchant_uid: string;
  pay_method: string | null;
  /** `pc`, `mobile` or `api` (a charge with a billing key). */
  channel: Open<'pc' | 'mobile' | 'api'> | null;
  pg_provider: string | null;
  emb_pg_provider: string | null;
  pg_tid: string | null;
  pg_id: string | null;
  sandbox: boolean;
  escrow: boolean;
  apply_num: string | null;
  bank_code: string | null;
  bank_name: string | null;
  card_code: string | null;
  card_name: string | null;
  card_issuer_code: string | null;
  card_issuer_name: string | null;
  card_publisher_code: string | null;
  card_publisher_name: string | null;
  card_quota: number | null;
  /** Masked. */
  card_number: string | null;
  card_type: number | null;
  vbank_code: string | null;
  vbank_name: string | null;
  vbank_num: string | null;
  vbank_holder: string | null;
  /** Unix seconds. */
  vbank_date: number | null;
  vbank_issued_at: number | null;
  name: string | null;
  amount: number;
  cancel_amount: number;
  currency: string;
  /** As iamport stores it: text (JSON you sent is returned as its text). */
  custom_data: string | null;
  user_agent: string | null;
  status: Open<'ready' | 'paid' | 'cancelled' | 'failed'>;
  /** Unix seconds; 0 when it has not happened. */
  started_at: number;
  paid_at: number;
  failed_at: number;
  cancelled_at: number;
  fail_reason: string | null;
  cancel_reason: string | null;
  receipt_url: string | null;
  cancel_history: CancelHistory[];
  cancel_receipt_urls: string[];
  cash_receipt_issued: boolean;
  customer_uid: string | null;
  /** What the payment did with `customer_uid`: `issue` (the key was issued), `payment` (a charge), `payment.scheduled`. */
  customer_uid_usage: Open<'issue' | 'payment' | 'payment.scheduled'> | null;
  /** A promotion applied by the PG, as iamport describes it. */
  promotion: JsonValue | null;
}

/** One cancellation of a payment. */
export interface CancelHistory {
  pg_tid: string;
  amount: number;
  /** Unix seconds. */
  cancelled_at: number;
  reason: string;
  cancellation_id: string;
  receipt_url: string | null;
}

/** A billing key (`GET /subscribe/customers/{customer_uid}`): never the card itself. */
export interface BillingKey {
  customer_uid: string;
  pg_provider: string;
  pg_id: string;
  sandbox: boolean;
  customer_id: string | null;
  card_name: string;
  card_code: string | null;
  card_issuer_code: string | null;
  card_issuer_name: string | null;
  card_publisher_code: string | null;
  card_publisher_name: string | null;
  /** Masked. */
  card_number: string | null;
  card_type: number | null;
  customer_name: string | null;
  customer_tel: string | null;
  customer_email: string | null;
  customer_addr: string | null;
  customer_postcode: string | null;
  /** Unix seconds. */
  inserted: number;
  updated: number;
}

/** A scheduled charge. */
export interface Schedule extends BuyerFields {
  customer_uid: string;
  merchant_uid: string;
  /** The payment's id once it ran; null before. */
  imp_uid: string | null;
  pg_provider: string | null;
  pg_id: string | null;
  customer_id: string | null;
  /** Unix seconds. */
  schedule_at: number;
  /** Unix seconds; 0 before it ran. */
  executed_at: number;
  /** Unix seconds; 0 unless revoked. */
  revoked_at: number;
  amount: number;
  currency: string;
  name: string | null;
  custom_data: string | null;
  schedule_status: Open<'scheduled' | 'executed' | 'revoked'>;
  payment_status: Open<'paid' | 'failed' | 'cancelled'> | null;
  fail_reason: string | null;
  promotion_id: string | null;
}

/** A charge's outcome: a declined card is an answer, not an error. */
export type ChargeResult =
  | { status: 'paid'; payment: Payment }
  | { status: 'failed'; fail_reason: string; payment: Payment };

/** A client of iamport's REST API. Every method checks its params before anything is sent. */
export interface IamportClient {
  /** Looks the browser's payment up and checks it is a paid issuance of `customer_uid` for `amount`; `MISMATCH` otherwise. */
  confirmBillingKey(params: ConfirmParams): Promise<Payment>;
  /** Charges the key now (`POST /subscribe/payments/again`). */
  chargeBillingKey(params: ChargeParams): Promise<ChargeResult>;
  /** Schedules charges of the key (`POST /subscribe/payments/schedule`). */
  scheduleCharges(params: ScheduleParams): Promise<Schedule[]>;
  /** Revokes pending schedules (`POST /subscribe/payments/unschedule`). */
  unscheduleCharges(params: UnscheduleParams): Promise<Schedule[]>;
  /** One schedule by its `merchant_uid`. */
  getSchedule(merchant_uid: string): Promise<Schedule>;
  /** The billing key stored under `customer_uid`. */
  getBillingKey(customer_uid: string): Promise<BillingKey>;
  /** Deletes the billing key (its pending schedules are revoked). */
  deleteBillingKey(customer_uid: string): Promise<BillingKey>;
  /** A payment by its `imp_uid`. */
  getPayment(imp_uid: string): Promise<Payment>;
  /** The newest payment of an order by its `merchant_uid` (after a lost answer, before charging that order again). */
  findPayment(merchant_uid: string): Promise<Payment>;
  /**
   * Charges a failed or revoked schedule now (`POST /subscribe/payments/schedule/{merchant_uid}/retry`):
   * a declined card is a `failed` result; never charged twice after a lost answer.
   */
  retrySchedule(merchant_uid: string): Promise<ChargeResult>;
  /** Schedules a failed or revoked charge again at a new time (`POST …/{merchant_uid}/reschedule`). */
  reschedule(params: RescheduleParams): Promise<Schedule>;
  /** Moves a pending schedule to a new time (`PUT /subscribe/payments/schedule/{merchant_uid}`). */
  updateSchedule(params: RescheduleParams): Promise<Schedule>;
  /**
   * Every schedule of the key in the range, newest first, fetched page by page as the loop reads
   * (`for await (const s of iamport.listSchedules(…))`). Invalid params reject the first step.
   */
  listSchedules(params: ListSchedulesParams): AsyncIterable<Schedule>;
  /** Every payment made with the key (its issuance, charges, scheduled runs), newest first, page by page. */
  listPayments(params: ListPaymentsParams): AsyncIterable<Payment>;
  /** The billing keys of up to 100 `customer_uid`s, in the order asked; unknown ones are left out. */
  getBillingKeys(customer_uids: readonly string[]): Promise<BillingKey[]>;
  /** Checks the account's PG channels (`GET /users/pg`) for Danal credit-card billing. */
  checkSetup(params?: CheckSetupParams): Promise<SetupReport>;
  /** Cancels a payment, wholly or in part. */
  cancelPayment(params: CancelParams): Promise<Payment>;
  /**
   * Reads a webhook's body (an object, JSON text or form text, as text or bytes) and answers iamport's
   * own record of the payment. `undefined` (no body parser ran) rejects `INVALID_PARAM` on `body`.
   */
  verifyWebhook(body: WebhookPayload | string | URLSearchParams | Uint8Array): Promise<Payment>;
}

/** A client with your REST API key and secret. Throws `IamportError` (`INVALID_PARAM`) for a wrong config. */
export declare function createIamportClient(config: IamportClientConfig): IamportClient;
