// What both pages share: the sandbox SDK, and the form → requestBillingKey → the result as JSON.
// `billing` is the module the page imported ('iamport-billing' or its /pure entry).

const $ = (id) => document.querySelector(`[data-testid="${id}"]`);

function show(state, value) {
  const output = $('result');
  output.dataset.state = state;
  output.textContent = JSON.stringify(value, null, 2);
}

/** Loads the sandbox SDK (and so the wasm); enables the button once it is there. */
export function start({ loadIamport }) {
  return loadIamport({ src: '/sandbox/iamport-sandbox.js', merchantCode: 'imp00000000' }).then(
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
export function wireForm(billing, prefix) {
  const { requestBillingKey, loadIamport, newMerchantUid, parseRedirect, ready, BillingKeyError } = billing;
  document.getElementById('form').addEventListener('submit', (event) => {
    event.preventDefault();
    const params = {
      pg: 'danal_tpay',
      pay_method: 'card',
      merchant_uid: newMerchantUid(prefix),
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
}
