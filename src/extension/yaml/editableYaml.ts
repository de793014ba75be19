import * as vscode from 'vscode';
import type { KubeClient } from '../../core/k8s/client';
import { byName, CollectionWatch, corePath, watchCollection } from '../../core/k8s/collectionWatch';
import { describeError, KubeError } from '../../core/k8s/errors';
import { ALL_KINDS, ApiModel, collectionPath, KindName, objectPath } from '../../core/k8s/resources';
import type { Logger } from '../../core/logging/logger';
import type { KubeObject } from '../../core/model/objects';
import { applyEdit } from '../../core/yaml/applyEdit';
import type { ObjectIdentity } from '../../core/yaml/editedObject';
import type { ObjectRef } from '../../shared/detailsProtocol';
import type { ClusterManager } from '../../core/clusterManager';
import { toYaml } from './yamlDocuments';

export const EDIT_SCHEME = 'agentsandbox-edit';
/** The same address with this query is the server's current version, read-only (left side of a conflict diff). */
const SERVER_QUERY = 'server';

type EditableKind = ObjectRef['kind'];
const CORE_PLURALS: Partial<Record<EditableKind, 'pods' | 'services' | 'persistentvolumeclaims'>> = {
  Pod: 'pods',
  Service: 'services',
  PersistentVolumeClaim: 'persistentvolumeclaims',
};

interface Address extends ObjectIdentity {
  context: string;
  kind: EditableKind;
}

export function editUri(context: string, kind: EditableKind, namespace: string, name: string): vscode.Uri {
  // The kind is in the file name too, so a cold claim and its same-named sandbox get distinct tabs.
  return vscode.Uri.from({
    scheme: EDIT_SCHEME,
    path: `/${encodeURIComponent(context)}/${encodeURIComponent(namespace)}/${kind}/${encodeURIComponent(name)}.${kind.toLowerCase()}.yaml`,
  });
}

/** Opens an object's editable YAML in a pinned editor. */
export async function openEditableYaml(context: string, kind: EditableKind, namespace: string, name: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(editUri(context, kind, namespace, name));
  if (doc.languageId !== 'yaml') await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
  await vscode.window.showTextDocument(doc, { preview: false });
}

function parse(uri: vscode.Uri): Address {
  const parts = uri.path.split('/').slice(1);
  const [context = '', namespace = '', kindPart = '', fileName = ''] = parts;
  const kind = kindPart as EditableKind;
  if (parts.length !== 4 || !(ALL_KINDS.includes(kind as KindName) || CORE_PLURALS[kind])) throw vscode.FileSystemError.FileNotFound(uri);
  const file = fileName.replace(/\.yaml$/, '');
  const suffix = `.${kind.toLowerCase()}`;
  return {
    context: decodeURIComponent(context),
    namespace: decodeURIComponent(namespace),
    kind,
    name: decodeURIComponent(file.endsWith(suffix) ? file.slice(0, -suffix.length) : file),
  };
}

/**
 * Editable YAML of a live object. Saving PUTs the object with the resourceVersion it was read at,
 * so a change made meanwhile by someone else is a 409 conflict (reported with a diff), never a
 * silent overwrite. API validation errors are shown on the offending lines. stat() reports a new
 * mtime when the object changed, so VS Code's own "file is newer" check also fires on save.
 */
