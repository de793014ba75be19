import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ensureHelper, HelperBundle, HelperPlace, NoPersistence } from '../../core/exec/session/helperInstall';
import { HelperPlaces, type PlaceAnswer } from '../../core/exec/session/helperPlaces';
import { killSession, listSessions } from '../../core/exec/session/sessionOps';
import { LiveSession, newSessionId } from '../../core/exec/session/sessionList';
import type { PodRef } from '../../core/files/runner';
import type { KubeClient } from '../../core/k8s/client';
import { corePath } from '../../core/k8s/collectionWatch';
import { describeError } from '../../core/k8s/errors';
import type { Logger } from '../../core/logging/logger';
import { readSettings } from '../config';
import type { TerminalSessions } from '../../core/terminal/sessionLink';
import type { TerminalTarget } from '../../core/terminal/terminalFlow';

/** A terminal whose shell is kept in a sandbox session, remembered across window reloads. */
export interface SessionRecord extends TerminalTarget {
  sessionId: string;
}

const STATE_KEY = 'agentSandbox.terminalSessions';

/**
 * Persistent terminal sessions for the whole window: the shipped helper (dist/helper), where it
 * is in each pod (probed once per pod), the records a reload reattaches from (workspace state),
 * and whether the window is shutting down (then closing a terminal keeps its session).
 */
export class TerminalSessionService {
  private bundle: Promise<HelperBundle | undefined> | undefined;
  private readonly places = new HelperPlaces();
  private shuttingDown = false;

  constructor(
    private readonly extensionPath: string,
    private readonly state: vscode.Memento,
    private readonly log: Logger,
  ) {}

  /** Called from deactivate(): terminals closed from now on are a reload or shutdown, not the user. */
  shutdown(): void {
    this.shuttingDown = true;
  }

  records(): SessionRecord[] {
    return Object.values(this.state.get<Record<string, SessionRecord>>(STATE_KEY, {}));
  }

  /** Live sessions this window has open in one sandbox (warned about before hibernating it). */
  openIn(context: string, namespace: string, sandbox: string): number {
    return this.records().filter((r) => r.context === context && r.namespace === namespace && r.sandbox === sandbox).length;
  }

  private async setRecord(key: string, rec: SessionRecord | undefined): Promise<void> {
    const all = { ...this.state.get<Record<string, SessionRecord>>(STATE_KEY, {}) };
    if (rec) all[key] = rec;
    else delete all[key];
    await this.state.update(STATE_KEY, all);
  }

  /** Forgets every record (after a reload offered them and the user declined). */
  async clear(): Promise<void> {
    await this.state.update(STATE_KEY, {});
  }

  /** The deps one terminal uses; undefined when persistent sessions are turned off. */
  forTerminal(client: KubeClient, t: TerminalTarget): TerminalSessions | undefined {
    const settings = readSettings();
    if (!settings.terminalPersistentSessions) return undefined;
    const key = randomBytes(8).toString('hex');
    return {
      prepare: (pod, container, signal) => this.place(client, t, pod, container, signal),
      kill: async (pod, container, place, id) => {
        const ok = await killSession(this.podRef(client, t, pod, container), place, id);
        this.log.info(`terminal session ${id} in ${t.namespace}/${t.sandbox}: ${ok ? 'ended' : 'was already gone'}`);
      },
      remember: (id) => void this.setRecord(key, id ? { ...t, sessionId: id } : undefined),
      userClosing: () => !this.shuttingDown,
      newId: () => newSessionId((n) => randomBytes(n)),
    };
  }

  /** Live sessions in a sandbox's pod, through its helper (uploading it when needed and allowed). */
  async list(client: KubeClient, t: TerminalTarget, pod: string): Promise<{ place: HelperPlace; sessions: LiveSession[] }> {
    const place = await this.place(client, t, pod, t.container, new AbortController().signal);
    if ('unavailable' in place) throw new NoPersistence(place.unavailable);
    return { place, sessions: await listSessions(this.podRef(client, t, pod, t.container), place) };
  }

  async kill(client: KubeClient, t: TerminalTarget, pod: string, place: HelperPlace, id: string): Promise<boolean> {
    return killSession(this.podRef(client, t, pod, t.container), place, id);
  }

  private podRef(client: KubeClient, t: TerminalTarget, pod: string, container: string | undefined): PodRef {
    return { client, namespace: t.namespace, pod, container: container ?? '', label: `sandbox ${t.sandbox}` };
  }

  /** Probed once per pod instance (name and UID) and container; see HelperPlaces. */
  private place(client: KubeClient, t: TerminalTarget, pod: string, container: string | undefined, signal: AbortSignal): Promise<PlaceAnswer> {
    return this.places.get(
      { scope: t.context, namespace: t.namespace, pod, container },
      async () => (await client.get<{ metadata?: { uid?: string } }>(corePath(t.namespace, 'pods', pod), { signal, what: `get pod ${pod}` })).metadata?.uid,
      () => this.probe(client, t, pod, container, signal),
    );
  }

  private async probe(client: KubeClient, t: TerminalTarget, pod: string, container: string | undefined, signal: AbortSignal): Promise<PlaceAnswer> {
    const bundle = await this.helperBundle();
    if (!bundle) return { unavailable: 'the session helper is not part of this build' };
    const started = Date.now();
    try {
      const settings = readSettings();
      const place = await ensureHelper(
        this.podRef(client, t, pod, container),
        bundle,
        settings.terminalUploadHelper,
        signal,
        settings.terminalSessionsUnderGVisor,
      );
      this.log.info(`session helper ready in ${t.namespace}/${t.sandbox} (${pod}) in ${Date.now() - started} ms: ${place.bin}`);
      return place;
    } catch (err) {
      if (err instanceof NoPersistence) {
        this.log.info(`sessions cannot persist in ${t.namespace}/${t.sandbox}: ${err.message}`);
        return { unavailable: err.message };
      }
      this.log.warn(`session helper in ${t.namespace}/${t.sandbox}: ${describeError(err)}`);
      throw err;
    }
  }

  private helperBundle(): Promise<HelperBundle | undefined> {
    this.bundle ??= (async () => {
      const dir = path.join(this.extensionPath, 'dist', 'helper');
      try {
        const manifest = JSON.parse(await readFile(path.join(dir, 'checksums.json'), 'utf8')) as { binaries: Record<'amd64' | 'arm64', string> };
        return { sha256: manifest.binaries, bytes: (arch) => readFile(path.join(dir, `as-session-linux-${arch}`)) };
      } catch (err) {
        this.log.warn(`session helper missing from the extension (${describeError(err)}); terminals will not persist`);
        return undefined;
      }
    })();
    return this.bundle;
  }
}
