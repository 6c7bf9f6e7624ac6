// Checks invalid.ts more closely than `tsc` can (node check-invalid.mjs [DIR]: DIR's tsconfig.json and
// invalid.ts, default this folder; tests/types/server is the server entry's): with every `// @ts-expect-error [text] why` removed,
// each line that followed a directive must be an error whose message contains `text`, and no other
// line may be an error. (tsc alone only says each directive suppressed *some* error on its line.)

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const self = path.dirname(fileURLToPath(import.meta.url));
const here = path.resolve(process.argv[2] ?? self);
const require = createRequire(path.join(self, '../../package.json'));
const ts = require('typescript');

const configPath = path.join(here, 'tsconfig.json');
const invalidPath = path.join(here, 'invalid.ts');
const DIRECTIVE = /^(\s*)\/\/ @ts-expect-error \[([^\]]+)\] (.+)$/;

const original = readFileSync(invalidPath, 'utf8').split('\n');
const expected = new Map(); // line number (1-based) of the code → { text, why }
const stripped = original.map((line, i) => {
  const m = DIRECTIVE.exec(line);
  if (!m) {
    if (/^\s*\/\/\s*@ts-expect-error/.test(line)) throw new Error(`invalid.ts:${i + 1}: write directives as // @ts-expect-error [text] why`);
    return line;
  }
  expected.set(i + 2, { text: m[2], why: m[3] });
  return `${m[1]}// (expect an error below)`;
});
const strippedText = stripped.join('\n');

const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
const parsed = ts.parseJsonConfigFileContent(config, ts.sys, here);
const host = ts.createCompilerHost(parsed.options);
const readFile = host.readFile.bind(host);
host.readFile = (file) => (path.resolve(file) === invalidPath ? strippedText : readFile(file));
const getSourceFile = host.getSourceFile.bind(host);
host.getSourceFile = (file, languageVersion, ...rest) =>
  path.resolve(file) === invalidPath
    ? ts.createSourceFile(file, strippedText, languageVersion, true)
    : getSourceFile(file, languageVersion, ...rest);

const program = ts.createProgram({ rootNames: [invalidPath], options: parsed.options, host });
const errors = new Map(); // line → messages
for (const d of ts.getPreEmitDiagnostics(program)) {
  if (!d.file || path.resolve(d.file.fileName) !== invalidPath) {
    throw new Error(`an error outside invalid.ts: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  }
  const line = d.file.getLineAndCharacterOfPosition(d.start).line + 1;
  const list = errors.get(line) ?? [];
  list.push(`TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  errors.set(line, list);
}

let failed = 0;
let passed = 0;
for (const [line, { text, why }] of expected) {
  const messages = errors.get(line) ?? [];
  if (messages.length === 0) {
    failed += 1;
    console.log(`not ok invalid.ts:${line} is not an error (${why})`);
  } else if (!messages.some((m) => m.includes(text))) {
    failed += 1;
    console.log(`not ok invalid.ts:${line} (${why}): no error mentions "${text}":\n    ${messages.join('\n    ')}`);
  } else {
    passed += 1;
    console.log(`ok invalid.ts:${line} ${why}`);
  }
}
for (const [line, messages] of errors) {
  if (!expected.has(line)) {
    failed += 1;
    console.log(`not ok invalid.ts:${line} is an unexpected error:\n    ${messages.join('\n    ')}`);
  }
}
if (expected.size === 0) {
  failed += 1;
  console.log('not ok invalid.ts has no directives');
}
console.log(`types: ${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
