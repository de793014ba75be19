/**
 * Markdown built from names that come from a kubeconfig or a cluster (untrusted text): each is
 * shown as written, never as markup, links or line breaks.
 */

/** Line breaks and other control characters would end a paragraph (and with it a code span). */
function oneLine(s: string): string {
  return s.replace(/[\x00-\x1f\x7f]+/g, ' ');
}

/** Text with every character that markdown could read as markup backslash-escaped. */
export function escapeMarkdown(s: string): string {
  return oneLine(s).replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, '\\$&');
}

/**
 * Text as one code span. Backslashes do not escape inside code, so the fence is one backtick longer
 * than the longest run in the text, and padded with a space (which CommonMark strips) where the
 * text starts or ends with a backtick or a space.
 */
export function markdownCode(s: string): string {
  const text = oneLine(s);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^$|^[` ]|[` ]$/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** The status bar's tooltip: the context name as code, the namespaces as text. */
export function contextTooltipMarkdown(context: string, namespaces: string): string {
  return `**Agent Sandbox**\n\nContext: ${markdownCode(context)}\n\nNamespaces: ${escapeMarkdown(namespaces)}\n\nClick to switch context.`;
}
