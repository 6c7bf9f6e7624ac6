// Trims wasm-bindgen's web-target bindings (the staged bindings.js) of what the npm package never
// runs, before esbuild bundles them into core.js. Usage: node scripts/trim-bindings.mjs <bindings.js> <the .wasm>
// Each edit must match the pinned wasm-bindgen's output exactly: when one does not (a new version
// writes it differently), the build stops here rather than ship something unchecked.
//  - The glue module is imported as a namespace (`import * as importN`), one per import block, to be
//    the wasm's import object for that module: a namespace keeps every export of js/glue.js and its
//    export table in core.js. An object of the functions the wasm imports from it does the same job.
//  - initSync's warning about a deprecated argument form: core.js always passes `{ module }`.
//  - passStringToWasm0's branch for a missing `realloc`: every call passes `__wbindgen_realloc`.
//  - passStringToWasm0's encodeInto: the UTF-8 of the rest of a string written by a loop instead;
//    getStringFromWasm0 answers '' without a TextDecoder call.
import fs from 'node:fs';

const [file, wasmFile] = process.argv.slice(2);
let js = fs.readFileSync(file, 'utf8');

function edit(what, from, to) {
  const next = js.replace(from, to);
  if (next === js) {
    console.error(`trim-bindings: ${what} not found in ${file}: check scripts/trim-bindings.mjs against this wasm-bindgen`);
    process.exit(1);
  }
  js = next;
}

const namespaces = [...js.matchAll(/^import \* as (import\d+) from "([^"]+)";?\n/gm)];
const path = namespaces[0]?.[2];
if (!path || namespaces.some((m) => m[2] !== path)) {
  console.error(`trim-bindings: expected the glue imported as namespaces of one module in ${file}`);
  process.exit(1);
}
const wasm = new WebAssembly.Module(fs.readFileSync(wasmFile));
const names = WebAssembly.Module.imports(wasm).filter((i) => i.module === path).map((i) => i.name);
const escaped = path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
edit('the namespace imports', /^import \* as import\d+ from "[^"]+";?\n/gm, '');
js = `import { ${names.join(', ')} } from "${path}";\n${js}`;
edit('the namespaces in the import object', new RegExp(`^(\\s*)"${escaped}": import\\d+,\\n(\\s*"${escaped}": import\\d+,\\n)*`, 'm'), `$1"${path}": { ${names.join(', ')} },\n`);
if (js.includes(': import1')) {
  console.error(`trim-bindings: a namespace is still used in ${file}`);
  process.exit(1);
}
edit(
  "initSync's warning",
  "console.warn('using deprecated parameters for `initSync()`; pass a single object instead')",
  '',
);
edit(
  "passStringToWasm0's branch without realloc",
  /\n {4}if \(realloc === undefined\) \{\n(?: {8}.*\n)+? {4}\}\n/,
  '\n',
);
// UTF-8 past the first non-ASCII character written here, as the ASCII part before it already is:
// for the short strings that cross (a call's JSON), a loop costs less than a call of encodeInto.
// A lone surrogate becomes U+FFFD, as encodeInto writes it; at most 3 bytes a UTF-16 unit.
edit(
  "passStringToWasm0's encodeInto",
  /\n {4}if \(offset !== len\) \{\n(?: {8}.*\n|\n)+? {4}\}\n/,
  `
    if (offset !== len) {
        ptr = realloc(ptr, len, len = offset + (len - offset) * 3, 1) >>> 0;
        const mem = getUint8ArrayMemory0();
        for (let i = offset, at = ptr + offset; i < arg.length; i++) {
            let c = arg.codePointAt(i);
            if (c < 0x80) mem[at++] = c;
            else {
                if (c < 0x800) mem[at++] = 0xc0 | (c >> 6);
                else {
                    if (c > 0xffff) {
                        i++;
                        mem[at++] = 0xf0 | (c >> 18);
                        mem[at++] = 0x80 | ((c >> 12) & 63);
                    } else {
                        if (c >> 11 === 0x1b) c = 0xfffd;
                        mem[at++] = 0xe0 | (c >> 12);
                    }
                    mem[at++] = 0x80 | ((c >> 6) & 63);
                }
                mem[at++] = 0x80 | (c & 63);
            }
            offset = at - ptr;
        }
        ptr = realloc(ptr, len, offset, 1) >>> 0;
    }
`,
);
edit('the unused TextEncoder', /\nconst cachedTextEncoder = new TextEncoder\(\);\n/, '\n');
// No TextDecoder call for an empty string (a Promise call's answer, a page call that went well).
edit(
  "getStringFromWasm0's empty string",
  /\n {4}ptr = ptr >>> 0;\n {4}return decodeText\(/,
  '\n    ptr = ptr >>> 0;\n    if (len === 0) return "";\n    return decodeText(',
);
fs.writeFileSync(file, js);
