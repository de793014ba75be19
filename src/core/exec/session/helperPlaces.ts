import type { HelperPlace } from './helperInstall';

export type PlaceAnswer = HelperPlace | { unavailable: string };

export interface PodInstance {
  /** What else the answer depends on: the context, for one. */
  scope: string;
  namespace: string;
  pod: string;
  container: string | undefined;
}

/**
 * Where the session helper is, remembered per pod *instance*. A resumed sandbox's pod has the old
 * name but a fresh filesystem (the helper copied under `$HOME` is gone), so the key holds the pod's
 * UID: a replaced pod is probed again. "Cannot persist" answers and failures are not remembered
 * (a setting may change, a failure is retried next time).
 */
export class HelperPlaces {
  private readonly cache = new Map<string, Promise<PlaceAnswer>>();

  async get(p: PodInstance, uidOf: () => Promise<string | undefined>, probe: () => Promise<PlaceAnswer>): Promise<PlaceAnswer> {
    const uid = await uidOf().catch(() => undefined);
    if (!uid) return probe(); // without a UID there is nothing safe to key on
    const key = JSON.stringify([p.scope, p.namespace, p.pod, uid, p.container ?? '']);
    let answer = this.cache.get(key);
    if (!answer) {
      answer = probe();
      this.cache.set(key, answer);
      answer.then(
        (a) => void ('unavailable' in a && this.cache.delete(key)),
        () => void this.cache.delete(key),
      );
    }
    return answer;
  }
}
