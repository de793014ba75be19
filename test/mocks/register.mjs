// `node --import tsx --import ./test/mocks/register.mjs`: `import … from 'vscode'` in the code under
// test gets test/mocks/vscode.ts, so thin adapters run in plain Node (unit layer only).
// Why not module.register(): tsx compiles this repository's .ts files to CommonJS, and on Node 20
// the ESM resolve hooks do not see require(); the CommonJS resolver is the one both paths share.
import Module from 'node:module';
import { fileURLToPath } from 'node:url';

const mock = fileURLToPath(new URL('./vscode.ts', import.meta.url));
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? mock : resolveFilename.call(this, request, ...rest);
};
