// The same importing module over the plain-JS baseline (see use-ours.js).
import * as lib from '../tests/reference/baseline.js';

window.__imported(performance.now(), lib);
