import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ApplyFailure, saveErrorCode } from '../../../../src/core/yaml/applyEdit';

describe('editable YAML: a failed save becomes a typed FileSystemError', () => {
  it('maps every failure kind to the code that says what happened', () => {
    const table: Record<ApplyFailure['kind'], ReturnType<typeof saveErrorCode>> = {
      conflict: 'FileExists',
      gone: 'FileNotFound',
      forbidden: 'NoPermissions',
      error: 'Unavailable',
      'invalid-yaml': 'Unknown',
      rejected: 'Unknown',
    };
    for (const [kind, code] of Object.entries(table)) assert.equal(saveErrorCode(kind as ApplyFailure['kind']), code, kind);
  });
});
