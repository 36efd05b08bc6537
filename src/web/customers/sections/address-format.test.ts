import { describe, expect, it } from 'vitest';
import type { Address } from '../sections-api.js';
import { formatAddressLine, isMaskedText, primaryFirst } from './address-format.js';
import { addressChanges, addressFormOf, addressInput, emptyAddressForm, streetMissing } from './address-form.js';

const address = (over: Partial<Address>): Address => ({
  id: 'a1',
  type: 'home',
  label: null,
  country: 'CN',
  region: null,
  city: null,
  district: null,
  street: 'x',
  postalCode: null,
  primary: false,
  createdAt: '2026-11-29T00:00:00.000Z',
  updatedAt: '2026-11-29T00:00:00.000Z',
  ...over,
});

describe('an address on one line', () => {
  it('writes a Chinese address from the province down, as one run of text', () => {
    const shenzhen = address({ region: '广东省', city: '深圳市', district: '南山区', street: '科技园路1号', postalCode: '518057' });
    expect(formatAddressLine(shenzhen, '中国')).toBe('中国 广东省深圳市南山区科技园路1号 518057');
  });

  it('names a municipality once when it is both province and city', () => {
    expect(formatAddressLine(address({ region: '北京市', city: '北京市', district: '朝阳区', street: '建国路88号' }), 'China')).toBe('China 北京市朝阳区建国路88号');
  });

  it('writes other countries street first, then city, region with postal code, country', () => {
    const springfield = address({ country: 'US', region: 'IL', city: 'Springfield', street: '1 Main St', postalCode: '62701' });
    expect(formatAddressLine(springfield, 'United States')).toBe('1 Main St, Springfield, IL 62701, United States');
    expect(formatAddressLine(address({ country: 'GB', city: 'London', street: '10 Downing St', postalCode: 'SW1A 2AA' }), 'United Kingdom')).toBe(
      '10 Downing St, London, SW1A 2AA, United Kingdom',
    );
  });

  it('keeps masked parts apart, so a masked address still reads as one', () => {
    const masked = address({ region: '***', city: '***', district: '***', street: '***' });
    expect(formatAddressLine(masked, '中国')).toBe('中国 *** *** *** ***');
    expect(isMaskedText('***')).toBe(true);
    expect(isMaskedText('1 Main St')).toBe(false);
  });

  it('lists the primary address first and keeps the order of the rest', () => {
    const items = [address({ id: 'a' }), address({ id: 'b', primary: true }), address({ id: 'c' })];
    expect(primaryFirst(items).map((each) => each.id)).toEqual(['b', 'a', 'c']);
  });
});

describe('the address form', () => {
  it('sends the filled-in parts, trimmed, and leaves out empty ones', () => {
    const values = { ...emptyAddressForm(true), region: ' 广东省 ', city: '深圳市', street: ' 科技园路1号 ' };
    expect(addressInput(values)).toEqual({ type: 'home', country: 'CN', primary: true, region: '广东省', city: '深圳市', street: '科技园路1号' });
  });

  it('sends only what changed on edit, null for a cleared part', () => {
    const stored = address({ city: '深圳市', district: '南山区', street: '科技园路1号' });
    const values = { ...addressFormOf(stored), district: '', street: '科技园路2号', type: 'work' as const };
    expect(addressChanges(stored, values)).toEqual({ type: 'work', district: null, street: '科技园路2号' });
  });

  it('keeps masked parts unless something new is typed over them', () => {
    const stored = address({ city: '***', street: '***' });
    const values = addressFormOf(stored);
    expect(values.street).toBe('');
    expect(streetMissing(values, stored)).toBe(false);
    expect(addressChanges(stored, values)).toEqual({});
    expect(addressChanges(stored, { ...values, city: '广州市' })).toEqual({ city: '广州市' });
    expect(streetMissing({ ...emptyAddressForm(false) }, null)).toBe(true);
  });
});
