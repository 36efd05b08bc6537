import { nationalDigits } from './phone.js';

/**
 * What a viewer without clearance sees instead of a `personal` value (DESIGN.md, "Data
 * classification"). Masks are computed from the clear value on the server and only the mask
 * leaves it; each keeps just enough to recognise a value you already know, never enough to
 * learn one you do not.
 */
export type MaskKind = 'phone' | 'email' | 'national_id' | 'bank_card' | 'name' | 'text';

export const HIDDEN = '***';

export function maskValue(kind: MaskKind, value: string): string {
  switch (kind) {
    case 'phone':
      return maskPhone(value);
    case 'email':
      return maskEmail(value);
    case 'national_id':
      return maskNationalId(value);
    case 'bank_card':
      return maskBankCard(value);
    case 'name':
      return maskName(value);
    case 'text':
      return maskText(value);
  }
}

/**
 * The national number with its middle starred, one star per hidden digit, the way Chinese
 * apps show phones: `+8613800138000` → `138****8000`. Shorter numbers keep less so at least
 * three digits stay hidden: 10+ digits keep 3 + 4, 7–9 keep 2 + 2, 5–6 keep 1 + 1, shorter none.
 */
export function maskPhone(e164: string): string {
  const digits = nationalDigits(e164) ?? e164.replace(/\D/g, '');
  const [head, tail] = digits.length >= 10 ? [3, 4] : digits.length >= 7 ? [2, 2] : digits.length >= 5 ? [1, 1] : [0, 0];
  return keepEnds(digits, head, tail);
}

/**
 * First character of the local part and a fixed `***` (its length is not shown), domain kept:
 * `zhang.wei@example.com` → `z***@example.com`. A one-character local part is hidden entirely.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0) return HIDDEN;
  const local = [...email.slice(0, at)];
  const shown = local.length > 1 ? local[0]! : '';
  return `${shown}${HIDDEN}${email.slice(at)}`;
}

/**
 * First 3 (province and city) and last 4, same length: `110101199003071234` →
 * `110***********1234`. The birth date in the middle is what must not show.
 */
export function maskNationalId(id: string): string {
  const chars = [...id];
  return chars.length >= 10 ? keepEnds(id, 3, 4) : '*'.repeat(chars.length);
}

/** Last four digits in a fixed four-group shape, so the card's length is not shown either. */
export function maskBankCard(card: string): string {
  const digits = card.replace(/\D/g, '');
  return digits.length >= 8 ? `**** **** **** ${digits.slice(-4)}` : '****';
}

/**
 * First character of each word and one `*` for the rest, whatever its length: `张伟` → `张*`,
 * `欧阳娜娜` → `欧*`, `Wei Zhang` → `W* Z*`. A one-character word becomes `*`, since its first
 * character would be all of it.
 */
export function maskName(name: string): string {
  const words = name.trim().split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return HIDDEN;
  return words.map((word) => {
    const chars = [...word];
    return chars.length > 1 ? `${chars[0]}*` : '*';
  }).join(' ');
}

/** Free text has no safe part to show. */
export function maskText(_text: string): string {
  return HIDDEN;
}

function keepEnds(value: string, head: number, tail: number): string {
  const chars = [...value];
  const hidden = chars.length - head - tail;
  return chars.slice(0, head).join('') + '*'.repeat(hidden) + chars.slice(chars.length - tail).join('');
}
