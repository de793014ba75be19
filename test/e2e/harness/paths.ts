// Where the e2e harness reads and writes: the project, test results, the README's pictures.
import path from 'node:path';

import { PROJECT_ROOT } from '../../../scripts/codeserver.mjs';

export const ROOT = PROJECT_ROOT;
export const RESULTS_DIR = path.join(ROOT, 'test-results');
export const README_IMAGES_DIR = path.join(ROOT, 'docs', 'images');
export const DEFAULT_VSIX = path.join(ROOT, 'dist', 'agent-sandbox.vsix');

/** A file name for a journey or step name. */
export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 80) || 'screenshot'
  );
}

/** The harness's own progress lines, on stderr beside the test report. */
export const log = (msg: string) => process.stderr.write(`[e2e] ${msg}\n`);
