// Journeys as node:test tests: launch, named steps, a screenshot and the server log on failure.
import fs from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';

import { e2eSupport } from './canRun';
import type { LaunchOptions } from './launch';
import { log, RESULTS_DIR, ROOT, slug } from './paths';
import { VSCode } from './vscode';

export interface JourneyContext {
  vscode: VSCode;
  t: TestContext;
  /** A named step (a subtest); on failure it leaves a screenshot named after the journey and step. */
  step: (name: string, fn: () => unknown) => Promise<void>;
}

export interface JourneyOptions extends LaunchOptions {
  /** Whole-journey timeout (ms). Default 5 minutes. */
  timeout?: number;
  /** Skip with this reason (e.g. when a precondition is missing). */
  skip?: string | false;
}

let supportNoted = false;

/**
 * Declares a journey: a node:test test that launches VS Code with the extension, runs `fn`, takes
 * a screenshot + server log tail into test-results/ on failure, and always closes everything.
 * Skipped (with the reason) where e2eSupport() says e2e cannot run.
 */
export function journey(name: string, fn: (ctx: JourneyContext) => Promise<void>, opts: JourneyOptions = {}): void {
  const support = e2eSupport();
  const skip = opts.skip || (support.ok ? false : support.reason);
  if (skip && !supportNoted) {
    supportNoted = true;
    log(`skipping e2e: ${skip}`);
  }
  test(name, { skip, timeout: opts.timeout ?? 5 * 60_000 }, async (t) => {
    const vscode = await VSCode.launch(opts);
    let failedShot = false;
    const shoot = async (label: string) => {
      failedShot = true;
      const file = await vscode.screenshot(label).catch(() => undefined);
      if (file) t.diagnostic(`screenshot: ${path.relative(ROOT, file)}`);
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      fs.writeFileSync(path.join(RESULTS_DIR, `${slug(label)}.code-server.log`), vscode.serverLogTail(400));
      fs.writeFileSync(path.join(RESULTS_DIR, `${slug(label)}.extension.log`), vscode.extensionLog());
    };
    const step = async (stepName: string, body: () => unknown) => {
      let failed: unknown;
      await t.test(stepName, async () => {
        try {
          await body();
        } catch (err) {
          failed = err;
          await shoot(`${name} - ${stepName}`);
          throw err;
        }
      });
      // A failed subtest does not reject; stop the journey here rather than run later steps.
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a thrown non-Error is shown as it is
      if (failed) throw new Error(`step "${stepName}" failed: ${failed instanceof Error ? failed.message.split('\n')[0] : String(failed)}`);
    };
    try {
      t.diagnostic(`workbench ready in ${(vscode.startupMs / 1000).toFixed(1)} s`);
      await fn({ vscode, t, step });
    } catch (err) {
      if (!failedShot) await shoot(name);
      throw err;
    } finally {
      await vscode.close();
    }
  });
}
