import { describe, expect, it } from 'vitest';
import { lookupFor } from './search-query.js';

describe('the customer search box', () => {
  it.each([
    ['zhang.wei@example.com', { key: 'email', value: 'zhang.wei@example.com' }],
    ['  Z.Wei@Example.com ', { key: 'email', value: 'Z.Wei@Example.com' }],
    ['138 0013 8000', { key: 'phone', value: '138 0013 8000' }],
    ['+86-138-0013-8000', { key: 'phone', value: '+86-138-0013-8000' }],
    ['(010) 6552 9988', { key: 'phone', value: '(010) 6552 9988' }],
    ['１３８００１３８０００', { key: 'phone', value: '１３８００１３８０００' }],
    ['11010519491231002X', { key: 'nationalId', value: '11010519491231002X' }],
    ['110105 19491231 002x', { key: 'nationalId', value: '11010519491231002X' }],
    ['110105194912310021', { key: 'nationalId', value: '110105194912310021' }],
    ['张伟', { key: 'name', value: '张伟' }],
    ['Acme Trading', { key: 'name', value: 'Acme Trading' }],
    ['Room 101', { key: 'name', value: 'Room 101' }],
    ['12', { key: 'name', value: '12' }],
  ])('reads %j as a lookup by %o', (text, expected) => {
    expect(lookupFor(text)).toEqual(expected);
  });

  it('asks nothing for an empty box', () => {
    expect(lookupFor('   ')).toBeNull();
  });
});
