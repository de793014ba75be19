// Imported first by the entry scripts: `--cold` points AGENT_SANDBOX_CACHE at a new empty folder
// before any module reads the cache location (see scripts/cache.mjs).
import { applyCold } from './cache.mjs';

/** The fresh cache folder of a --cold run, else undefined. */
export const COLD_DIR = applyCold();
