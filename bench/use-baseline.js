// The same importing module over the plain-JS baseline (see use-ours.js).
import * as lib from './baseline.js';

window.__imported(performance.now(), lib);
