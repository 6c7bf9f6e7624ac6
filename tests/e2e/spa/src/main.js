// The package as an app would use it: a bare import, bundled by Vite (no wasm plugin).
import { requestBillingKey, loadIamport, newMerchantUid, parseRedirect, ready, BillingKeyError } from 'iamport-billing';
import './style.css';

const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
const output = $('result');

function show(state, value) {
  output.dataset.state = state;
  output.textContent = JSON.stringify(value, null, 2);
}

loadIamport({ src: '/sandbox/iamport-sandbox.js', merchantCode: 'imp00000000' }).then(
  () => {
    $('sdk-status').dataset.state = 'ready';
    $('sdk-status').textContent = 'Sandbox SDK ready';
    $('submit').disabled = false;
  },
  (err) => {
    $('sdk-status').dataset.state = 'error';
    $('sdk-status').textContent = `${err.code}: ${err.message}`;
  },
);

document.getElementById('form').addEventListener('submit', (event) => {
  event.preventDefault();
  const params = {
    pg: 'danal_tpay',
    pay_method: 'card',
    merchant_uid: newMerchantUid('spa'),
    name: '최초인증결제',
    amount: Number($('amount').value),
    customer_uid: $('customer_uid').value,
    buyer_tel: $('buyer_tel').value,
  };
  requestBillingKey(params).then(
    (result) => {
      const { raw, ...typed } = result;
      show(result.success ? 'success' : 'failure', { ...typed, rawKeys: Object.keys(raw ?? {}).sort() });
    },
    (err) => show('error', {
      instanceOfBillingKeyError: err instanceof BillingKeyError,
      // The names survive the package's minification, with the descriptors the language gives them.
      names: [requestBillingKey, loadIamport, newMerchantUid, parseRedirect, ready, BillingKeyError].map((f) => f.name).join(),
      classNameWritable: Object.getOwnPropertyDescriptor(BillingKeyError, 'name').writable,
      classKeys: Object.keys(BillingKeyError).length,
      name: err.name,
      code: err.code,
      field: err.field ?? null,
      message: err.message,
    }),
  );
});
