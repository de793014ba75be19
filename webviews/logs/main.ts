// The live log panel: an xterm.js terminal (ANSI colours, search, fit) fed by the host's stream.
import '@xterm/xterm/css/xterm.css';
import '../shared/base.css';
import './logs.css';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Terminal } from '@xterm/xterm';
import type { LogOptionsView, LogsProtocol, LogStatusView } from '../../src/shared/logsProtocol';
import { el, mount, render } from '../shared/dom';
import { allowLibraryStyleElements } from '../shared/styleNonce';
import { connect } from '../shared/vscodeApi';
import { canReconnect, controlsView, markerText } from './controls';
import { terminalFont, terminalTheme } from './theme';

const app = document.getElementById('app') as HTMLElement;

let options: LogOptionsView = { follow: true, timestamps: false };
let containers: string[] = [];
let paused = false;
let held: string[] = [];
let heldLines = 0;

allowLibraryStyleElements();
const term = new Terminal({
  convertEol: true,
  disableStdin: true,
  scrollback: 20000,
  cursorBlink: false,
  allowProposedApi: false,
  theme: terminalTheme(),
  ...terminalFont(),
});
const fit = new FitAddon();
const search = new SearchAddon();
term.loadAddon(fit);
term.loadAddon(search);

const status = el('span', { class: 'status', role: 'status', 'aria-live': 'polite' }, 'Starting…');
const reconnect = el('button', { class: 'secondary', hidden: true, onclick: () => client.command('reconnect', null) }, 'Reconnect');
const pauseButton = el(
  'button',
  { class: 'secondary', title: 'Stop scrolling; new lines are kept and shown on resume', onclick: () => setPaused(!paused) },
  'Pause',
);
const searchInput = el('input', {
  type: 'search',
  placeholder: 'Search',
  'aria-label': 'Search the log',
  onkeydown: (e: Event) => onSearchKey(e as KeyboardEvent),
});
const termHost = el('div', { class: 'term', role: 'log', 'aria-label': 'Sandbox log' });
const controls = el('div', { class: 'toolbar controls' });

const client = connect<LogsProtocol>({
  init: (init) => {
    options = init.options;
    containers = init.containers;
    document.title = init.title;
    drawControls();
  },
  data: ({ text }) => write(text),
  marker: ({ text, tone }) => write(markerText(text, tone)),
  status: (s) => showStatus(s),
  clear: () => {
    held = [];
    heldLines = 0;
    term.reset();
  },
});

render(
  app,
  controls,
  el(
    'div',
    { class: 'toolbar' },
    pauseButton,
    searchInput,
    el('button', { class: 'secondary', title: 'Previous match', onclick: () => find(false) }, '↑'),
    el('button', { class: 'secondary', title: 'Next match', onclick: () => find(true) }, '↓'),
    reconnect,
    status,
  ),
  termHost,
);
term.open(termHost);
fit.fit();
new ResizeObserver(() => fit.fit()).observe(termHost);

function write(text: string): void {
  if (paused) {
    held.push(text);
    heldLines += text.split('\n').length - 1;
    pauseButton.textContent = `Resume (${heldLines} new)`;
    return;
  }
  term.write(text);
}

function setPaused(p: boolean): void {
  paused = p;
  pauseButton.textContent = p ? 'Resume' : 'Pause';
  pauseButton.setAttribute('aria-pressed', String(p));
  if (!p) {
    const text = held.join('');
    held = [];
    heldLines = 0;
    if (text) term.write(text);
    term.scrollToBottom();
  }
}

function find(forward: boolean): void {
  const q = searchInput.value;
  if (!q) return;
  const opts = { caseSensitive: false, incremental: false };
  if (forward) search.findNext(q, opts);
  else search.findPrevious(q, opts);
}

function onSearchKey(e: KeyboardEvent): void {
  if (e.key === 'Enter') find(!e.shiftKey);
  if (e.key === 'Escape') {
    searchInput.value = '';
    search.clearDecorations();
  }
}

function showStatus(s: LogStatusView): void {
  status.textContent = s.text;
  status.className = `status ${s.state}`;
  reconnect.hidden = !canReconnect(s.state);
}

function update(change: Partial<LogOptionsView>): void {
  options = { ...options, ...change };
  client.command('setOptions', options);
}

function drawControls(): void {
  controls.replaceChildren(...controlsView(options, containers, update).map((v) => mount(v)));
}
