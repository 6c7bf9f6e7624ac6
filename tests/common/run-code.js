// A script for the browser tests to load through loadIamport (see pageScript in stub.js): it runs
// the code in its own `code` query parameter. It is served from the test page's origin.
(0, eval)(new URL(document.currentScript.src).searchParams.get('code') ?? '');
