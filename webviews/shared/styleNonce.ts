/**
 * xterm.js writes its theme and dimensions into <style> elements it creates. The CSP allows inline
 * styles only with the page's nonce, so give the nonce (read from our own script tag) to every
 * <style> element created from here on. Style attributes stay blocked.
 */
export function allowLibraryStyleElements(): void {
  const nonce = document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce;
  if (!nonce) return;
  const create = document.createElement.bind(document);
  document.createElement = (tag: string, options?: ElementCreationOptions) => {
    const el = create(tag, options);
    if (tag.toLowerCase() === 'style') el.setAttribute('nonce', nonce);
    return el;
  };
}
