// The sandbox details panel: renders the host's DetailsSnapshot; every button sends a command.
import '../shared/base.css';
import './details.css';
import type { DetailsProtocol, DetailsSnapshot } from '../../src/shared/detailsProtocol';
import { render } from '../shared/dom';
import { connect } from '../shared/vscodeApi';
import { countdown, detailsView } from './view';

const app = document.getElementById('app') as HTMLElement;
let current: DetailsSnapshot | undefined;
let lastError: string | undefined;

const client = connect<DetailsProtocol>({
  snapshot: (s) => {
    current = s;
    draw();
  },
  error: ({ message }) => {
    lastError = message;
    draw();
  },
});

// The shutdown countdown ticks locally; the host only sends a snapshot when something changed.
setInterval(() => {
  const el = document.getElementById('countdown');
  if (el && current?.lifecycle.shutdownTime) el.textContent = countdown(current.lifecycle.shutdownTime, Date.now());
}, 1000);

function draw(): void {
  const s = current;
  if (!s) return;
  render(
    app,
    detailsView(s, {
      error: lastError,
      now: Date.now(),
      command: (method, params) => client.command(method, params),
      clearError: () => (lastError = undefined),
    }),
  );
}
