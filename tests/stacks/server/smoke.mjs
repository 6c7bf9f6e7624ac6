// Run by client.test.mjs in Bun and in Deno: the module installed from the tarball confirms a key the
// test issued in the sandbox ($SANDBOX_URL, $IMP_UID, $CUSTOMER_UID) and refuses a misspelt param.
// Prints one JSON line.
import { createIamportClient, IamportError } from 'iamport-billing/server';

const env = (name) => (globalThis.Deno ? globalThis.Deno.env.get(name) : process.env[name]);
const runtime = globalThis.Deno ? 'deno' : globalThis.Bun ? 'bun' : 'node';

const iamport = createIamportClient({ impKey: 'sandbox_key', impSecret: 'sandbox_secret', baseUrl: env('SANDBOX_URL') });
const payment = await iamport.confirmBillingKey({ imp_uid: env('IMP_UID'), customer_uid: env('CUSTOMER_UID'), amount: 0 });
let refused;
try {
  await iamport.chargeBillingKey({ customer_uid: 'c1', merchant_uid: 'm1', amount: 1, nmae: 'n' });
} catch (err) {
  refused = { instanceOfIamportError: err instanceof IamportError, code: err.code, field: err.field };
}
console.log(JSON.stringify({
  runtime,
  confirmed: { imp_uid: payment.imp_uid, status: payment.status, customer_uid_usage: payment.customer_uid_usage },
  refused,
}));
