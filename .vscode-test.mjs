// Extension-host tests in desktop VS Code, for contributors whose machine can download VS Code
// (`npx vscode-test`, with the devDependencies @vscode/test-cli and @vscode/test-electron).
//
// The project's own machines and CI cannot reach VS Code's download servers; there the same
// extension runs in a real workbench through code-server instead: `npm run test:e2e`
// (test/e2e/*.e2e.ts, see test/e2e/README.md) and `npm start`.
//
// Tests are mocha suites compiled to out/test/vscode/**/*.test.js, running inside the extension host
// with the `vscode` API. The extension under test is this folder (extensionDevelopmentPath), built
// to dist/extension.js by `npm run build` first.
import { defineConfig } from '@vscode/test-cli';

const kubeconfig = process.env.KUBECONFIG
  ?? '/dev/shm/agent-sandbox-vscode/kubeconfig'; // written by test/cluster/up.sh

export default defineConfig([
  {
    label: 'extension',
    files: 'out/test/vscode/**/*.test.js',
    version: process.env.VSCODE_TEST_VERSION ?? 'stable',
    extensionDevelopmentPath: '.',
    env: { KUBECONFIG: kubeconfig },
    launchArgs: [
      '--disable-extensions', // only the extension under test
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
    ],
    mocha: {
      ui: 'bdd',
      timeout: 60_000,
      color: true,
    },
  },
]);
