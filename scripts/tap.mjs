// Reading node:test's TAP report. Its `# skipped` summary counts skipped tests but not skipped
// suites (`describe(…, { skip })`), so a whole skipped suite would pass CI unseen.

/** Every `ok … # SKIP` line of a TAP report: tests and suites alike, at any depth. */
export function skippedCount(tap) {
  return tap.split('\n').filter((l) => /^\s*ok \d+ - .* # SKIP\b/i.test(l)).length;
}
