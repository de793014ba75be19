// Lint enforces the architecture (see CONTRIBUTING.md "Boundaries"): what a rule can check is not
// left to review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const vscodeAtRuntime = {
  name: 'vscode',
  allowTypeImports: true,
  message: 'src/core and src/shared run without VS Code: import only types from "vscode" here.',
};

export default tseslint.config(
  // Plain JS (scripts, the e2e probe extension) is not linted: it is small and not type-checked.
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', '**/*.mjs', '**/*.d.mts', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-console': 'error',
      // A variable a callback reads before its one assignment (exec handlers, test hooks) stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Names from sandboxes are checked for control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // The extension host's own code: settings and commands each go through one module.
    files: ['src/extension/**/*.ts'],
    ignores: ['src/extension/config.ts', 'src/extension/commands/support.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='getConfiguration']", message: 'Read and write settings through src/extension/config.ts.' },
        {
          selector: 'CallExpression[callee.property.name=/^(onDidChangeConfiguration|affectsConfiguration)$/]',
          message: 'Follow settings changes through onDidChangeSettings in src/extension/config.ts (typed keys, reconnect marks).',
        },
        {
          selector: "CallExpression[callee.property.name='registerCommand']",
          message: 'Register commands through register() in src/extension/commands/support.ts.',
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [vscodeAtRuntime],
          patterns: [{ regex: '(^|/)(extension|webviews)(/|$)', message: 'core and shared never depend on the extension host or the webviews.' }],
        },
      ],
    },
  },
  {
    files: ['src/extension/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          // The top-level webviews/ folder (details, logs, pool, shared) is the browser build;
          // src/extension/webviews is the host side of it and may be imported.
          patterns: [
            {
              regex: '^(\\.\\./)+webviews/(details|logs|pool|shared)(/|$)',
              message: 'The extension host and the webviews are separate builds; share types through src/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['webviews/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Webviews run in the browser: talk to the host through the typed protocol in src/shared.' }],
          patterns: [{ regex: '(^|/)src/(extension|core)(/|$)', message: 'Webviews import only src/shared (the protocol).' }],
        },
      ],
    },
  },
  {
    // Webview render code builds View trees (webviews/shared/view.ts) and is tested in plain Node;
    // only these files touch the page.
    files: ['webviews/**/*.ts'],
    ignores: ['webviews/*/main.ts', 'webviews/shared/dom.ts', 'webviews/shared/vscodeApi.ts', 'webviews/shared/styleNonce.ts', 'webviews/logs/theme.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['document', 'window', 'getComputedStyle', 'navigator'].map((name) => ({
          name,
          message: 'Render code returns View trees and stays DOM-free (tested in Node); mount them in main.ts through shared/dom.ts.',
        })),
      ],
    },
  },
  {
    // node:test's describe/it return promises the runner awaits itself.
    files: ['test/**/*.ts'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      // Fakes implement async interfaces with synchronous bodies: `async` keeps their throws as
      // rejections, as the real implementations behave.
      '@typescript-eslint/require-await': 'off',
      // Tests parse package.json, `kubectl -o json` and fixtures straight into assertions: a wrong
      // shape fails the assertion, which is the check. src/ types its parse sites instead.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
