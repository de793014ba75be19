import { PodRef, runScript } from '../../files/runner';
import type { HelperPlace } from './helperInstall';
import { LiveSession, parseSessionList } from './sessionList';

/** Runs the helper with fixed arguments (argv through "$@", never a string). */
const RUN_HELPER = 'exec "$@"';

export async function listSessions(pod: PodRef, place: HelperPlace, signal?: AbortSignal): Promise<LiveSession[]> {
  const r = await runScript(pod, { script: RUN_HELPER, args: [place.bin, 'list', place.sessionsDir], maxStdout: 1024 * 1024, idleTimeoutMs: 15_000, signal });
  if (r.result.kind !== 'exited' || r.result.code !== 0)
    throw new Error(
      `listing sessions in ${pod.label} failed: ${r.result.kind === 'exited' ? r.stderr.toString('utf8').trim() || `exit code ${r.result.code}` : r.result.message}`,
    );
  return parseSessionList(r.stdout.toString('utf8'));
}

/** Ends a session (hangup to its shell and foreground job); false when it was already gone. */
export async function killSession(pod: PodRef, place: HelperPlace, id: string, signal?: AbortSignal): Promise<boolean> {
  const r = await runScript(pod, { script: RUN_HELPER, args: [place.bin, 'kill', place.sessionsDir, id], idleTimeoutMs: 15_000, signal });
  return r.result.kind === 'exited' && r.result.code === 0;
}
