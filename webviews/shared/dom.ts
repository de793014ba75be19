import { Attrs, Child, View } from './view';

const SVG_NS = 'http://www.w3.org/2000/svg';

function setAttrs(el: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, '').toLowerCase(), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
}

/** Creates the elements of a View tree. */
export function mount<K extends keyof HTMLElementTagNameMap>(v: View<K>): HTMLElementTagNameMap[K];
export function mount(v: View): Element;
export function mount(v: View): Element {
  const el = v.svg ? document.createElementNS(SVG_NS, v.tag) : document.createElement(v.tag);
  setAttrs(el, v.attrs);
  for (const c of v.children) el.append(typeof c === 'string' ? c : mount(c));
  return el;
}

type Part = Child | Node;

function nodes(parts: readonly (Part | readonly Part[])[]): (Node | string)[] {
  const out: (Node | string)[] = [];
  for (const c of parts.flat()) {
    if (c === null || c === undefined || c === false) continue;
    out.push(typeof c === 'number' ? String(c) : typeof c === 'string' || c instanceof Node ? c : mount(c));
  }
  return out;
}

/** A live element the page keeps and updates in place (the log panel's toolbar); children may be live elements too. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Part | readonly Part[])[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  setAttrs(e, attrs);
  e.append(...nodes(children));
  return e;
}

/** Replaces the children of `root`, keeping the scroll position and the focused control (by id). */
export function render(root: HTMLElement, ...children: (Part | readonly Part[])[]): void {
  const y = window.scrollY;
  const active = document.activeElement;
  const focusId = active instanceof HTMLElement && root.contains(active) ? active.id : '';
  root.replaceChildren(...nodes(children));
  root.removeAttribute('aria-busy');
  if (focusId) {
    const again = document.getElementById(focusId);
    again?.focus();
    if (again instanceof HTMLInputElement && active instanceof HTMLInputElement) {
      try {
        again.setSelectionRange(active.selectionStart, active.selectionEnd);
      } catch {
        // number inputs have no selection API
      }
    }
  }
  window.scrollTo(0, y);
}
