/**
 * The panels' render code builds plain View trees (no DOM here), so what a snapshot renders to is
 * tested in plain Node; dom.ts turns a tree into elements. Text is always a text node, never parsed
 * as HTML. Attributes are set one by one (never `style`: the CSP forbids inline styles).
 */
export type Handler = (e: Event) => void;
export type Attrs = Readonly<Record<string, string | boolean | undefined | Handler>>;

export interface View<K extends string = string> {
  readonly tag: K;
  /** Created in the SVG namespace. */
  readonly svg?: true;
  readonly attrs: Attrs;
  readonly children: readonly (View | string)[];
}

export type Child = View | string | number | false | null | undefined;

export function children(list: readonly (Child | readonly Child[])[]): (View | string)[] {
  const out: (View | string)[] = [];
  for (const c of list.flat()) {
    if (c === null || c === undefined || c === false) continue;
    out.push(typeof c === 'number' ? String(c) : c);
  }
  return out;
}

/** An HTML element: `undefined`/`false` attributes are left out, `true` sets an empty one, `on…` functions listen. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...kids: (Child | readonly Child[])[]): View<K> {
  return { tag, attrs, children: children(kids) };
}

/** An SVG element (the pool chart). */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Readonly<Record<string, string | number>>,
  ...kids: (Child | readonly Child[])[]
): View<K> {
  const a: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) a[k] = String(v);
  return { tag, svg: true, attrs: a, children: children(kids) };
}
