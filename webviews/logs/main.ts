// The live log panel: an xterm.js terminal (ANSI colours, search, fit) fed by the host's stream.
import '@xterm/xterm/css/xterm.css';
import '../shared/base.css';
import './logs.css';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Terminal } from '@xterm/xterm';
import type { LogOptionsView, LogsProtocol, LogStatusView } from '../../src/shared/logsProtocol';
import { h, render } from '../shared/dom';
import { allowLibraryStyleElements } from '../shared/styleNonce';
import { connect } from '../shared/vscodeApi';
import { terminalFont, terminalTheme } from './theme';

const app = document.getElementById('app') as HTMLElement;
const TAIL_CHOICES: [string, number | undefined][] = [['last 100', 100], ['last 1000', 1000], ['last 10000', 10000], ['all', undefined]];
const SINCE_CHOICES: [string, number | undefined][] = [['any time', undefined], ['5 minutes', 300], ['1 hour', 3600], ['24 hours', 86400]];
const TONES = { info: '36', warning: '33', error: '31' } as const;

let options: LogOptionsView = { follow: true, timestamps: false };
let containers: string[] = [];
let paused = false;
let held: string[] = [];
let heldLines = 0;

allowLibraryStyleElements();
const term = new Terminal({ convertEol: true, disableStdin: true, scrollback: 20000, cursorBlink: false, allowProposedApi: false, theme: terminalTheme(), ...terminalFont() });
const fit = new FitAddon();
const search = new SearchAddon();
term.loadAddon(fit);
term.loadAddon(search);

const status = h('span', { class: 'status', role: 'status', 'aria-live': 'polite' }, 'Starting…');
const reconnect = h('button', { class: 'secondary', hidden: true, onclick: () => client.command('reconnect', null) }, 'Reconnect');
const pauseButton = h('button', { class: 'secondary', title: 'Stop scrolling; new lines are kept and shown on resume', onclick: () => setPaused(!paused) }, 'Pause');
const searchInput = h('input', { type: 'search', placeholder: 'Search', 'aria-label': 'Search the log', onkeydown: (e: Event) => onSearchKey(e as KeyboardEvent) });
const termHost = h('div', { class: 'term', role: 'log', 'aria-label': 'Sandbox log' });
const controls = h('div', { class: 'toolbar controls' });

const client = connect<LogsProtocol>({
  init: (init) => {
    options = init.options;
    containers = init.containers;
    document.title = init.title;
    drawControls();
  },
  data: ({ text }) => write(text),
  marker: ({ text, tone }) => write(`\r\n\x1b[1;${TONES[tone]}m── ${text} ──\x1b[0m\r\n`),
  status: (s) => showStatus(s),
  clear: () => {
    held = [];
    heldLines = 0;
    term.reset();
  },
});

render(app, controls, h('div', { class: 'toolbar' }, pauseButton, searchInput, h('button', { class: 'secondary', title: 'Previous match', onclick: () => find(false) }, '↑'), h('button', { class: 'secondary', title: 'Next match', onclick: () => find(true) }, '↓'), reconnect, status), termHost);
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
  reconnect.hidden = !(s.state === 'retrying' || s.state === 'failed' || s.state === 'ended');
}

function choice(label: string, choices: [string, number | undefined][], value: number | undefined, onChange: (v: number | undefined) => void): HTMLElement {
  const select = h('select', { 'aria-label': label, onchange: () => onChange(choices[select.selectedIndex][1]) }, choices.map(([text, v]) => h('option', { selected: v === value }, text)));
  return h('label', {}, `${label} `, select);
}

function checkbox(label: string, checked: boolean, onChange: (v: boolean) => void): HTMLElement {
  const input = h('input', { type: 'checkbox', checked, onchange: () => onChange(input.checked) });
  return h('label', {}, input, ` ${label}`);
}

function update(change: Partial<LogOptionsView>): void {
  options = { ...options, ...change };
  client.command('setOptions', options);
}

function drawControls(): void {
  controls.replaceChildren(
    checkbox('Follow', options.follow, (v) => update({ follow: v })),
    checkbox('Timestamps', options.timestamps, (v) => update({ timestamps: v })),
    choice('Tail', TAIL_CHOICES, options.tailLines, (v) => update({ tailLines: v })),
    choice('Since', SINCE_CHOICES, options.sinceSeconds, (v) => update({ sinceSeconds: v })),
    containers.length > 1
      ? h('label', {}, 'Container ', (() => {
          const select = h('select', { 'aria-label': 'Container', onchange: () => update({ container: select.value }) }, containers.map((c) => h('option', { selected: c === options.container }, c)));
          return select;
        })())
      : '',
  );
}
