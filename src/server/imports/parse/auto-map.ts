import type { CustomerKind, FieldType } from '../../../shared/fields.js';

/** A field a column can be imported into (the caller passes only the fields of the kind imported). */
export interface MappableField {
  kind: CustomerKind;
  key: string;
  type: FieldType;
  labels: { en: string; 'zh-CN': string };
  options?: string[];
}

/**
 * Column names people actually use, for the built-in fields. A name that means different fields
 * for the two kinds ("公司" is a person's employer but a company's own name) lists both.
 */
const SYNONYMS: readonly { person?: string; company?: string; names: string[] }[] = [
  { person: 'name', names: ['姓名', '名字', '客户姓名', '联系人', 'Full name'] },
  { company: 'name', names: ['客户名称', '企业名称', 'Company name'] },
  { person: 'companyName', company: 'name', names: ['公司', '公司名称', '单位', '工作单位', 'Company', 'Organization', 'Organisation'] },
  { person: 'phone', company: 'phone', names: ['手机', '手机号', '手机号码', '电话', '联系电话', '移动电话', 'Mobile', 'Phone', 'Tel', 'Telephone', 'Cell', 'Mobile phone', 'Phone number'] },
  { person: 'email', company: 'email', names: ['邮箱', '电子邮箱', '邮件', '电子邮件', 'E-mail', 'Email', 'Mail', 'Email address'] },
  { person: 'nationalId', names: ['身份证', '身份证号', '身份证号码', '证件号码', 'ID number', 'National ID'] },
  { person: 'city', company: 'city', names: ['城市', '所在城市', 'City'] },
  { person: 'address', company: 'address', names: ['地址', '联系地址', 'Address'] },
  { person: 'gender', names: ['性别', 'Gender', 'Sex'] },
  { person: 'birthDate', names: ['生日', '出生日期', 'Birthday', 'Date of birth', 'DOB', 'Birth date'] },
  { person: 'tags', company: 'tags', names: ['标签', 'Tags'] },
  { person: 'source', company: 'source', names: ['来源', 'Source'] },
  { person: 'externalId', company: 'externalId', names: ['外部编号', '客户编号', '编号', 'External ID', 'Customer ID', 'ID'] },
  { company: 'industry', names: ['行业', 'Industry'] },
  { company: 'domain', names: ['域名', '网站', '网址', 'Website', 'Domain'] },
  { person: 'lifecycleStage', company: 'lifecycleStage', names: ['阶段', '生命周期阶段', 'Lifecycle stage', 'Stage'] },
];

const SYNONYM_TARGETS: Record<CustomerKind, Map<string, string>> = { person: new Map(), company: new Map() };
for (const synonym of SYNONYMS) {
  for (const kind of ['person', 'company'] as const) {
    const target = synonym[kind];
    if (target) for (const name of synonym.names) SYNONYM_TARGETS[kind].set(matchKey(name), target);
  }
}

/**
 * A name reduced to what identifies it: full-width forms folded (NFKC), lower case, no spaces,
 * punctuation or symbols — `E-mail`, `e_mail`, `ＥＭＡＩＬ` and ` Email ` are all `email`.
 */
export function matchKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}

/**
 * Column index → field key, or null when no field matches. A column matches a field by its key,
 * a known synonym, or its English or Chinese label, in that order of preference (so "Company"
 * on a person is the employer's name, not the company link labelled the same); the first column
 * to claim a field gets it.
 */
export function autoMap(headers: readonly string[], fields: readonly MappableField[]): (string | null)[] {
  const byKey = new Map<string, string>();
  const byLabel = new Map<string, string>();
  const present = new Set(fields.map((field) => field.key));
  for (const field of fields) {
    byKey.set(matchKey(field.key), field.key);
    for (const label of [field.labels.en, field.labels['zh-CN']]) if (!byLabel.has(matchKey(label))) byLabel.set(matchKey(label), field.key);
  }
  const kind = fields[0]?.kind ?? 'person';
  const used = new Set<string>();
  return headers.map((header) => {
    const key = matchKey(header);
    if (key === '') return null;
    const synonym = SYNONYM_TARGETS[kind].get(key);
    const field = byKey.get(key) ?? (synonym !== undefined && present.has(synonym) ? synonym : undefined) ?? byLabel.get(key);
    if (field === undefined || used.has(field)) return null;
    used.add(field);
    return field;
  });
}
