// Consumer mistakes that pkg/index.d.ts must turn into compile errors. Each `// @ts-expect-error`
// names, in [brackets], text the error message must contain; check-invalid.mjs removes the directives
// and checks that each following line, and no other, is an error that says so.

import { BillingKeyError, loadIamport, requestBillingKey, validateParams } from 'iamport-billing';
import * as pure from 'iamport-billing/pure';

// The seed's fields without the ones each case is about.
const seed = {
  pg: 'danal_tpay',
  merchant_uid: 'merchant_1',
  name: '최초인증결제',
  buyer_email: 'iamport@siot.do',
  buyer_name: '아임포트',
  buyer_tel: '02-1234-1234',
} as const;

// @ts-expect-error [customer_uid] customer_uid is required
requestBillingKey({ ...seed, pay_method: 'card', amount: 0 });

// @ts-expect-error ["vbank"] Danal billing keys are issued for cards only
requestBillingKey({ ...seed, pay_method: 'vbank', amount: 0, customer_uid: 'c1' });

// @ts-expect-error [string] amount is a number of KRW, not a string
requestBillingKey({ ...seed, pay_method: 'card', amount: '1000', customer_uid: 'c1' });

// @ts-expect-error [amount] amount is required
requestBillingKey({ ...seed, customer_uid: 'c1' });

// @ts-expect-error [buyer_tel] Danal's window needs buyer_tel
requestBillingKey({ customer_uid: 'c1', amount: 0 });

// @ts-expect-error ["html5_inicis"] only Danal's pg codes
requestBillingKey({ ...seed, pg: 'html5_inicis', customer_uid: 'c1', amount: 0 });

// @ts-expect-error [channelKey] pg or channelKey, not both
requestBillingKey({ ...seed, channelKey: 'key', customer_uid: 'c1', amount: 0 });

// @ts-expect-error [buyer_phone] unknown fields are typos
requestBillingKey({ ...seed, customer_uid: 'c1', amount: 0, buyer_phone: '010' });

export async function narrowing(): Promise<void> {
  const result = await requestBillingKey({ ...seed, customer_uid: 'c1', amount: 0 });
  // @ts-expect-error [error_msg] error_msg exists only on a failure: narrow on success first
  console.log(result.error_msg);
  // @ts-expect-error [card_name] card_name exists only on a success
  console.log(result.card_name);
  if (result.success) {
    // @ts-expect-error [error_code] a success has no error_code
    console.log(result.error_code);
  } else {
    // @ts-expect-error [null] a failure's imp_uid may be null
    const impUid: string = result.imp_uid;
    console.log(impUid);
  }
  // @ts-expect-error [unknown] raw is the SDK's value, unknown until checked
  console.log(result.raw.imp_uid);
}

// @ts-expect-error [`imp${string}`] a merchant code starts with imp
loadIamport({ merchantCode: '12345678' });

// @ts-expect-error [private] BillingKeyError is thrown by the library, not built by callers
new BillingKeyError();

// @ts-expect-error [timeoutMs] the option is timeoutMs
requestBillingKey({ ...seed, customer_uid: 'c1', amount: 0 }, { timeout: 1000 });

// validateParams takes the same params as requestBillingKey, and its answer is typed.
// @ts-expect-error [not assignable to type 'number'] amount must be a number
validateParams({ customer_uid: 'c1', amount: '1000', buyer_tel: '010' });
// @ts-expect-error [Type 'string' is not assignable to type 'number'] merchant_uid is a string, not a number
export const notANumber: number = validateParams({ customer_uid: 'c1', amount: 0, buyer_tel: '010' }).merchant_uid;

// The pure entry has the same types.
// @ts-expect-error [custmer_uid] a typo is not a field, from the pure entry too
pure.requestBillingKey({ custmer_uid: 'c1', amount: 0, buyer_tel: '02-1234-1234' });

// @ts-expect-error [start] the pure entry exports nothing more (no start(), no init())
pure.start();
