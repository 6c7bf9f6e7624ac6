// The side-effect-free entry: importing `iamport-billing/pure` loads nothing; the wasm loads when
// the person presses Start (ready() and loadIamport), then the page works as the default one does.
import * as billing from 'iamport-billing/pure';
import { start, wireForm } from './form.js';

wireForm(billing, 'pure');
document.querySelector('[data-testid="start"]').addEventListener('click', () => start(billing), { once: true });
