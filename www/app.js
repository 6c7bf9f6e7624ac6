// The demo's integration of iamport-billing, the part to copy: what README.md shows, on a real form.
//   1. Early, once per page: `ready()` (the wasm) and `loadIamport()` (iamport's SDK and IMP.init);
//      the button is enabled only then, so that
//   2. inside the click, `requestBillingKey()` opens the payment window before it returns, and
//   3. its result is narrowed on `success`: the ids go to your server, a failure is shown; a
//      BillingKeyError is an integration mistake, `err.field` names the field to fix.
// What is the demo's own lives apart: ui.js draws the form and the result panel, server-panel.js
// stands in for your server (the REST calls that come after the window).
import { ready, loadIamport, requestBillingKey, newMerchantUid } from './pkg/index.js';
import {
  form, submit, mode, merchantCode, setStatus, setBusy, setUpMode, wireForm, readParams, renewMerchantUid,
  clearFieldErrors, showFieldError, showSuccess, showFailure, showError,
} from './ui.js';
import { serverPanel } from './server-panel.js';

/** The stand-in for iamport's SDK (www/sandbox/), with the sandbox's merchant code. */
const SANDBOX = { src: './sandbox/iamport-sandbox.js', merchantCode: 'imp00000000' };

/** Inside the click handler, once the SDK is loaded: `IMP.request_pay` runs before this returns. */
function request(params) {
  setBusy(true);
  requestBillingKey(params)
    .then((result) => {
      if (result.success) {
        // Your page would POST result.imp_uid, merchant_uid and customer_uid to your server here.
        showSuccess(result, ...serverPanel(result, { mode, newMerchantUid }));
        renewMerchantUid(newMerchantUid); // this merchant_uid is paid now
      } else {
        showFailure(result); // declined, or closed by the person: a result, not an error
      }
    }, showError) // a BillingKeyError: INVALID_PARAM (err.field), IN_PROGRESS, TIMEOUT …
    .finally(() => setBusy(false));
}

// Live mode: iamport's SDK starts loading as soon as a merchant code is entered, so that on submit
// requestBillingKey (and IMP.request_pay) usually runs synchronously inside the click handler.
let liveReady = null; // the merchant code whose SDK load succeeded

function preloadLive() {
  const code = merchantCode();
  if (!/^imp[0-9]{8}$/.test(code) || liveReady === code) return;
  loadIamport({ merchantCode: code }).then(
    () => {
      liveReady = code;
      setStatus('ready', `아임포트 SDK 준비됨 (${code})`, 'iamport SDK ready');
    },
    () => {}, // reported on submit, next to the field
  );
}

async function requestLive(params) {
  const code = merchantCode();
  if (code === '') {
    showFieldError('merchant_code', '가맹점 식별코드를 입력하세요. (Enter your merchant code: imp + 8 digits.)');
    return;
  }
  if (liveReady === code) {
    request(params); // synchronous: still inside the click handler
    return;
  }
  setBusy(true, 'SDK 불러오는 중…', 'Loading the SDK…');
  try {
    await loadIamport({ merchantCode: code });
  } catch (err) {
    setBusy(false);
    if (err?.code === 'SDK_LOAD_FAILED') {
      setStatus('error', '아임포트 SDK를 불러오지 못했습니다.', 'The iamport SDK did not load.');
    }
    showError(err);
    return;
  }
  liveReady = code;
  setStatus('ready', `아임포트 SDK 준비됨 (${code})`, 'iamport SDK ready');
  // First submit before the preload finished: still within the click's user activation (a few
  // seconds): iamport opens an iframe on a PC and redirects on a phone, so no popup blocker is involved.
  request(params);
}

async function main() {
  setUpMode();
  try {
    await ready(); // the synchronous exports (newMerchantUid, parseRedirect…) need the wasm
  } catch (err) {
    setStatus('error', 'WebAssembly를 불러오지 못했습니다.', `The WebAssembly module did not load: ${err.message ?? err}`);
    return;
  }
  wireForm(newMerchantUid);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearFieldErrors();
    const params = readParams();
    if (mode === 'live') requestLive(params);
    else request(params);
  });

  if (mode === 'live') {
    setStatus('idle', '실결제 모드: 가맹점 식별코드를 입력하면 아임포트 SDK를 불러옵니다.', 'Live: the SDK loads once you enter your merchant code.');
    document.getElementById('merchant_code').addEventListener('change', preloadLive);
    submit.disabled = false;
    return;
  }
  try {
    await loadIamport(SANDBOX);
    setStatus('ready', `샌드박스 SDK 준비됨 (${SANDBOX.merchantCode})`, 'Sandbox SDK ready');
    submit.disabled = false;
  } catch (err) {
    setStatus('error', '샌드박스 SDK를 불러오지 못했습니다.', `The sandbox SDK did not load: ${err.message ?? err}`);
  }
}

main();
