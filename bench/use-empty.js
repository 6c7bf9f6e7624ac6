// The same importing module over an empty module: what any import costs here (see use-ours.js).
import * as lib from './empty.js';

window.__imported(performance.now(), lib);
