import * as yaml from 'js-yaml';
import * as vscode from 'vscode';
import type { KindName } from '../../core/k8s/resources';
import type { KubeObject } from '../../core/model/objects';
import type { ClusterManager } from '../../core/clusterManager';

export const YAML_SCHEME = 'agentsandbox-yaml';

export function yamlUri(context: string, kind: KindName, namespace: string, name: string): vscode.Uri {
  return vscode.Uri.from({ scheme: YAML_SCHEME, path: `/${encodeURIComponent(context)}/${kind}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}.yaml` });
}

function parseUri(uri: vscode.Uri): { context: string; kind: KindName; namespace: string; name: string } | undefined {
  const parts = uri.path.split('/').slice(1);
  if (parts.length !== 4) return undefined;
  return { context: decodeURIComponent(parts[0]), kind: parts[1] as KindName, namespace: decodeURIComponent(parts[2]), name: decodeURIComponent(parts[3].replace(/\.yaml$/, '')) };
}

export function toYaml(obj: KubeObject): string {
  const copy = structuredClone(obj) as KubeObject & { metadata: { managedFields?: unknown } };
  delete copy.metadata.managedFields;
  return yaml.dump(copy, { noRefs: true, lineWidth: 120, sortKeys: false });
}

/** Read-only YAML of a live object; refreshed as the watch delivers changes. */
export class YamlDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly shown = new Map<string, string>();
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly manager: ClusterManager) {
    this.subs.push(
      manager.onDidOpenReady(({ model }, scope) => void scope.add(model.onDidChange(() => this.changed()))),
      vscode.workspace.onDidCloseTextDocument((d) => this.shown.delete(d.uri.toString())),
    );
  }

  private changed(): void {
    for (const [key, text] of this.shown) {
      const uri = vscode.Uri.parse(key);
      const fresh = this.render(uri);
      if (fresh !== text) this.emitter.fire(uri);
    }
  }

  private render(uri: vscode.Uri): string {
    const ref = parseUri(uri);
    const session = this.manager.session;
    if (!ref) return '# Not an Agent Sandbox object address\n';
    if (!session || session.context !== ref.context || session.state.kind !== 'ready') {
      return `# ${ref.kind} ${ref.namespace}/${ref.name}: context "${ref.context}" is not the active one; switch to it to see live YAML.\n`;
    }
    const obj = session.state.model.get(ref.kind, ref.namespace, ref.name);
    return obj ? toYaml(obj) : `# ${ref.kind} ${ref.namespace}/${ref.name} no longer exists (or is outside the chosen namespaces).\n`;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const text = this.render(uri);
    this.shown.set(uri.toString(), text);
    return text;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.emitter.dispose();
  }
}
