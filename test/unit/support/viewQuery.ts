// Queries over the webviews' View trees (webviews/shared/view.ts), for render tests in plain Node.
import assert from 'node:assert/strict';
import type { Handler, View } from '../../../webviews/shared/view';

type Tree = View | string | readonly (View | string)[];

/** The text a tree renders, as textContent would give it. */
export function text(t: Tree): string {
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.map(text).join('');
  return text((t as View).children);
}

/** Every element in document order that matches. */
export function findAll(t: Tree, match: (v: View) => boolean): View[] {
  if (typeof t === 'string') return [];
  if (Array.isArray(t)) return t.flatMap((c) => findAll(c, match));
  const v = t as View;
  return [...(match(v) ? [v] : []), ...findAll(v.children, match)];
}

/** The one element that matches (fails the test otherwise). */
export function find(t: Tree, match: (v: View) => boolean, what = 'element'): View {
  const hits = findAll(t, match);
  assert.equal(hits.length, 1, `exactly one ${what}, found ${hits.length}`);
  return hits[0];
}

export const tag = (name: string) => (v: View) => v.tag === name;
export const attr = (name: string, value?: string) => (v: View) =>
  value === undefined ? v.attrs[name] !== undefined && v.attrs[name] !== false : v.attrs[name] === value;
export const button = (label: string) => (v: View) => v.tag === 'button' && text(v) === label;

/** Fires an element's `on<type>` handler with a minimal event. */
export function fire(v: View, type: string, event: Partial<Event> & Record<string, unknown> = {}): void {
  const handler = v.attrs[`on${type}`];
  assert.equal(typeof handler, 'function', `<${v.tag}> handles ${type}`);
  (handler as Handler)(event as Event);
}
