import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { skippedCount } from '../../../scripts/tap.mjs';

// The report of a run where a whole suite was skipped (the silent-drop suite without iptables):
// node:test's own summary said "# skipped 0".
const TAP = `TAP version 13
# Subtest: terminals
    ok 1 - opens a TTY shell
    ok 2 - resizes # SKIP no stty here
    1..2
ok 11 - terminals
ok 12 - silent connection death (packets dropped, no FIN) # SKIP iptables is not available
1..12
# tests 80
# pass 80
# skipped 0
`;

describe('TAP skip count', () => {
  it('counts skipped suites, which the summary leaves out, and nested skipped tests', () => {
    assert.equal(skippedCount(TAP), 2);
  });
  it('a test whose name merely mentions SKIP is not a skip', () => {
    assert.equal(skippedCount('ok 1 - handles # SKIPPED names\nok 2 - a SKIP in the title\n'), 0);
  });
});
