// The package as an app would use it: a bare import, bundled by Vite (no wasm plugin).
import * as billing from 'iamport-billing';
import { start, wireForm } from './form.js';
import './style.css';

wireForm(billing, 'spa');
start(billing);
