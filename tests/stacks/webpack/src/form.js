// What both pages share: the package's status, the sandbox SDK, and the form → requestBillingKey →
// the result panel. `billing` is the module the page imported ('iamport-billing' or its /pure entry).

const $ = (id) => document.querySelector(`[data-testid="${id}"]`);

function show(state, value) {
  $('result').dataset.state = state;
  $('result').textContent = JSON.stringify(value, null, 2);
  $('result').dataset.seq = String(Number($('result').dataset.seq) + 1);
}

/** Waits for the wasm and loads the sandbox SDK; enables the button when both are there. */
export function start({ ready, loadIamport }) {
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
}

/** Submitting the form requests a key with merchant_uids made with `prefix`. */
export function wireForm({ requestBillingKey, newMerchantUid, BillingKeyError }, prefix) {
  document.getElementById('form').addEventListener('submit', (event) => {
    event.preventDefault();
    requestBillingKey({
      pg: 'danal_tpay',
      pay_method: 'card',
      merchant_uid: newMerchantUid(prefix),
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
}
