import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEmail } from './email.js';

describe('normalizeEmail', () => {
  it.each([
    ['zhang.wei@example.com', 'zhang.wei@example.com', 'zhang.wei@example.com'],
    ['  Zhang.Wei@Example.COM ', 'Zhang.Wei@Example.COM', 'zhang.wei@example.com'],
    ['zhang＠example．com', 'zhang@example.com', 'zhang@example.com'],
    ['ｚｈａｎｇ＠ｅｘａｍｐｌｅ。ｃｏｍ', 'zhang@example.com', 'zhang@example.com'],
    ['wei+crm@mail.example.co.uk', 'wei+crm@mail.example.co.uk', 'wei+crm@mail.example.co.uk'],
    ['张伟@例子.中国', '张伟@例子.中国', '张伟@例子.中国'],
    ['a@b.xn--fiqs8s', 'a@b.xn--fiqs8s', 'a@b.xn--fiqs8s'],
  ])('accepts %j as %j with match key %j', (input, value, matchKey) => {
    expect(normalizeEmail(input)).toEqual({ ok: true, value: { value, matchKey } });
  });

  it.each([
    ['', 'empty'],
    [' \t ', 'empty'],
    ['zhang', 'invalid_email'],
    ['zhang@', 'invalid_email'],
    ['@example.com', 'invalid_email'],
    ['zhang@example', 'invalid_email'],
    ['zhang@@example.com', 'invalid_email'],
    ['zhang@wei@example.com', 'invalid_email'],
    ['zhang wei@example.com', 'invalid_email'],
    ['zhang@exa mple.com', 'invalid_email'],
    ['.zhang@example.com', 'invalid_email'],
    ['zhang..wei@example.com', 'invalid_email'],
    ['zhang@example..com', 'invalid_email'],
    ['zhang@-example.com', 'invalid_email'],
    ['zhang@example.c', 'invalid_email'],
    ['zhang@example.123', 'invalid_email'],
    ['"zhang wei"@example.com', 'invalid_email'],
    [`${'a'.repeat(65)}@example.com`, 'invalid_email'],
    [`a@${'b'.repeat(64)}.com`, 'invalid_email'],
    [`${'a'.repeat(64)}@${`${'b'.repeat(60)}.`.repeat(4)}com`, 'too_long'],
  ])('refuses %j with %s', (input, reason) => {
    expect(normalizeEmail(input)).toEqual({ ok: false, reason });
  });

  const local = fc.stringMatching(/^[a-zA-Z0-9_+-]{1,20}(\.[a-zA-Z0-9_+-]{1,10})?$/);
  const domain = fc.stringMatching(/^[a-zA-Z0-9]{1,15}(\.[a-zA-Z0-9]{1,10})?\.[a-zA-Z]{2,6}$/);

  it('keeps what was typed, trimmed, and keys it in lower case', () => {
    fc.assert(
      fc.property(local, domain, fc.constantFrom('', ' ', '\t', '\u3000'), (user, host, padding) => {
        const typed = `${user}@${host}`;
        expect(normalizeEmail(`${padding}${typed}${padding}`)).toEqual({ ok: true, value: { value: typed, matchKey: typed.toLowerCase() } });
      }),
    );
  });

  it('gives the same match key whatever the case, and is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(fc.tuple(local, domain).map(([user, host]) => `${user}@${host}`), fc.string()), (input) => {
        const result = normalizeEmail(input);
        if (!result.ok) return;
        expect(result.value.value).not.toMatch(/\s/);
        expect(normalizeEmail(result.value.value)).toEqual(result);
        expect(normalizeEmail(result.value.value.toUpperCase())).toMatchObject({ ok: true, value: { matchKey: result.value.matchKey } });
      }),
    );
  });

  it('refuses any address with whitespace inside', () => {
    fc.assert(
      fc.property(local, domain, fc.constantFrom(' ', '\t', '\u00a0', '\n'), fc.nat(), (user, host, space, at) => {
        const typed = `${user}@${host}`;
        const position = 1 + (at % (typed.length - 1));
        expect(normalizeEmail(typed.slice(0, position) + space + typed.slice(position)).ok).toBe(false);
      }),
    );
  });
});
