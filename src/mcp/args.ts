import type { Capability } from '../core/agent/tools';
import { GRANTABLE } from '../core/agent/consent';

export interface McpArgs {
  kubeconfig?: string;
  context?: string;
  /** Namespaces tools may act in; empty: the context's namespace (or "default"). */
  namespaces: string[];
  allNamespaces: boolean;
  allowed: Set<Exclude<Capability, 'read'>>;
  allowUnisolatedRun: boolean;
  readyTimeoutSeconds: number;
}

export const USAGE = `Usage: agent-sandbox-mcp [--kubeconfig FILE] [--context NAME] [--namespace NS]... [--all-namespaces]
                         [--allow-run] [--allow-write] [--allow-claim] [--allow-lifecycle] [--allow-preview]
                         [--allow-delete] [--allow-all] [--allow-unisolated-run] [--ready-timeout SECONDS]

An MCP server (stdio) with Agent Sandbox tools: list, claim, run commands, read and write files,
hibernate, resume and delete sandboxes of the agent-sandbox controller in a Kubernetes cluster.
Reading is always allowed; each kind of change must be allowed with its flag. --allow-all allows
everything except --allow-delete and --allow-unisolated-run, which are always explicit.`;

export class ArgsError extends Error {}

export function parseArgs(argv: string[]): McpArgs {
  const a: McpArgs = { namespaces: [], allNamespaces: false, allowed: new Set(), allowUnisolatedRun: false, readyTimeoutSeconds: 300 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!; // i < argv.length
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new ArgsError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--kubeconfig':
        a.kubeconfig = value();
        break;
      case '--context':
        a.context = value();
        break;
      case '--namespace':
      case '-n':
        a.namespaces.push(...value().split(',').filter(Boolean));
        break;
      case '--all-namespaces':
        a.allNamespaces = true;
        break;
      case '--allow-all':
        for (const c of GRANTABLE) if (c !== 'delete') a.allowed.add(c);
        break;
      case '--allow-unisolated-run':
        a.allowUnisolatedRun = true;
        break;
      case '--ready-timeout': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 10 || n > 3600) throw new ArgsError('--ready-timeout must be a whole number of seconds between 10 and 3600');
        a.readyTimeoutSeconds = n;
        break;
      }
      default: {
        const cap = /^--allow-([a-z]+)$/.exec(flag)?.[1];
        if (cap && (GRANTABLE as readonly string[]).includes(cap)) {
          a.allowed.add(cap as Exclude<Capability, 'read'>);
          break;
        }
        throw new ArgsError(`unknown argument ${argv[i]}`);
      }
    }
  }
  if (a.allNamespaces && a.namespaces.length) throw new ArgsError('give either --namespace or --all-namespaces, not both');
  return a;
}
