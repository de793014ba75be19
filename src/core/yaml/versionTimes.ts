import type { KubeObject } from '../model/objects';

/**
 * The object's last change as its metadata records it: the newest managedFields entry (the API
 * server stamps one when a manager sets or changes a field), else its creation. Second precision,
 * and the server's clock.
 */
export function lastChangeTime(obj: KubeObject): number | undefined {
  const meta = obj.metadata as KubeObject['metadata'] & { managedFields?: { time?: string }[] };
  let newest: number | undefined;
  for (const at of [...(meta.managedFields ?? []).map((f) => f.time), meta.creationTimestamp]) {
    const t = Date.parse(at ?? '');
    if (Number.isFinite(t) && (newest === undefined || t > newest)) newest = t;
  }
  return newest;
}

/**
 * mtimes for the YAML of live objects. VS Code compares them: a save whose stat shows a newer mtime
 * is refused as "the file is newer" (with its Compare), and a change event reloads an unmodified
 * editor only when the mtime moved. So the mtime must change exactly when the text does, and the
 * text changes exactly when the object's uid/resourceVersion does (the YAML carries both).
 *
 * The time is real, not a counter: a version first seen here gets the object's last-change time
 * from its metadata (managedFields, creation), or the time it was first seen when the metadata has
 * none. Because that time has second precision, comes from the server's clock and a status-only
 * change may not move it, a new version also gets at least the previous version's mtime + 1 ms:
 * every change is strictly newer, and a version seen again keeps its time.
 */
export class VersionTimes {
  private readonly known = new Map<string, { version: string; time: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The mtime of the object shown at `key` (one per object, whatever the view of it). */
  mtime(key: string, obj: KubeObject): number {
    const version = `${obj.metadata.uid ?? ''}/${obj.metadata.resourceVersion ?? ''}`;
    const prev = this.known.get(key);
    if (prev?.version === version) return prev.time;
    const time = Math.max(lastChangeTime(obj) ?? this.now(), prev ? prev.time + 1 : 0);
    this.known.set(key, { version, time });
    return time;
  }
}
