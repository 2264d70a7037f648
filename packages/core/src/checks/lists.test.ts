import { describe, expect, it } from 'vitest';
import { lists } from './lists.js';
import { facts, history, input } from './test-support/fixtures.js';

describe('lists', () => {
  it('one check per list the store compared, true when a value matched', () => {
    const h = history({
      lists: [
        { name: 'blocked ips', type: 'cidr', matched: true },
        { name: 'vip', type: 'user', matched: false },
      ],
    });
    expect(lists(input(), facts(), h)).toEqual({ 'in_list:blocked ips': true, 'in_list:vip': false });
  });

  it('none without lists', () => {
    expect(lists(input(), facts(), history())).toEqual({});
  });

  it('a name that comes twice matches when either does', () => {
    const h = history({
      lists: [
        { name: 'bad', type: 'ip', matched: true },
        { name: 'bad', type: 'ip', matched: false },
      ],
    });
    expect(lists(input(), facts(), h)).toEqual({ 'in_list:bad': true });
  });
});
