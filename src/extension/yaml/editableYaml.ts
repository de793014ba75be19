import * as vscode from 'vscode';
import type { KubeClient } from '../../core/k8s/client';
import { byName, CollectionWatch, corePath, watchCollection } from '../../core/k8s/collectionWatch';
import { describeError, KubeError } from '../../core/k8s/errors';
import { ALL_KINDS, ApiModel, collectionPath, KindName, objectPath } from '../../core/k8s/resources';
import type { Logger } from '../../core/logging/logger';
import type { KubeObject } from '../../core/model/objects';
import { ApplyFailure, applyEdit, ApplyResult, saveErrorCode } from '../../core/yaml/applyEdit';
import type { ObjectIdentity } from '../../core/yaml/editedObject';
import { VersionTimes } from '../../core/yaml/versionTimes';
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

/** One save's result, for whoever shows it (saveFeedback.ts: the problem markers, the conflict diff). */
export interface SaveOutcome {
  /** The edited document (no query). */
  readonly doc: vscode.Uri;
  /** The server's current version of it, read-only: the left side of a conflict diff. */
  readonly server: vscode.Uri;
  readonly name: string;
  readonly result: ApplyResult;
}

/** A failed save as the FileSystemError VS Code expects from a provider; it shows the message. */
function saveError(failure: ApplyFailure): vscode.FileSystemError {
  switch (saveErrorCode(failure.kind)) {
    case 'FileExists':
      return vscode.FileSystemError.FileExists(failure.message);
    case 'FileNotFound':
      return vscode.FileSystemError.FileNotFound(failure.message);
    case 'NoPermissions':
      return vscode.FileSystemError.NoPermissions(failure.message);
    case 'Unavailable':
      return vscode.FileSystemError.Unavailable(failure.message);
    case 'Unknown':
      return new vscode.FileSystemError(failure.message);
  }
}

/**
 * Editable YAML of a live object: a thin FileSystemProvider over core/yaml. Saving PUTs the object
 * with the resourceVersion it was read at, so a change made meanwhile by someone else is a 409
 * conflict, never a silent overwrite. stat() reports a new mtime exactly when the object changed
 * (core/yaml/versionTimes.ts), so VS Code's own "file is newer" check fires on save first.
 *
 * Every method works or throws a FileSystemError; nothing here shows UI. A save's result is
 * reported on onDidSave, where saveFeedback.ts marks the rejected lines and opens the conflict diff.
 * The scheme is partly writable (an object's YAML is, its `?server` view is not), so it cannot be
 * registered with `isReadonly`: the `?server` view is read-only per file (stat's permissions) and
 * the operations the scheme has no meaning for throw NoPermissions or FileNotADirectory saying why.
 */
export class EditableYamlProvider implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  private readonly saves = new vscode.EventEmitter<SaveOutcome>();
  readonly onDidSave = this.saves.event;
  private readonly versionTimes = new VersionTimes();

  constructor(
    private readonly manager: ClusterManager,
    private readonly log: Logger,
  ) {}

  dispose(): void {
    this.emitter.dispose();
    this.saves.dispose();
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

  /** One clock per object: its editable and `?server` views show the same text at the same version. */
  private mtime(uri: vscode.Uri, obj: KubeObject): number {
    return this.versionTimes.mtime(uri.with({ query: '' }).toString(), obj);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { obj, text } = await this.read(uri);
    const created = Date.parse(obj.metadata.creationTimestamp ?? '') || 0;
    return {
      type: vscode.FileType.File,
      ctime: created,
      mtime: this.mtime(uri, obj),
      size: Buffer.byteLength(text),
      ...(uri.query === SERVER_QUERY ? { permissions: vscode.FilePermission.Readonly } : {}),
    };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { obj, text } = await this.read(uri);
    this.mtime(uri, obj); // the version this editor now holds: a later stat of another one is newer
    return Buffer.from(text, 'utf8');
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    if (uri.query === SERVER_QUERY) throw vscode.FileSystemError.NoPermissions("This is the server's version, shown for comparison; edit the other side.");
    const a = parse(uri);
    const { client, api } = this.session(a);
    const doc = uri.with({ query: '' });
    const result = await applyEdit(client, this.path(a, api), a, Buffer.from(content).toString('utf8'));
    this.saves.fire({ doc, server: doc.with({ query: SERVER_QUERY }), name: a.name, result });
    // VS Code shows the message in its "Failed to save" notification, with Retry and Revert.
    if (!result.ok) throw saveError(result);
    this.log.info(`applied edited YAML of ${a.kind} ${a.namespace}/${a.name} (resourceVersion ${result.object.metadata.resourceVersion})`);
    // Reload the saved editor: it shows the new resourceVersion and whatever the server defaulted.
    setTimeout(() => this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri: doc }]), 0);
  }

  /**
   * Live reload of open, unmodified editors: a watch on the one object fires change events. Best
   * effort, as VS Code treats watching: an object of an inactive context is not watched (its reads
   * fail with Unavailable instead).
   */
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

  readDirectory(uri: vscode.Uri): [string, vscode.FileType][] {
    throw vscode.FileSystemError.FileNotADirectory(`${uri.path}: an object's YAML is a single file; there are no folders to list here.`);
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('Objects are created with kubectl or the New Claim command, not as folders here.');
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions('Delete objects from the Agent Sandbox view.');
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('Objects cannot be renamed: a new name is a new object.');
  }
}
