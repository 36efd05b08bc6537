import type { CustomerKind, FieldDefinition } from '../../shared/fields.js';

type BuiltIn = Omit<FieldDefinition, 'kind' | 'builtIn' | 'required' | 'purposes'> & Partial<FieldDefinition>;

const builtIn =
  (kind: CustomerKind) =>
  (definition: BuiltIn): FieldDefinition => ({ kind, builtIn: true, required: false, purposes: ['customer_relationship'], ...definition });
const person = builtIn('person');
const company = builtIn('company');

/** Relationship and preference fields both kinds have: internal, shown to anyone who may read the record. */
const shared = (kind: CustomerKind): FieldDefinition[] => {
  const field = builtIn(kind);
  return [
    field({
      key: 'lifecycleStage',
      type: 'select',
      labels: { en: 'Lifecycle stage', 'zh-CN': '生命周期阶段' },
      sensitivity: 'internal',
      lookup: 'none',
      options: ['lead', 'prospect', 'customer', 'churned'],
    }),
    field({ key: 'tags', type: 'tags', labels: { en: 'Tags', 'zh-CN': '标签' }, sensitivity: 'internal', lookup: 'none' }),
    field({ key: 'source', type: 'text', labels: { en: 'Source', 'zh-CN': '来源' }, sensitivity: 'internal', lookup: 'none' }),
    // The customer's id in the system they came from (an import's match key): unique, found exactly.
    field({ key: 'externalId', type: 'text', labels: { en: 'External ID', 'zh-CN': '外部编号' }, sensitivity: 'internal', lookup: 'exact', unique: true, validation: { maxLength: 128 } }),
    field({
      key: 'preferredChannels',
      type: 'multi_select',
      labels: { en: 'Preferred channels', 'zh-CN': '偏好渠道' },
      sensitivity: 'internal',
      lookup: 'none',
      options: ['email', 'phone', 'sms', 'wechat', 'whatsapp', 'mail'],
      purposes: ['marketing'],
    }),
    field({
      key: 'preferredLanguage',
      type: 'select',
      labels: { en: 'Preferred language', 'zh-CN': '偏好语言' },
      sensitivity: 'internal',
      lookup: 'none',
      options: ['zh-CN', 'en'],
    }),
    field({ key: 'topics', type: 'tags', labels: { en: 'Topics', 'zh-CN': '感兴趣的话题' }, sensitivity: 'internal', lookup: 'none', purposes: ['marketing'] }),
    field({ key: 'doNotContact', type: 'boolean', labels: { en: 'Do not contact', 'zh-CN': '请勿联系' }, sensitivity: 'internal', lookup: 'none', purposes: ['marketing'] }),
  ];
};

/** The fields every workspace has. Custom fields (issue #3, item 2) join them per workspace. */
export const BUILT_IN_FIELDS: readonly FieldDefinition[] = [
  person({ key: 'name', type: 'text', labels: { en: 'Name', 'zh-CN': '姓名' }, sensitivity: 'personal', lookup: 'name', required: true }),
  person({ key: 'email', type: 'email', labels: { en: 'Email', 'zh-CN': '邮箱' }, sensitivity: 'personal', lookup: 'exact' }),
  person({ key: 'phone', type: 'phone', labels: { en: 'Phone', 'zh-CN': '手机' }, sensitivity: 'personal', lookup: 'exact' }),
  person({ key: 'nationalId', type: 'national_id', labels: { en: 'National ID', 'zh-CN': '身份证号' }, sensitivity: 'sensitive', lookup: 'exact', purposes: ['identity_verification'] }),
  person({ key: 'birthDate', type: 'date', labels: { en: 'Date of birth', 'zh-CN': '出生日期' }, sensitivity: 'personal', lookup: 'none' }),
  person({
    key: 'gender',
    type: 'select',
    labels: { en: 'Gender', 'zh-CN': '性别' },
    sensitivity: 'personal',
    lookup: 'none',
    options: ['female', 'male', 'other', 'undisclosed'],
  }),
  person({ key: 'companyId', type: 'company', labels: { en: 'Company', 'zh-CN': '所属公司' }, sensitivity: 'internal', lookup: 'none' }),
  person({ key: 'address', type: 'long_text', labels: { en: 'Address', 'zh-CN': '地址' }, sensitivity: 'personal', lookup: 'none' }),
  // As a list gives them: the employer's name as written (the company link is companyId) and the city, both
  // internal so lists filter by them; duplicate detection compares names within the same company or city.
  person({ key: 'companyName', type: 'text', labels: { en: 'Company (as written)', 'zh-CN': '工作单位' }, sensitivity: 'internal', lookup: 'none', validation: { maxLength: 200 } }),
  person({ key: 'city', type: 'text', labels: { en: 'City', 'zh-CN': '城市' }, sensitivity: 'internal', lookup: 'none', validation: { maxLength: 100 } }),
  company({ key: 'name', type: 'text', labels: { en: 'Company name', 'zh-CN': '公司名称' }, sensitivity: 'public', lookup: 'name', required: true }),
  company({ key: 'domain', type: 'text', labels: { en: 'Domain', 'zh-CN': '域名' }, sensitivity: 'public', lookup: 'exact' }),
  company({ key: 'industry', type: 'text', labels: { en: 'Industry', 'zh-CN': '行业' }, sensitivity: 'public', lookup: 'none' }),
  company({
    key: 'size',
    type: 'select',
    labels: { en: 'Company size', 'zh-CN': '公司规模' },
    sensitivity: 'public',
    lookup: 'none',
    options: ['1-10', '11-50', '51-200', '201-1000', '1001+'],
  }),
  ...shared('person'),
  ...shared('company'),
];

export function fieldsFor(kind: CustomerKind): readonly FieldDefinition[] {
  return BUILT_IN_FIELDS.filter((field) => field.kind === kind);
}
