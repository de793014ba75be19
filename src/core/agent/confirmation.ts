import type { ToolName } from './tools';

/** The confirmation text: what will happen, never file contents or env values. */
export function confirmationText(tool: ToolName, input: unknown, what: string, runtime: string, context: string): string {
  const i = input as Record<string, unknown>;
  switch (tool) {
    case 'runCommand': {
      const cmd = i['command'] as { argv?: string[]; shell?: string };
      const text = cmd.argv ? cmd.argv.join(' ') : (cmd.shell ?? '');
      return `Run in ${what} (${runtime || 'unknown runtime'}, context ${context}):\n\n\`\`\`\n${text.slice(0, 2000)}\n\`\`\`${Object.keys((i['env'] as object) ?? {}).length ? `\nwith environment variables ${Object.keys(i['env'] as object).join(', ')}` : ''}`;
    }
    case 'writeFile':
      return `Write ${(i['content'] as Uint8Array).byteLength} bytes to ${String(i['path'])} in ${what} (context ${context}).`;
    case 'claimSandbox':
      return `Claim a new sandbox from warm pool ${what.replace(/^pool /, '')} (context ${context}).`;
    case 'hibernateSandbox':
      return `Hibernate ${what}: its pod stops; files on its volume are kept.`;
    case 'resumeSandbox':
      return `Resume ${what}.`;
    case 'deleteClaim':
      return `Delete ${what} with its sandbox and ALL data on its volumes (context ${context}). This cannot be undone.`;
    case 'previewPort':
      return `Forward port ${String(i['port'])} of ${what} to a local port on this machine.`;
    default:
      return `${what} (context ${context})`;
  }
}
