import type { KubeClient } from '../k8s/client';
import { describeError, KubeError } from '../k8s/errors';
import type { KubeObject } from '../model/objects';
import { conflictMessage, EditProblem, fieldsInMessage, findFieldLine, ObjectIdentity, parseEdit } from './editedObject';

export type ApplyResult =
  | { ok: true; object: KubeObject }
  | {
      ok: false;
      kind: 'invalid-yaml' | 'conflict' | 'rejected' | 'forbidden' | 'gone' | 'error';
      message: string;
      problems: EditProblem[];
      serverResourceVersion?: string | undefined;
    };

export type ApplyFailure = Extract<ApplyResult, { ok: false }>;

/**
 * Which FileSystemError a failed save is thrown as (the adapter builds it with the result's
 * message, which VS Code shows in its "Failed to save" notification). A 409 is `FileExists`, as the
 * files provider reports a file changed since it was read; a refused or unparsable text has no
 * closer code than the generic one.
 */
export type SaveErrorCode = 'FileExists' | 'FileNotFound' | 'NoPermissions' | 'Unavailable' | 'Unknown';

export function saveErrorCode(kind: ApplyFailure['kind']): SaveErrorCode {
  switch (kind) {
    case 'conflict':
      return 'FileExists';
    case 'gone':
      return 'FileNotFound';
    case 'forbidden':
      return 'NoPermissions';
    case 'error':
      return 'Unavailable';
    case 'invalid-yaml':
    case 'rejected':
      return 'Unknown';
  }
}

/**
 * Applies edited YAML to the object at `path` with an update (PUT) carrying the resourceVersion
 * the text was read at: the API server refuses it with 409 when the object changed meanwhile, so
 * nothing is overwritten blindly. Every failure comes back as a result with the lines to mark.
 */
export async function applyEdit(client: KubeClient, path: string, id: ObjectIdentity, text: string): Promise<ApplyResult> {
  const parsed = parseEdit(text, id);
  if (!parsed.ok) return { ok: false, kind: 'invalid-yaml', message: parsed.problem.message, problems: [parsed.problem] };
  const mine = parsed.object.metadata.resourceVersion;
  try {
    const object = await client.request<KubeObject>('PUT', path, { body: parsed.object, what: `update ${id.kind} ${id.namespace}/${id.name}` });
    return { ok: true, object };
  } catch (err) {
    if (!(err instanceof KubeError)) return { ok: false, kind: 'error', message: describeError(err), problems: [] };
    if (err.isConflict) {
      let server: string | undefined;
      try {
        server = (await client.get<KubeObject>(path, { what: `read ${id.kind} ${id.name}` })).metadata.resourceVersion;
      } catch {
        // deleted meanwhile; the message still says what happened
      }
      const message = conflictMessage(id, mine, server);
      return {
        ok: false,
        kind: 'conflict',
        message,
        serverResourceVersion: server,
        problems: [{ message, line: findFieldLine(text, ['metadata', 'resourceVersion']) }],
      };
    }
    if (err.status === 422 || err.status === 400) {
      const fields = fieldsInMessage(err.message);
      const problems = fields.length
        ? fields.map((f) => ({ line: findFieldLine(text, f.field.split('.')), message: `${f.field}: ${f.text}` }))
        : [{ message: err.message }];
      return { ok: false, kind: 'rejected', message: `The API server rejected the change: ${err.message}`, problems };
    }
    if (err.isForbidden) return { ok: false, kind: 'forbidden', message: `No permission to update ${id.kind} ${id.name}: ${err.message}`, problems: [] };
    if (err.isNotFound) return { ok: false, kind: 'gone', message: `${id.kind} ${id.namespace}/${id.name} no longer exists; nothing was saved.`, problems: [] };
    return { ok: false, kind: 'error', message: err.message, problems: [] };
  }
}
