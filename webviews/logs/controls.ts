// The log panel's render code that depends only on data: the option controls, the marker line and
// when Reconnect shows (no DOM, so it is tested in plain Node).
import type { LogOptionsView, LogStatusView } from '../../src/shared/logsProtocol';
import { h, View } from '../shared/view';

export const TAIL_CHOICES: [string, number | undefined][] = [
  ['last 100', 100],
  ['last 1000', 1000],
  ['last 10000', 10000],
  ['all', undefined],
];
export const SINCE_CHOICES: [string, number | undefined][] = [
  ['any time', undefined],
  ['5 minutes', 300],
  ['1 hour', 3600],
  ['24 hours', 86400],
];
const TONES = { info: '36', warning: '33', error: '31' } as const;

/** A divider written into the terminal: bold, in the tone's ANSI colour, on its own line. */
export function markerText(text: string, tone: keyof typeof TONES): string {
  return `\r\n\x1b[1;${TONES[tone]}m── ${text} ──\x1b[0m\r\n`;
}

/** Reconnect is offered when the stream stopped or waits to retry. */
export function canReconnect(state: LogStatusView['state']): boolean {
  return state === 'retrying' || state === 'failed' || state === 'ended';
}

function choice(label: string, choices: [string, number | undefined][], value: number | undefined, onChange: (v: number | undefined) => void): View {
  const select = h(
    'select',
    {
      'aria-label': label,
      onchange: (e: Event) => {
        const picked = choices[(e.target as HTMLSelectElement).selectedIndex];
        if (picked) onChange(picked[1]);
      },
    },
    choices.map(([text, v]) => h('option', { selected: v === value }, text)),
  );
  return h('label', {}, `${label} `, select);
}

function checkbox(label: string, checked: boolean, onChange: (v: boolean) => void): View {
  const input = h('input', { type: 'checkbox', checked, onchange: (e: Event) => onChange((e.target as HTMLInputElement).checked) });
  return h('label', {}, input, ` ${label}`);
}

/** Follow, Timestamps, Tail, Since and (for several containers) Container; each change calls `update`. */
export function controlsView(options: LogOptionsView, containers: string[], update: (change: Partial<LogOptionsView>) => void): View[] {
  const out = [
    checkbox('Follow', options.follow, (v) => update({ follow: v })),
    checkbox('Timestamps', options.timestamps, (v) => update({ timestamps: v })),
    choice('Tail', TAIL_CHOICES, options.tailLines, (v) => update({ tailLines: v })),
    choice('Since', SINCE_CHOICES, options.sinceSeconds, (v) => update({ sinceSeconds: v })),
  ];
  if (containers.length > 1) {
    out.push(
      h(
        'label',
        {},
        'Container ',
        h(
          'select',
          { 'aria-label': 'Container', onchange: (e: Event) => update({ container: (e.target as HTMLSelectElement).value }) },
          containers.map((c) => h('option', { selected: c === options.container }, c)),
        ),
      ),
    );
  }
  return out;
}