export class EditableYamlProvider implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('agent-sandbox-yaml');
  /** First time each resourceVersion was seen, per object: the mtime VS Code compares on save. */
  private readonly versionTimes = new Map<string, { rv: string; time: number }>();

  constructor(
    private readonly manager: ClusterManager,
    private readonly log: Logger,
  ) {}

  dispose(): void {
    this.emitter.dispose();
    this.diagnostics.dispose();
  }

  private session(a: Address): { client: KubeClient; api: ApiModel } {
    const session = this.manager.session;
    const state = session?.state;
    if (!session || session.context !== a.context || state?.kind !== 'ready') {
      throw vscode.FileSystemError.Unavailable(
        `Context "${a.context}" is not the active, connected context; switch to it to read or save ${a.kind} ${a.name}.`,
      );
    }
    return { client: session.client, api: state.api };
  }

  private path(a: Address, api: ApiModel): string {
    const plural = CORE_PLURALS[a.kind];
    return plural ? corePath(a.namespace, plural, a.name) : objectPath(api, a.kind as KindName, a.namespace, a.name);
  }

  private async read(uri: vscode.Uri): Promise<{ a: Address; obj: KubeObject; text: string }> {
    const a = parse(uri);
    const { client, api } = this.session(a);
    try {
      const obj = await client.get<KubeObject>(this.path(a, api), { what: `read ${a.kind} ${a.namespace}/${a.name}` });
      return { a, obj, text: toYaml(obj) };
    } catch (err) {
      if (err instanceof KubeError && err.isNotFound) throw vscode.FileSystemError.FileNotFound(uri);
      if (err instanceof KubeError && err.isForbidden) throw vscode.FileSystemError.NoPermissions(err.message);
      throw vscode.FileSystemError.Unavailable(describeError(err));
    }
  }

  private mtime(uri: vscode.Uri, rv: string | undefined): number {
    const key = uri.with({ query: '' }).toString();
    const known = this.versionTimes.get(key);
    if (known && known.rv === (rv ?? '')) return known.time;
    const time = Math.max(Date.now(), (known?.time ?? 0) + 1);
    this.versionTimes.set(key, { rv: rv ?? '', time });
    return time;
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { obj, text } = await this.read(uri);
    const created = Date.parse(obj.metadata.creationTimestamp ?? '') || 0;
    return {
      type: vscode.FileType.File,
      ctime: created,
      mtime: this.mtime(uri, obj.metadata.resourceVersion),
      size: Buffer.byteLength(text),
      ...(uri.query === SERVER_QUERY ? { permissions: vscode.FilePermission.Readonly } : {}),
    };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { obj, text } = await this.read(uri);
    this.mtime(uri, obj.metadata.resourceVersion);
    return Buffer.from(text, 'utf8');
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    // Save errors are plain Errors: VS Code shows their message as is ("Failed to save 'x.yaml': …").
    if (uri.query === SERVER_QUERY) throw vscode.FileSystemError.NoPermissions("This is the server's version, shown for comparison; edit the other side.");
    const a = parse(uri);
    const { client, api } = this.session(a);
    const text = Buffer.from(content).toString('utf8');
    const doc = uri.with({ query: '' });
    this.diagnostics.delete(doc);
    const result = await applyEdit(client, this.path(a, api), a, text);
    if (!result.ok) {
      if (result.problems.length) this.mark(doc, result.problems);
      if (result.kind === 'conflict') {
        void vscode.commands.executeCommand('vscode.diff', doc.with({ query: SERVER_QUERY }), doc, `${a.name}.yaml: server (left) ↔ yours (right)`);
      }
      throw new Error(result.message);
    }
    this.log.info(`applied edited YAML of ${a.kind} ${a.namespace}/${a.name} (resourceVersion ${result.object.metadata.resourceVersion})`);
    // Reload the saved editor: it shows the new resourceVersion and whatever the server defaulted.
    setTimeout(() => this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri: doc }]), 0);
  }

  private mark(uri: vscode.Uri, problems: { line?: number | undefined; message: string }[]): void {
    this.diagnostics.set(
      uri,
      problems.map((p) => {
        const line = p.line ?? 0;
        const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), p.message, vscode.DiagnosticSeverity.Error);
        d.source = 'Agent Sandbox';
        return d;
      }),
    );
  }

  /** Live reload of open, unmodified editors: a watch on the one object fires change events. */
  watch(uri: vscode.Uri): vscode.Disposable {
    let w: CollectionWatch | undefined;
    try {
      const a = parse(uri);
      const { client, api } = this.session(a);
      const plural = CORE_PLURALS[a.kind];
      const path = plural ? corePath(a.namespace, plural) : collectionPath(api, a.kind as KindName, a.namespace);
      let lastRv: string | undefined;
      w = watchCollection(
        client,
        path,
        byName(a.name),
        () => {
          const rv = w?.items[0]?.metadata.resourceVersion;
          if (w?.synced && rv !== lastRv) {
            if (lastRv !== undefined) this.emitter.fire([{ type: rv ? vscode.FileChangeType.Changed : vscode.FileChangeType.Deleted, uri }]);
            lastRv = rv;
          }
        },
        this.log,
        `yaml ${a.kind} ${a.name}`,
      );
    } catch (err) {
      this.log.debug(`yaml watch ${uri.toString()}: ${describeError(err)}`);
    }
    return new vscode.Disposable(() => w?.stop());
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('Objects are created with kubectl or the New Claim command.');
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions('Delete objects from the Agent Sandbox view.');
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('Objects cannot be renamed.');
  }
}
