/**
 * A tiny element builder: text always goes through textContent, so nothing from the cluster is
 * ever parsed as HTML. Attributes are set one by one (never a `style` attribute: the CSP forbids
 * inline styles; classes carry the look).
 */
type Child = Node | string | number | false | null | undefined;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined | ((e: Event) => void)> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, '').toLowerCase(), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? String(c) : c);
  }
  return el;
}

/** Replaces the children of `root`, keeping the scroll position and the focused control (by id). */
export function render(root: HTMLElement, ...children: (Child | Child[])[]): void {
  const y = window.scrollY;
  const active = document.activeElement;
  const focusId = active instanceof HTMLElement && root.contains(active) ? active.id : '';
  root.replaceChildren(...children.flat().filter((c): c is Node | string => c !== null && c !== undefined && c !== false).map((c) => (typeof c === 'number' ? String(c) : c)));
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
