import * as yaml from 'js-yaml';
import * as vscode from 'vscode';
import type { ClusterManager } from '../../core/clusterManager';
import { describeError, KubeError } from '../../core/k8s/errors';
import { type KindName, objectPath } from '../../core/k8s/resources';
import type { KubeObject } from '../../core/model/objects';

export const YAML_SCHEME = 'agentsandbox-yaml';

export function yamlUri(context: string, kind: KindName, namespace: string, name: string): vscode.Uri {
  return vscode.Uri.from({
    scheme: YAML_SCHEME,
    path: `/${encodeURIComponent(context)}/${kind}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}.yaml`,
  });
}

function parseUri(uri: vscode.Uri): { context: string; kind: KindName; namespace: string; name: string } | undefined {
  const parts = uri.path.split('/').slice(1);
  const [context = '', kind = '', namespace = '', file = ''] = parts;
  if (parts.length !== 4) return undefined;
  return {
    context: decodeURIComponent(context),
    kind: kind as KindName,
    namespace: decodeURIComponent(namespace),
    name: decodeURIComponent(file.replace(/\.yaml$/, '')),
  };
}

export function toYaml(obj: KubeObject): string {
  const copy = structuredClone(obj) as KubeObject & { metadata: { managedFields?: unknown } };
  delete copy.metadata.managedFields;
  return yaml.dump(copy, { noRefs: true, lineWidth: 120, sortKeys: false });
}

/**
 * Read-only YAML of a live object, refreshed as the watch delivers changes. The model keeps slimmed
 * objects (no managedFields, only the pod template fields it reads), so the text is of the whole
 * object, read from the API when the model's copy is at a new resourceVersion.
 */
export class YamlDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  /** What each open document was rendered from (see `source`): a change of it re-renders the document. */
  private readonly shown = new Map<string, string>();
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly manager: ClusterManager) {
    this.subs.push(
      manager.onDidOpenReady(({ model }, scope) => void scope.add(model.onDidChange(() => this.changed()))),
      vscode.workspace.onDidCloseTextDocument((d) => this.shown.delete(d.uri.toString())),
    );
  }

  private changed(): void {
    for (const [key, source] of this.shown) {
      const uri = vscode.Uri.parse(key);
      if (this.source(uri).key !== source) this.emitter.fire(uri);
    }
  }

  /** What the text depends on: the session's state, and the object's resourceVersion in the model. */
  private source(uri: vscode.Uri): { key: string; text?: string; read?: () => Promise<KubeObject> } {
    const ref = parseUri(uri);
    const session = this.manager.session;
    if (!ref) return { key: 'bad', text: '# Not an Agent Sandbox object address\n' };
    if (!session || session.context !== ref.context || session.state.kind !== 'ready') {
      return {
        key: 'inactive',
        text: `# ${ref.kind} ${ref.namespace}/${ref.name}: context "${ref.context}" is not the active one; switch to it to see live YAML.\n`,
      };
    }
    const gone = `# ${ref.kind} ${ref.namespace}/${ref.name} no longer exists (or is outside the chosen namespaces).\n`;
    const obj = session.state.model.get(ref.kind, ref.namespace, ref.name);
    if (!obj) return { key: 'gone', text: gone };
    const { api } = session.state;
    const read = () =>
      session.client.get<KubeObject>(objectPath(api, ref.kind, ref.namespace, ref.name), { what: `read ${ref.kind} ${ref.namespace}/${ref.name}` });
    return { key: `rv ${obj.metadata.resourceVersion ?? ''}`, read };
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const source = this.source(uri);
    this.shown.set(uri.toString(), source.key);
    if (!source.read) return source.text ?? '';
    try {
      return toYaml(await source.read());
    } catch (err) {
      if (err instanceof KubeError && err.isNotFound) return `# ${parseUri(uri)?.name ?? 'The object'} no longer exists.\n`;
      return `# Could not read the object: ${describeError(err)}\n`;
    }
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.emitter.dispose();
  }
}
