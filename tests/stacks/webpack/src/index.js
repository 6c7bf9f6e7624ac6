// The package as an app imports it, bundled by webpack 5 (production mode, no plugin).
import { requestBillingKey, loadIamport, newMerchantUid, ready, BillingKeyError } from 'iamport-billing';

const $ = (id) => document.querySelector(`[data-testid="${id}"]`);

function show(state, value) {
  $('result').dataset.state = state;
  $('result').textContent = JSON.stringify(value, null, 2);
  $('result').dataset.seq = String(Number($('result').dataset.seq) + 1);
}

ready().then(
  () => { $('wasm-status').dataset.state = 'ready'; $('wasm-status').textContent = 'Package ready'; },
  (err) => { $('wasm-status').dataset.state = 'error'; $('wasm-status').textContent = String(err); },
);

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
  requestBillingKey({
    pg: 'danal_tpay',
    pay_method: 'card',
    merchant_uid: newMerchantUid('webpack'),
    name: '최초인증결제',
    amount: Number($('amount').value),
    customer_uid: $('customer_uid').value,
    buyer_email: 'iamport@siot.do',
    buyer_name: '아임포트',
    buyer_tel: $('buyer_tel').value,
  }).then(
    ({ raw, ...result }) => show(result.success ? 'success' : 'failure', result),
    (err) => show('error', {
      instanceOfBillingKeyError: err instanceof BillingKeyError,
      name: err.name,
      code: err.code,
      field: err.field ?? null,
      message: err.message,
    }),
  );
});
