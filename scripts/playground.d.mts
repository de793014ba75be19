// Types for playground.mjs (used from TypeScript by test/e2e/harness/).
import type { CodeServerInstall, Log } from './codeserver.mjs';

export const PLAYGROUND_SETTINGS: Record<string, unknown>;
export function preparePlayground(
  install: CodeServerInstall,
  options: { vsix: string; extensionsDir: string; userDataDir: string; workspace: string; settings?: Record<string, unknown> | undefined; log?: Log },
): Promise<void>;
export function localRouterSetting(userDataDir: string, context: string, routerUrl: string): Record<string, unknown>;
