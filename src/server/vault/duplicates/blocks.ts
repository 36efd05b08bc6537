import { nameSound, normalizeCity, normalizeCompany, normalizeName } from './normalize.js';

/**
 * The blocks a customer falls in: two customers are compared only when they share one (or an
 * identifier), so detection never compares every pair. A name blocks only together with a city
 * (`c:`) or a company (`o:`): the same name alone is too common to mean anything. The name is
 * blocked by its sound (`p:` toneless pinyin of the normalized name), so 王伟 and 王偉, and
 * 张三丰 and 张三峰 of one city meet; scoring tells written from sounded matches apart. The keys
 * are blind-indexed before they are stored.
 */
export function blockKeys(customer: { name: string; companyName?: string | null; city?: string | null }): string[] {
  const name = normalizeName(customer.name);
  if (name === '') return [];
  const sound = nameSound(customer.name);
  const anchors: string[] = [];
  const city = customer.city ? normalizeCity(customer.city) : '';
  const company = customer.companyName ? normalizeCompany(customer.companyName) : '';
  if (city) anchors.push(`c:${city}`);
  if (company) anchors.push(`o:${company}`);
  const keys = new Set<string>();
  // Names written alike sound alike, so the sound alone blocks both (one key per anchor, not two).
  for (const anchor of anchors) keys.add(`p:${sound || name}|${anchor}`);
  return [...keys];
}
