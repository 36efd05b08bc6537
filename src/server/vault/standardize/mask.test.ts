import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chineseIdCheckCharacter } from './national-id.js';
import { HIDDEN, maskBankCard, maskEmail, maskName, maskNationalId, maskPhone, maskText, maskValue } from './mask.js';

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^\\d{${min},${max}}$`));
const replaceMiddle = (value: string, head: number, tail: number, middle: string) => value.slice(0, head) + middle + value.slice(value.length - tail);

describe('maskPhone', () => {
  it.each([
    ['+8613800138000', '138****8000'],
    ['+861012345678', '101***5678'],
    ['+14155552671', '415***2671'],
    ['+442079460958', '207***0958'],
    ['+85221234567', '21****67'],
    ['+8522123456', '21***56'],
    ['+68221234', '2***4'],
    ['+6834000', '****'],
    ['138 0013 8000', '138****8000'],
  ])('shows %s as %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it('keeps the first 3 and last 4 of a mainland mobile and stars the 4 between', () => {
    fc.assert(
      fc.property(digits(10, 10), digits(4, 4), (national, middle) => {
        const mobile = `1${national}`;
        expect(maskPhone(`+86${mobile}`)).toBe(`${mobile.slice(0, 3)}****${mobile.slice(7)}`);
        expect(maskPhone(`+86${replaceMiddle(mobile, 3, 4, middle)}`)).toBe(maskPhone(`+86${mobile}`));
      }),
    );
  });

  it('hides at least three digits and shows no digit that is not at the ends', () => {
    fc.assert(
      fc.property(digits(1, 17), (raw) => {
        const masked = maskPhone(`x${raw}`);
        expect(masked).toHaveLength(raw.length);
        expect(masked.replace(/\d/g, '').length).toBeGreaterThanOrEqual(Math.min(3, raw.length));
        expect(masked).toMatch(/^\d{0,3}\*+\d{0,4}$/);
      }),
    );
  });
});

describe('maskEmail', () => {
  it.each([
    ['zhang.wei@example.com', 'z***@example.com'],
    ['Z@example.com', '***@example.com'],
    ['张伟@例子.中国', '张***@例子.中国'],
    ['not an email', '***'],
  ])('shows %s as %s', (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });

  it('shows one character of the local part at most, whatever its length', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9._+-]{1,64}$/), fc.stringMatching(/^[a-z0-9]{1,20}\.[a-z]{2,6}$/), fc.stringMatching(/^[a-z0-9._+-]{0,64}$/), (local, domain, otherTail) => {
        const masked = maskEmail(`${local}@${domain}`);
        expect(masked.endsWith(`${HIDDEN}@${domain}`)).toBe(true);
        expect(masked.length).toBeLessThanOrEqual(1 + HIDDEN.length + 1 + domain.length);
        if (local.length > 1 && otherTail.length > 0) expect(maskEmail(`${local[0]}${otherTail}@${domain}`)).toBe(masked);
        if (local.length > 2) expect(masked.split('@')[0]).not.toContain(local.slice(1));
      }),
    );
  });
});

describe('maskNationalId', () => {
  it('shows the first 3 and last 4, the same length', () => {
    expect(maskNationalId('110101199003071234')).toBe('110***********1234');
    expect(maskNationalId('11010519491231002X')).toBe('110***********002X');
    expect(maskNationalId('12345')).toBe('*****');
  });

  it('never shows the birth date, and does not depend on what lies between the ends', () => {
    fc.assert(
      fc.property(digits(6, 6), fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2025-01-01T00:00:00Z'), noInvalidDate: true }), digits(3, 3), digits(11, 11), (region, birth, sequence, otherMiddle) => {
        const body = region + birth.toISOString().slice(0, 10).replaceAll('-', '') + sequence;
        const id = body + chineseIdCheckCharacter(body);
        const masked = maskNationalId(id);
        expect(masked).toHaveLength(18);
        expect(masked).toBe(`${id.slice(0, 3)}${'*'.repeat(11)}${id.slice(14)}`);
        expect(masked).not.toContain(id.slice(6, 14));
        expect(maskNationalId(replaceMiddle(id, 3, 4, otherMiddle))).toBe(masked);
      }),
    );
  });
});

describe('maskBankCard', () => {
  it('shows only the last four, in a shape that hides the length', () => {
    expect(maskBankCard('6222021234567890128')).toBe('**** **** **** 0128');
    expect(maskBankCard('4111 1111 1111 1234')).toBe('**** **** **** 1234');
    expect(maskBankCard('1234')).toBe('****');
  });

  it('depends on nothing but the last four digits', () => {
    fc.assert(
      fc.property(digits(12, 19), digits(8, 15), (card, otherBody) => {
        const masked = maskBankCard(card);
        expect(masked).toMatch(/^\*{4} \*{4} \*{4} \d{4}$/);
        expect(maskBankCard(otherBody + card.slice(-4))).toBe(masked);
      }),
    );
  });
});

describe('maskName', () => {
  it.each([
    ['张伟', '张*'],
    ['欧阳娜娜', '欧*'],
    ['Wei Zhang', 'W* Z*'],
    ['  Wei   Zhang ', 'W* Z*'],
    ['张', '*'],
    ['J Smith', '* S*'],
    ['', HIDDEN],
  ])('shows %j as %j', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it('shows one character per word, so no two hidden characters ever appear together', () => {
    const word = fc.stringMatching(/^[\p{L}]{1,12}$/u);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), fc.array(word, { minLength: 5, maxLength: 5 }), (words, others) => {
        const masked = maskName(words.join(' '));
        expect(masked).not.toMatch(/\p{L}\p{L}/u);
        const sameInitials = words.map((w, i) => ([...w].length > 1 ? [...w][0]! + others[i]! : w));
        expect(maskName(sameInitials.join(' '))).toBe(masked);
        for (const w of words) if ([...w].length > 2) expect(masked).not.toContain([...w].slice(1).join(''));
      }),
    );
  });
});

describe('maskValue', () => {
  it('masks by kind, and free text entirely', () => {
    expect(maskValue('phone', '+8613800138000')).toBe('138****8000');
    expect(maskValue('email', 'zhang.wei@example.com')).toBe('z***@example.com');
    expect(maskValue('national_id', '110101199003071234')).toBe('110***********1234');
    expect(maskValue('bank_card', '6222021234567890128')).toBe('**** **** **** 0128');
    expect(maskValue('name', '张伟')).toBe('张*');
    expect(maskValue('text', 'VIP, prefers calls after 6pm')).toBe(HIDDEN);
    fc.assert(fc.property(fc.string(), (text) => maskText(text) === HIDDEN));
  });
});
