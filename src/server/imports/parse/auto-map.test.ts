import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldsFor } from '../../vault/built-in-fields.js';
import { autoMap, matchKey, type MappableField } from './auto-map.js';

const person = fieldsFor('person');
const company = fieldsFor('company');

/** Full-width forms of ASCII, as a Chinese input method types them. */
const fullWidth = (text: string) => text.replace(/[!-~]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');

describe('autoMap', () => {
  it.each([
    ['姓名', 'name'],
    ['客户姓名', 'name'],
    ['联系人', 'name'],
    ['手机号码', 'phone'],
    ['联系电话', 'phone'],
    ['Mobile', 'phone'],
    ['TEL', 'phone'],
    ['E-mail', 'email'],
    ['e_mail', 'email'],
    ['ＥＭＡＩＬ', 'email'],
    ['  电子邮箱 ', 'email'],
    ['身份证号码', 'nationalId'],
    ['National ID', 'nationalId'],
    ['公司', 'companyName'],
    ['Company', 'companyName'],
    ['工作单位', 'companyName'],
    ['所在城市', 'city'],
    ['联系地址', 'address'],
    ['Sex', 'gender'],
    ['DOB', 'birthDate'],
    ['出生日期', 'birthDate'],
    ['标签', 'tags'],
    ['来源', 'source'],
    ['客户编号', 'externalId'],
    ['ID', 'externalId'],
    ['Lifecycle stage', 'lifecycleStage'],
    ['偏好渠道', 'preferredChannels'],
    ['doNotContact', 'doNotContact'],
    ['备注', null],
    ['', null],
  ])('maps the person column %j to %s', (header, key) => {
    expect(autoMap([header], person)).toEqual([key]);
  });

  it.each([
    ['公司', 'name'],
    ['公司名称', 'name'],
    ['Company', 'name'],
    ['行业', 'industry'],
    ['网站', 'domain'],
    ['Website', 'domain'],
    ['公司规模', 'size'],
    ['姓名', null],
    ['联系人', null],
    ['手机', null],
  ])('maps the company column %j to %s', (header, key) => {
    expect(autoMap([header], company)).toEqual([key]);
  });

  it('gives each field to the first column that claims it', () => {
    expect(autoMap(['手机', '电话', 'Phone', '姓名', 'Name (2)', '名字'], person)).toEqual(['phone', null, null, 'name', null, null]);
  });

  it('matches custom fields by key or either label', () => {
    const custom: MappableField[] = [
      ...person,
      { kind: 'person', key: 'wechatId', type: 'text', labels: { en: 'WeChat ID', 'zh-CN': '微信号' } },
      { kind: 'person', key: 'vipLevel', type: 'select', labels: { en: 'VIP level', 'zh-CN': '会员等级' }, options: ['gold', 'silver'] },
    ];
    expect(autoMap(['微信号', 'VIP-Level', 'wechat_id'], custom)).toEqual(['wechatId', 'vipLevel', null]);
    expect(autoMap(['WECHATID'], custom)).toEqual(['wechatId']);
  });

  it('does not offer a field that was not passed in', () => {
    expect(autoMap(['手机', '姓名'], person.filter((field) => field.key !== 'phone'))).toEqual([null, 'name']);
    expect(autoMap(['姓名'], [])).toEqual([null]);
  });

  it('is unaffected by case, width, spacing and punctuation', () => {
    const headers = fc.array(fc.constantFrom('姓名', 'Mobile', 'E-mail', 'National ID', 'Company', 'City', 'DOB', 'Tags', 'External ID', 'Notes', 'Phone', 'gender'), { maxLength: 10 });
    const disguise = fc.constantFrom<(header: string) => string>(
      (h) => h.toUpperCase(),
      (h) => h.toLowerCase(),
      fullWidth,
      (h) => ` ${h.replace(/ /g, '_')} `,
      (h) => [...h].join(' '),
      (h) => `${h}:`,
    );
    fc.assert(
      fc.property(headers, fc.array(disguise, { minLength: 10, maxLength: 10 }), (names, disguises) => {
        expect(autoMap(names.map((name, i) => disguises[i]!(name)), person)).toEqual(autoMap(names, person));
      }),
    );
  });

  it('maps a column again to the same field when it is renamed to that field’s key or label (idempotent)', () => {
    const names = fc.array(fc.constantFrom('姓名', '手机', 'E-mail', '身份证', '公司', '城市', '生日', '标签', '编号', '备注', '性别', '地址', 'Phone'), { maxLength: 12 });
    fc.assert(
      fc.property(names, fc.constantFrom('key', 'en', 'zh-CN'), (headers, rename) => {
        const first = autoMap(headers, person);
        const renamed = headers.map((header, i) => {
          const field = person.find((candidate) => candidate.key === first[i]);
          if (!field) return header;
          return rename === 'key' ? field.key : field.labels[rename];
        });
        expect(autoMap(renamed, person)).toEqual(first);
      }),
    );
  });
});

describe('matchKey', () => {
  it('folds width and case, and drops spaces and punctuation', () => {
    expect(matchKey(' Ｅ-Mail_ ')).toBe('email');
    expect(matchKey('手机（号码）')).toBe('手机号码');
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(matchKey(matchKey(text))).toBe(matchKey(text));
      }),
    );
  });
});
