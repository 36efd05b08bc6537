import { describe, expect, it } from 'vitest';
import { fail, ok, STANDARDIZE_MESSAGES, STANDARDIZE_PROBLEMS } from './result.js';

describe('standardize results', () => {
  it('has a one-sentence English message for every reason code', () => {
    for (const problem of STANDARDIZE_PROBLEMS) expect(STANDARDIZE_MESSAGES[problem]).toMatch(/^[A-Z].*\.$/);
    expect(Object.keys(STANDARDIZE_MESSAGES).sort()).toEqual([...STANDARDIZE_PROBLEMS].sort());
  });

  it('builds both shapes', () => {
    expect(ok('x')).toEqual({ ok: true, value: 'x' });
    expect(fail('invalid_phone')).toEqual({ ok: false, reason: 'invalid_phone' });
  });
});
