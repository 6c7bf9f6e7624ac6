// The side-effect-free entry: importing `iamport-billing/pure` loads nothing; the wasm loads when
// the person presses Start, then the page works as the default one does.
import * as billing from 'iamport-billing/pure';
import { start, wireForm } from './form.js';
import './style.css';

wireForm(billing, 'pure');
document.querySelector('[data-testid="start"]').addEventListener('click', () => start(billing), { once: true });
