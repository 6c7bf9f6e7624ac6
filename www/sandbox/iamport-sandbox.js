/*
 * iamport-sandbox.js — a stand-in for iamport v1's `IMP` (https://cdn.iamport.kr/v1/iamport.js),
 * limited to what a page issuing a Danal credit-card billing key sees:
 *
 *   IMP.init(merchantCode)
 *   IMP.request_pay(param, callback)   opens an in-page "다날 신용카드 (SANDBOX)" window
 *
 * Decided in the browser, it answers like the newest v1 SDK: no `success` field. Success carries imp_uid
 * (`imps_` + 12 digits), merchant_uid, pay_method, paid_amount, status, pg_provider 'danal_tpay', pg_tid,
 * name, card_name, a masked card_number, apply_num, paid_at (unix seconds) and the buyer_* fields; a
 * failure carries imp_uid, merchant_uid, error_code and error_msg.
 *
 * When the page was served by the sandbox server (`iamport-sandbox`, `make demo`), the window's choice
 * goes to it: `POST /__sandbox/window/pay` (same origin) with the request_pay param plus `outcome`
 * ('approve' | 'decline' | 'cancel') and the test card picked (`card_name`, `card_number`), and the callback gets the server's answer, so the payment and the
 * billing key exist where a merchant server can see them through the REST API. When no sandbox server
 * answers (a plain static server says 404 or 405, or nothing is listening), the window decides in the
 * browser as before, remembers that for the rest of the page, and says so in the window.
 *
 * It keeps no payments or billing keys of its own: the sandbox server is the one state (a paid
 * merchant_uid is refused there, keys live there, a merchant server reads them over the REST API).
 * Without a server, the window's answer is made up on the spot and remembered nowhere, so nothing is
 * refused as already paid and no key exists anywhere. Nothing but the same-origin sandbox server is
 * ever contacted.
 *
 * Error codes and card data are the sandbox's own: they have Danal's shape, they are not a catalogue
 * of real codes. The server's answer carries `success`, the browser's does not (like the newest v1 SDK):
 * a page must handle both. Redirect mode (m_redirect_url on mobile) is not simulated: the callback is always used.
 *
 * CSP: no inline script or style. The window's look comes from iamport-sandbox.css next to this file.
 */
