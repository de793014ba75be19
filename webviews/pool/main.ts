// The warm pool panel: ready vs desired over time, recent claims and their time to Ready, scale.
import '../shared/base.css';
import './pool.css';
import type { PoolProtocol, PoolSnapshot } from '../../src/shared/poolProtocol';
import { render } from '../shared/dom';
import { connect } from '../shared/vscodeApi';
import { parseReplicas, poolView } from './view';

const app = document.getElementById('app') as HTMLElement;
let current: PoolSnapshot | undefined;
let scaleMessage: { text: string; error: boolean } | undefined;
let scaling = false;
/** The scale field keeps what the user typed across re-renders. */
let typed: string | undefined;

const client = connect<PoolProtocol>({
  snapshot: (s) => {
    current = s;
    draw();
  },
});

// Redraw the chart's time axis once in a while even when nothing changes.
setInterval(() => current && draw(), 5000);

async function scale(value: string): Promise<void> {
  const n = parseReplicas(value);
  if (n === undefined) {
    scaleMessage = { text: 'Enter a whole number from 0 to 1000.', error: true };
    return draw();
  }
  scaling = true;
  scaleMessage = undefined;
  draw();
  try {
    const r = await client.request('scale', { replicas: n });
    scaleMessage = { text: `Desired replicas set to ${r.desired}.`, error: false };
    typed = undefined;
  } catch (err) {
    scaleMessage = { text: (err as Error).message, error: true };
  } finally {
    scaling = false;
    draw();
  }
}

function draw(): void {
  const s = current;
  if (!s) return;
  render(
    app,
    poolView(s, {
      typed,
      scaling,
      message: scaleMessage,
      now: Date.now(),
      command: (method, params) => client.command(method, params),
      type: (value) => (typed = value),
      // The field shows `typed` when the user typed, else the desired count it was drawn with.
      scale: () => void scale(typed ?? String(s.desired)),
    }),
  );
}
