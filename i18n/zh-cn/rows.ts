// Why a feed row was rejected, in Simplified Chinese (the kiosk's manager screen). Column names and values stay as the
// file has them: they are what the person fixing the feed searches for.
import type { RowErrorParams } from '../../core/feeds/row-errors.ts';
import type { RowErrorTranslation } from '../translation.ts';

const s = (p: RowErrorParams, k: string) => String(p[k] ?? '');

/** What an amount, a choice column, a deal kind or a basket's owner is called in Chinese. */
const WHAT: Readonly<Record<string, string>> = {
  price: '价格', discount: '折扣', budget: '预算',
  brand_type: '品牌类型', scope_type: '范围类型', kind: '类型', member: '会员', date: '日期',
  percent: '百分比', amount: '金额', multibuy: '多买优惠',
};
const what = (p: RowErrorParams, k: string) => WHAT[s(p, k)] ?? s(p, k);

/** 每个行错误代码的中文原因。 */
export const rows: RowErrorTranslation = {
  'missing-value': () => '缺少值',
  'not-text': () => '不是文本',
  'not-a-list': () => '不是列表',
  'not-ean13': () => '不是 EAN-13 会员卡号',
  'wrong-check-digit': () => '校验位错误',
  'not-boolean': () => '不是 true 或 false',
  'not-email': () => '不是电子邮件地址',
  'not-a-date': () => '不是有效日期',
  'basket-reused': () => '该购物篮编号已用于其他会员或日期',
  'basket-imported-elsewhere': () => '该购物篮编号已按其他会员或日期导入',
  'basket-belongs-elsewhere': (p) => `购物篮 ${s(p, 'basket')} 已属于另一个${what(p, 'owner')}`,
  'unknown-member': () => '未知会员',
  'unknown-product': () => '未知商品',
  'not-positive-qty': () => '数量必须大于 0',
  'deal-ends-before-start': () => '优惠的结束日期早于开始日期',
  'not-whole-cents': (p) => `${what(p, 'what')}不是整数（以分计）`,
  negative: (p) => `${what(p, 'what')}为负数`,
  'unknown-choice': (p) => `未知的${what(p, 'field')}`,
  'not-whole-in-range': (p) => `不是 ${s(p, 'lo')} 到 ${s(p, 'hi')} 之间的整数`,
  'bad-deal-value': (p) => `不是有效的${what(p, 'kind')}数值`,
  'duplicate-column': () => '列重复',
  'unknown-column': () => '未知列',
  'missing-columns': (p) => `缺少必需的列 ${s(p, 'columns')}：无法读取任何行`,
  'field-count': (p) => `有 ${s(p, 'fields')} 个字段，而表头有 ${s(p, 'header')} 个`,
  'not-json-object': () => '不是 JSON 对象',
  'malformed-json': (p) => `JSON 格式错误（${s(p, 'detail')}）`,
  'not-json-array': () => '不是 JSON 数组',
  'text-after-json-array': () => 'JSON 数组结束后还有内容',
  'json-array-not-closed': () => 'JSON 数组没有结束',
  'empty-file': () => '空文件',
  'not-utf8': () => '不是 UTF-8 编码',
  'quote-not-closed': () => '引号中的字段没有结束',
  'malformed-quotes': () => '引号格式错误',
  'row-rejected': () => '该行被拒绝',
};
