// Types for cache.mjs (used from TypeScript by the tests).
export const DEFAULT_CACHE: string;
export const NPM_ENV_RECIPE: string;
export function cacheDir(env?: NodeJS.ProcessEnv): string;
export function clusterCacheDir(env?: NodeJS.ProcessEnv): string;
export function applyCold(argv?: string[]): string | undefined;
export function recipeHash(...parts: unknown[]): string;
export function cleanNpmEnv(env?: NodeJS.ProcessEnv): Record<string, string>;
export function functionSource(u: string, n: string): string;
