export function skippedCount(tap: string): number;
