// Whether this machine can run the journeys at all (before any cluster question).
import { e2eSupport as codeServerSupport } from '../../../scripts/codeserver.mjs';

export type Support = { ok: true; reason?: undefined } | { ok: false; reason: string };

/**
 * Whether the e2e journeys can run on this machine (Linux, Chromium present or installable with
 * apt as root, code-server cached or installable). Installs nothing. The reason says why not.
 */
export function e2eSupport(): Support {
  return codeServerSupport();
}
