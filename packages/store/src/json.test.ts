import { describe, expect, it } from 'vitest';
import { frozenJson } from './json.js';

describe('frozenJson', () => {
  it('writes a frozen value once and an unfrozen one each time, as JSON.stringify does', () => {
    const shared = Object.freeze({ address: '84.208.1.1', types: Object.freeze(['hosting']) });
    expect(frozenJson(shared)).toBe(JSON.stringify(shared));
    expect(frozenJson(shared)).toBe(frozenJson(shared));
    const own: { country: string } = { country: 'NO' };
    expect(frozenJson(own)).toBe('{"country":"NO"}');
    own.country = 'SE';
    expect(frozenJson(own)).toBe('{"country":"SE"}');
  });
});
