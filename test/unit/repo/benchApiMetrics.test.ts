// bench:fleet reads the API server's /metrics and judges its goals from percentiles: the parser
// and the statistics are checked here, where no cluster is needed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diff, parseApiMetrics } from '../../bench/apiCost';
import { median, percentile, verdict } from '../../bench/report';

const SCRAPE = `# HELP apiserver_request_total [STABLE] Counter of apiserver requests
# TYPE apiserver_request_total counter
apiserver_request_total{code="200",component="apiserver",dry_run="",group="agents.x-k8s.io",resource="sandboxes",scope="cluster",subresource="",verb="LIST",version="v1beta1"} 20
apiserver_request_total{code="200",component="apiserver",dry_run="",group="agents.x-k8s.io",resource="sandboxes",scope="namespace",subresource="",verb="LIST",version="v1beta1"} 3
apiserver_request_total{code="410",component="apiserver",dry_run="",group="agents.x-k8s.io",resource="sandboxes",scope="cluster",subresource="",verb="LIST",version="v1beta1"} 1
apiserver_request_total{code="200",component="apiserver",dry_run="",group="agents.x-k8s.io",resource="sandboxes",scope="cluster",subresource="",verb="WATCH",version="v1beta1"} 7
apiserver_request_total{code="200",component="apiserver",dry_run="",group="agents.x-k8s.io",resource="sandboxes",scope="namespace",subresource="status",verb="PATCH",version="v1beta1"} 99
apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="pods",scope="cluster",subresource="",verb="LIST",version="v1"} 4
apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="log",verb="GET",version="v1"} 5
apiserver_request_total{code="200",component="apiserver",dry_run="",group="metrics.k8s.io",resource="pods",scope="cluster",subresource="",verb="LIST",version="v1beta1"} 50
apiserver_request_total{code="200",component="apiserver",dry_run="",group="extensions.agents.x-k8s.io",resource="sandboxclaims",scope="cluster",subresource="",verb="LIST",version="v1beta1"} 2
# HELP apiserver_longrunning_requests [BETA] Gauge of all active long-running apiserver requests
apiserver_longrunning_requests{component="apiserver",group="agents.x-k8s.io",resource="sandboxes",scope="cluster",subresource="",verb="WATCH",version="v1beta1"} 3
apiserver_longrunning_requests{component="apiserver",group="",resource="pods",scope="namespace",subresource="exec",verb="CONNECT",version="v1"} 2
`;

test('the /metrics parser sums LIST and WATCH per resource of the right group, and reads the open-watch gauge', () => {
  const { counts, hasOpenGauge } = parseApiMetrics(SCRAPE);
  assert.equal(hasOpenGauge, true);
  assert.deepEqual(counts.get('sandboxes'), { list: 24, watchEnded: 7, watchOpen: 3 }, 'every code and scope; not PATCH on status');
  assert.deepEqual(counts.get('pods'), { list: 4, watchEnded: 0, watchOpen: 0 }, 'core pods only: not metrics.k8s.io pods, not exec');
  assert.deepEqual(counts.get('sandboxclaims'), { list: 2, watchEnded: 0, watchOpen: 0 });
  assert.deepEqual(counts.get('sandboxtemplates'), { list: 0, watchEnded: 0, watchOpen: 0 });
});

test('a server without the gauge says so, and deltas subtract per resource', () => {
  const before = parseApiMetrics(
    SCRAPE.split('\n')
      .filter((l) => !l.startsWith('apiserver_longrunning'))
      .join('\n'),
  );
  assert.equal(before.hasOpenGauge, false);
  const after = parseApiMetrics(SCRAPE.replace('verb="LIST",version="v1beta1"} 20', 'verb="LIST",version="v1beta1"} 40'));
  assert.deepEqual(diff(after.counts, before.counts).get('sandboxes'), { list: 20, watchEnded: 0, watchOpen: 3 });
});

test('percentiles are nearest-rank, never-seen values sort last, and an unmeasured goal is not a pass', () => {
  const xs = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(xs, 99), 99);
  assert.equal(percentile(xs, 50), 50);
  assert.equal(percentile([...xs.slice(0, 98), Infinity, Infinity], 99), Infinity);
  assert.equal(median([3, 1, 2]), 2);
  assert.ok(Number.isNaN(percentile([], 90)));
  assert.equal(verdict(undefined), 'n/a');
  assert.equal(verdict(false), 'MISSED');
  assert.equal(verdict(true), 'MET');
});
