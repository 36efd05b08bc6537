import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeBankCard, passesLuhn } from './bank-card.js';

const luhnCheckDigit = (body: string): string => [...'0123456789'].find((digit) => passesLuhn(body + digit))!;
const validCard = fc.stringMatching(/^\d{11,18}$/).map((body) => body + luhnCheckDigit(body));

describe('normalizeBankCard', () => {
  it.each([
    ['4111 1111 1111 1111', '4111111111111111'],
    ['5500-0055-5555-5559', '5500005555555559'],
    ['378282246310005', '378282246310005'],
    ['6200 0000 0000 0005', '6200000000000005'],
    ['6205 5000 0000 0000 004', '6205500000000000004'],
    ['６２５０　９４１０　０６５２　８５９９', '6250941006528599'],
  ])('accepts %j as %s', (input, expected) => {
    expect(normalizeBankCard(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'empty'],
    [' - ', 'empty'],
    ['4111 1111 1111 1112', 'invalid_checksum'],
    ['4111 1111 11', 'invalid_bank_card'],
    ['41111111111111111111', 'invalid_bank_card'],
    ['4111.1111.1111.1111', 'invalid_bank_card'],
    ['4111 1111 1111 111A', 'invalid_bank_card'],
  ])('refuses %j with %s', (input, reason) => {
    expect(normalizeBankCard(input)).toEqual({ ok: false, reason });
  });

  it('accepts every 12–19 digit number with its Luhn digit, grouped or not', () => {
    fc.assert(
      fc.property(validCard, fc.constantFrom('', ' ', '-'), (card, separator) => {
        const grouped = card.match(/.{1,4}/g)!.join(separator);
        expect(normalizeBankCard(grouped)).toEqual({ ok: true, value: card });
      }),
    );
  });

  it('refuses any single changed digit', () => {
    fc.assert(
      fc.property(validCard, fc.nat(), fc.integer({ min: 1, max: 9 }), (card, at, shift) => {
        const position = at % card.length;
        const changed = String((Number(card[position]) + shift) % 10);
        const typo = card.slice(0, position) + changed + card.slice(position + 1);
        expect(normalizeBankCard(typo)).toEqual({ ok: false, reason: 'invalid_checksum' });
      }),
      { numRuns: 1000 },
    );
  });
});
