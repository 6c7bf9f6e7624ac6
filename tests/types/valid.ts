// Consumer code that must compile under `tsc --strict`: the seed's two requests from iamport's Danal
// billing-key guide, narrowing on `success`, and the rest of the public API.

import {
  BillingKeyError,
  loadIamport,
  newMerchantUid,
  parseRedirect,
  ready,
  requestBillingKey,
  validateParams,
  type ImpRequestParams,
  type BillingKeyErrorCode,
  type BillingKeyFailure,
  type BillingKeyParams,
  type BillingKeyResult,
  type BillingKeySuccess,
  type RedirectResult,
} from 'iamport-billing';
import * as main from 'iamport-billing';
import * as pure from 'iamport-billing/pure';

/** Compile-time equality of two types. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | void {}

/** What a page sends its server after a key is issued. */
interface ServerPayload {
  imp_uid: string;
  merchant_uid: string;
  customer_uid: string;
}

// The seed, written inline exactly as the guide writes IMP.request_pay's argument: amount 0 (key only).
export async function keyOnly(): Promise<ServerPayload | string> {
  const result = await requestBillingKey({
    pg: 'danal_tpay',
    pay_method: 'card',
    merchant_uid: 'merchant_' + Date.now(),
    name: '최초인증결제',
    amount: 0,
    customer_uid: 'your-customer-unique-id',
    buyer_email: 'iamport@siot.do',
    buyer_name: '아임포트',
    buyer_tel: '02-1234-1234',
  });
  expectType<Equal<typeof result, BillingKeyResult>>();
  if (result.success) {
    expectType<Equal<typeof result, BillingKeySuccess>>();
    const { imp_uid, merchant_uid, customer_uid } = result;
    return { imp_uid, merchant_uid, customer_uid };
  }
  expectType<Equal<typeof result, BillingKeyFailure>>();
  const code: string | null = result.error_code;
  const impUid: string | null = result.imp_uid;
  return `${code ?? '-'} ${impUid ?? '-'}: ${result.error_msg}`;
}

// The same with amount 1004 (key + first charge), as an annotated variable and with a timeout.
export function keyAndCharge(): Promise<number | undefined> {
  const params: BillingKeyParams = {
    pg: 'danal_tpay',
    pay_method: 'card',
    merchant_uid: 'merchant_' + Date.now(),
    name: '최초인증결제',
    amount: 1004,
    customer_uid: 'your-customer-unique-id',
    buyer_email: 'iamport@siot.do',
    buyer_name: '아임포트',
    buyer_tel: '02-1234-1234',
  };
  return requestBillingKey(params, { timeoutMs: 120_000 }).then((result) => {
    if (!result.success) throw new Error(result.error_msg);
    const paidAt: number | undefined = result.paid_at;
    const raw: unknown = result.raw;
    void paidAt;
    void raw;
    return result.paid_amount;
  });
}

// Other ways in: a CPID, a channel key instead of pg, the optional fields left out.
export const withCpid: BillingKeyParams = { pg: 'danal_tpay.A010002002', customer_uid: 'c1', amount: 0, buyer_tel: '010-1234-5678' };
export const withChannel: BillingKeyParams = { channelKey: 'channel-key-123', customer_uid: 'c1', amount: 0, buyer_tel: '010-1234-5678' };
export const withExtras: BillingKeyParams = {
  customer_uid: 'c1',
  amount: 0,
  buyer_tel: '010-1234-5678',
  m_redirect_url: 'https://example.com/billing/done',
  notice_url: ['https://example.com/hook'],
  custom_data: { plan: 'monthly', seats: 3, tags: ['a', 'b'], trial: null },
  period: { from: '20250101', to: '20250131' },
  display: { card_quota: [0, 2, 3] },
  language: 'en',
  popup: false,
};

// Integration errors are a class with a stable code to switch on.
export async function loadAndRequest(): Promise<void> {
  await ready();
  try {
    await loadIamport({ merchantCode: 'imp12345678', timeoutMs: 5000 });
    await loadIamport({ src: './sandbox/iamport-sandbox.js' });
  } catch (err) {
    if (err instanceof BillingKeyError) {
      const code: BillingKeyErrorCode = err.code;
      const field: string | undefined = err.field;
      switch (code) {
        case 'INVALID_PARAM':
        case 'IMP_NOT_LOADED':
        case 'SDK_LOAD_FAILED':
        case 'IN_PROGRESS':
        case 'TIMEOUT':
        case 'SDK_ERROR':
        case 'NOT_READY':
        case 'WASM_LOAD_FAILED':
          console.log(err.name, code, field, err.merchant_uid, err.customer_uid, err.message);
          break;
        default: {
          const never: never = code;
          void never;
        }
      }
    }
  }
}

export function ids(): string {
  return newMerchantUid() + newMerchantUid('order');
}

export function redirected(url: string): string {
  const result: RedirectResult | null = parseRedirect(url);
  if (result === null) return 'not a redirect';
  if (result.success) {
    const impUid: string = result.imp_uid;
    return impUid;
  }
  return result.error_msg;
}

// validateParams: the exact object IMP.request_pay would receive, merchant_uid always set.
export async function checkOnInput(params: BillingKeyParams): Promise<string> {
  await ready();
  const forImp: ImpRequestParams = validateParams(params);
  const merchantUid: string = forImp.merchant_uid;
  const amount: number = forImp.amount;
  return `${merchantUid} ${amount} ${forImp.pay_method}`;
}

// `iamport-billing/pure`: the same exports with the same types (only when the wasm loads differs).
expectType<Equal<keyof typeof pure, keyof typeof main>>();
expectType<Equal<typeof pure, typeof main>>();
expectType<Equal<pure.BillingKeyResult, BillingKeyResult>>();
expectType<Equal<pure.BillingKeyErrorCode, BillingKeyErrorCode>>();

export async function addCardFromPure(customerUid: string): Promise<string> {
  await pure.ready(); // the wasm starts loading here, not at import
  const result = await pure.requestBillingKey({ customer_uid: customerUid, amount: 0, buyer_tel: '02-1234-1234' });
  return result.success ? result.imp_uid : result.error_msg;
}

export function fromPure(e: unknown): string | undefined {
  // One class: an error from either entry is an instance of both entries' BillingKeyError.
  expectType<Equal<typeof pure.BillingKeyError, typeof BillingKeyError>>();
  return e instanceof pure.BillingKeyError ? e.code : undefined;
}
