// The package as an app imports it, bundled by webpack 5 (production mode, no plugin). Importing it
// starts loading the wasm.
import * as billing from 'iamport-billing';
import { start, wireForm } from './form.js';

wireForm(billing, 'webpack');
start(billing);
