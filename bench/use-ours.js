// An importing module, as an application writes it: the package is a static import, and the first
// line of the module's own code records the time (bench/load.html and bench/click.html say what
// happens next).
import * as lib from '../pkg/index.js';

window.__imported(performance.now(), lib);
