import { describe, expect, it } from 'vitest';
import { seal, unseal } from './seal.js';

describe('sealed settings', () => {
  it('opens what it sealed, and nothing sealed with another secret or tampered with', () => {
    const sealed = seal('secret-a', 'smtps://user:p%40ss@mail.example.com');
    expect(sealed).not.toContain('p%40ss');
    expect(sealed).not.toBe(seal('secret-a', 'smtps://user:p%40ss@mail.example.com')); // a fresh IV each time
    expect(unseal('secret-a', sealed)).toBe('smtps://user:p%40ss@mail.example.com');
    expect(unseal('secret-b', sealed)).toBeNull();
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = `${body!.startsWith('A') ? 'B' : 'A'}${body!.slice(1)}`;
    expect(unseal('secret-a', [v, iv, tag, flipped].join('.'))).toBeNull();
    expect(unseal('secret-a', 'not sealed')).toBeNull();
  });
});
