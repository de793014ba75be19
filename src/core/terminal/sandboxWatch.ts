import type { Disposable } from '../lifecycle';
import type { KubeObject } from '../model/objects';
import type { ContextSession } from '../session';

/**
 * Follows one sandbox in the live model of the terminal's own session, re-attaching when the
 * session rebuilds its model (Retry). It goes quiet if that session is disposed (the user switched
 * context); the terminal then learns of a hibernate when its connection ends and asks the server.
 */
export function watchSandbox(session: ContextSession, namespace: string, name: string, onChange: (sb: KubeObject | undefined) => void): Disposable {
  return session.whenReady(({ model }, scope) => {
    scope.add(
      model.onDidChange((c) => {
        if (c.kinds && !c.kinds.has('Sandbox')) return;
        if (c.namespaces && !c.namespaces.has(namespace)) return;
        onChange(model.get('Sandbox', namespace, name));
      }),
    );
    const now = model.get('Sandbox', namespace, name);
    if (now) onChange(now);
  });
}