(function () {
  'use strict';

  if (window.IMP_SANDBOX) return; // loaded twice: keep the first (and its state)

  var PG = 'danal_tpay';
  var CARDS = [
    { name: '신한카드', number: '4518-42**-****-3201' },
    { name: 'KB국민카드', number: '5409-27**-****-8812' },
    { name: '삼성카드', number: '5310-57**-****-4407' },
    { name: '현대카드', number: '4092-20**-****-1536' },
  ];
  var TEST_CHARGE_NOTE =
    '금액 0원: 카드 확인을 위해 다날이 10원을 결제하고 약 30분 뒤 자동 취소합니다. ' +
    '(Amount 0: Danal charges 10 KRW to check the card and cancels it automatically after about 30 minutes.)';

  // Where this script came from: its stylesheet sits beside it.
  var scriptSrc = (document.currentScript && document.currentScript.src) || document.baseURI;

  var SERVER_PATH = '/__sandbox/window/pay';
  // Statuses that mean "no sandbox server here" (a static server): decide in the browser instead.
  var NO_SERVER = [404, 405, 501];

  var merchantCode = null;
  var openWindow = null; // the request whose window is open
  var backend = null; // 'server' or 'browser' once known for this page

  // ---- small helpers -----------------------------------------------------------------------------

  function digits(n) {
    var bytes = new Uint8Array(n);
    window.crypto.getRandomValues(bytes);
    var out = '';
    for (var i = 0; i < n; i++) out += String(bytes[i] % 10);
    return out;
  }

  function newImpUid() {
    return 'imps_' + digits(12);
  }

  function pgTid() {
    var d = new Date();
    var pad = function (v) { return (v < 10 ? '0' : '') + v; };
    return String(d.getFullYear()) + pad(d.getMonth() + 1) + pad(d.getDate()) + pad(d.getHours()) +
      pad(d.getMinutes()) + pad(d.getSeconds()) + digits(6);
  }

  function nowSeconds() {
    return Math.floor(Date.now() / 1000);
  }

  function str(v) {
    return typeof v === 'string' ? v : undefined;
  }

  function isObject(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  }

  function won(amount) {
    return amount.toLocaleString('ko-KR') + '원';
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Calls back later, as the SDK does (after its window closes); a throwing callback is reported, not rethrown here.
  function answer(callback, response) {
    window.setTimeout(function () {
      try {
        callback(response);
      } catch (e) {
        window.setTimeout(function () { throw e; });
      }
    }, 0);
  }

  function failure(impUid, merchantUid, code, msg) {
    return { imp_uid: impUid, merchant_uid: merchantUid, error_code: code, error_msg: msg };
  }

  function ensureStylesheet() {
    var href;
    try {
      href = new URL('iamport-sandbox.css', scriptSrc).href;
    } catch (_) {
      return;
    }
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) if (links[i].href === href) return;
    var link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    (document.head || document.documentElement).appendChild(link);
  }

  // ---- what iamport checks before opening a window ------------------------------------------------

  // Returns a failure's [code, message] or null when the request can go to the window.
  function refuse(param) {
    var pg = str(param.pg);
    if (!str(param.channelKey) && pg !== undefined && pg !== PG && pg.indexOf(PG + '.') !== 0) {
      return ['INVALID_PG', 'SANDBOX는 다날 신용카드(danal_tpay)만 지원합니다. (The sandbox supports pg danal_tpay only.)'];
    }
    if (param.pay_method !== undefined && param.pay_method !== 'card') {
      return ['INVALID_PAY_METHOD', '빌링키는 신용카드(card)로만 발급됩니다. (Billing keys are issued for pay_method card only.)'];
    }
    if (!str(param.customer_uid)) {
      return ['CUSTOMER_UID_REQUIRED', '빌링키 발급에는 customer_uid가 필요합니다. (customer_uid is required to issue a billing key.)'];
    }
    var amount = param.amount;
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) {
      return ['INVALID_AMOUNT', '결제금액(amount)이 올바르지 않습니다. (amount must be a whole number of KRW, 0 or more.)'];
    }
    if (!str(param.buyer_tel)) {
      return ['BUYER_TEL_REQUIRED', '다날 결제창에는 구매자 전화번호(buyer_tel)가 필요합니다. (Danal needs buyer_tel.)'];
    }
    return null;
  }

  // ---- the window ---------------------------------------------------------------------------------

  function row(list, label, value, testid) {
    var dt = el('dt', null, label);
    var dd = el('dd', null, value);
    if (testid) dd.setAttribute('data-testid', testid);
    list.append(dt, dd);
  }

  function button(ko, en, kind, testid) {
    var b = el('button', 'imp-sbx-btn imp-sbx-btn-' + kind);
    b.append(el('span', null, ko), el('span', 'imp-sbx-btn-en', en));
    b.type = 'button';
    b.setAttribute('data-testid', testid);
    return b;
  }

  // Opens the window; `decide(choice, card)` runs once with 'approve', 'decline' or 'cancel'.
  function showWindow(request, decide) {
    ensureStylesheet();
    var dialog = el('dialog', 'imp-sbx');
    dialog.setAttribute('data-testid', 'sandbox-window');
    dialog.setAttribute('aria-labelledby', 'imp-sbx-title');

    var head = el('header', 'imp-sbx-head');
    var title = el('h2', 'imp-sbx-title', '다날 신용카드 (SANDBOX)');
    title.id = 'imp-sbx-title';
    head.append(title, el('p', 'imp-sbx-sub', backend === 'browser'
      ? '샌드박스 서버 없음: 이 브라우저 안에서 처리 — 실제 결제가 아닙니다 · No sandbox server: decided in this browser, no real payment'
      : '샌드박스 — 실제 결제가 아닙니다 · Sandbox: no real payment'));

    var list = el('dl', 'imp-sbx-list');
    row(list, '상품명 · Name', request.name || '(이름 없음 · no name)', 'sandbox-name');
    row(list, '결제금액 · Amount', request.amount === 0 ? '0원 — 빌링키 발급만 (key only)' : won(request.amount), 'sandbox-amount');
    row(list, '고객 · customer_uid', request.customer_uid, 'sandbox-customer_uid');
    row(list, '주문번호 · merchant_uid', request.merchant_uid, 'sandbox-merchant_uid');
    if (merchantCode) row(list, '가맹점 · Merchant', merchantCode);

    var body = el('div', 'imp-sbx-body');
    body.append(list);
    if (request.amount === 0) {
      var note = el('p', 'imp-sbx-note', TEST_CHARGE_NOTE);
      note.setAttribute('data-testid', 'sandbox-test-charge-note');
      body.append(note);
    }

    var cardLabel = el('label', 'imp-sbx-card');
    var select = el('select');
    select.setAttribute('data-testid', 'sandbox-card');
    CARDS.forEach(function (card, i) {
      var option = el('option', null, card.name + '  ' + card.number);
      option.value = String(i);
      select.append(option);
    });
    cardLabel.append(el('span', null, '테스트 카드 · Test card'), select);
    body.append(cardLabel);

    var approve = button('승인', 'Approve', 'approve', 'sandbox-approve');
    var decline = button('거절', 'Decline', 'decline', 'sandbox-decline');
    var cancel = button('취소', 'Cancel', 'cancel', 'sandbox-cancel');
    var actions = el('div', 'imp-sbx-actions');
    actions.append(approve, decline, cancel);
    // What happens after a click, read out by screen readers: "sending to the sandbox server…".
    var status = el('p', 'imp-sbx-status');
    status.setAttribute('role', 'status');
    status.setAttribute('data-testid', 'sandbox-status');

    dialog.append(head, body, actions, status);
    document.body.appendChild(dialog);

    var done = false;
    function finish(choice) {
      if (done) return;
      done = true;
      var card = CARDS[Number(select.value)] || CARDS[0];
      dialog.setAttribute('aria-busy', 'true');
      [approve, decline, cancel, select].forEach(function (control) { control.disabled = true; });
      if (backend !== 'browser') {
        status.textContent = '샌드박스 서버로 보내는 중… · Sending to the sandbox server…';
      }
      // The window stays up (busy) until the answer is known, then closes.
      decide(choice, card, function close() {
        dialog.close();
        dialog.remove();
      });
    }
    approve.addEventListener('click', function () { finish('approve'); });
    decline.addEventListener('click', function () { finish('decline'); });
    cancel.addEventListener('click', function () { finish('cancel'); });
    // Escape closes the window like the close button.
    dialog.addEventListener('cancel', function (event) {
      event.preventDefault();
      finish('cancel');
    });

    dialog.showModal();
    approve.focus();
  }

  // ---- IMP ----------------------------------------------------------------------------------------

  function init(code) {
    merchantCode = typeof code === 'string' ? code : String(code);
  }

  function request_pay(param, callback) {
    if (typeof callback !== 'function') callback = function () {};
    param = isObject(param) ? param : {};
    var merchantUid = str(param.merchant_uid) || 'nobody_' + Date.now();

    if (!merchantCode) {
      return answer(callback, failure(null, merchantUid, 'NOT_INITIALIZED',
        '가맹점 식별코드가 설정되지 않았습니다. IMP.init()을 먼저 호출하세요. (Call IMP.init(merchantCode) first.)'));
    }
    if (openWindow) {
      return answer(callback, failure(null, merchantUid, 'WINDOW_ALREADY_OPEN',
        '결제창이 이미 열려 있습니다. (A payment window is already open.)'));
    }
    var refused = refuse(param);
    if (refused) return answer(callback, failure(null, merchantUid, refused[0], refused[1]));

    var request = {
      merchant_uid: merchantUid,
      customer_uid: param.customer_uid,
      amount: param.amount,
      name: str(param.name) || '',
      buyer_name: str(param.buyer_name),
      buyer_email: str(param.buyer_email),
      buyer_tel: str(param.buyer_tel),
      buyer_addr: str(param.buyer_addr),
      buyer_postcode: str(param.buyer_postcode),
      custom_data: param.custom_data,
    };

    openWindow = request;
    showWindow(request, function (choice, card, close) {
      decideOnServer(param, merchantUid, choice, card).then(function (response) {
        openWindow = null;
        close();
        answer(callback, response || settle(request, choice, card));
      });
    });
  }

  // ---- the sandbox server -------------------------------------------------------------------------

  // The param as JSON (functions and undefined dropped), plus the window's decision.
  function serverBody(param, choice, card) {
    var body;
    try {
      body = JSON.parse(JSON.stringify(param));
    } catch (_) {
      body = {};
    }
    if (!isObject(body)) body = {};
    body.outcome = choice;
    // The test card picked in the window (the server may choose its own).
    body.card_name = card.name;
    body.card_number = card.number;
    return body;
  }

  /**
   * Resolves the server's answer for the callback, or null when the browser decides: no sandbox
   * server answered (now or earlier in this page). Never rejects.
   */
  function decideOnServer(param, merchantUid, choice, card) {
    if (backend === 'browser' || typeof window.fetch !== 'function') return Promise.resolve(null);
    var url;
    try {
      url = new URL(SERVER_PATH, window.location.href).href;
    } catch (_) {
      return Promise.resolve(null);
    }
    var noServer = function (why) {
      if (backend === 'server') {
        // It answered before: a failure now is the server's, not a reason to switch.
        return failure(null, merchantUid, 'SANDBOX_SERVER_UNREACHABLE',
          '샌드박스 서버가 응답하지 않습니다. (The sandbox server did not answer: ' + why + '.)');
      }
      backend = 'browser';
      if (window.console) {
        window.console.info('iamport-sandbox: no sandbox server at ' + SERVER_PATH + ' (' + why + '): the window decides in the browser.');
      }
      return null;
    };
    return window.fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(serverBody(param, choice, card)),
      credentials: 'same-origin',
      cache: 'no-store',
    }).then(function (res) {
      if (NO_SERVER.indexOf(res.status) >= 0) return noServer('HTTP ' + res.status);
      return res.json().then(function (data) {
        backend = 'server';
        if (isObject(data) && typeof data.success === 'boolean') return data;
        // An envelope error ({code, message, response}) or something else: a failure with its message.
        var message = isObject(data) && typeof data.message === 'string' ? data.message : 'HTTP ' + res.status;
        return failure(null, merchantUid, 'SANDBOX_SERVER_ERROR',
          '샌드박스 서버가 거절했습니다: ' + message + ' (The sandbox server refused the request.)');
      }, function () {
        return noServer('HTTP ' + res.status + ', not JSON');
      });
    }, function (err) {
      return noServer(String((err && err.message) || err));
    });
  }

  // ---- in the browser (no sandbox server) ---------------------------------------------------------

  // The answer only: nothing is kept (no server holds this payment or key either).
  function settle(request, choice, card) {
    var impUid = newImpUid();
    if (choice !== 'approve') {
      return choice === 'decline'
        ? failure(impUid, request.merchant_uid, '4100',
          '[4100] 카드사 승인 거절: 한도 초과 (SANDBOX: the card issuer declined this card)')
        : failure(impUid, request.merchant_uid, 'USER_CANCEL',
          '[결제포기] 사용자가 결제를 취소하셨습니다. (The person closed the payment window.)');
    }
    var paidAt = nowSeconds();
    var response = {
      imp_uid: impUid,
      merchant_uid: request.merchant_uid,
      pay_method: 'card',
      paid_amount: request.amount,
      status: 'paid',
      name: request.name,
      pg_provider: PG,
      pg_type: 'payment',
      pg_tid: pgTid(),
      currency: 'KRW',
      card_name: card.name,
      card_number: card.number,
      card_quota: 0,
      apply_num: digits(8),
      paid_at: paidAt,
    };
    ['buyer_name', 'buyer_email', 'buyer_tel', 'buyer_addr', 'buyer_postcode'].forEach(function (key) {
      if (request[key] !== undefined) response[key] = request[key];
    });
    if (request.custom_data !== undefined) response.custom_data = request.custom_data;
    return response;
  }

  window.IMP = { init: init, request_pay: request_pay };

  /** The sandbox's own controls, for the demo page and tests. Not part of iamport's SDK. */
  window.IMP_SANDBOX = Object.freeze({
    version: 3,
    /** Who decided the last window: 'server' (the sandbox server), 'browser', or null before the first. */
    backend: function () {
      return backend;
    },
  });
})();
