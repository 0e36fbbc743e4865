// Why a feed row was rejected, in Simplified Chinese. The validators (core/feeds) write English sentences, which the
// `larder validate` command and the rejected-rows CSV keep as they are; the kiosk's manager screen shows them in the
// kiosk's language. Each sentence the validators can write is here, word for word or as a pattern with its values
// (test/node/row-messages.test.ts feeds every kind of bad row through the validators and checks each is translated);
// a sentence not found is shown in English.

const FIXED: Record<string, string> = {
  'missing value': '缺少值',
  'not text': '不是文本',
  'not a list': '不是列表',
  'not an EAN-13 card code': '不是 EAN-13 会员卡号',
  'wrong check digit': '校验位错误',
  'not true or false': '不是 true 或 false',
  'not a real date': '不是有效日期',
  'basket id already used for another member or date': '该购物篮编号已用于其他会员或日期',
  'basket id already imported for another member or date': '该购物篮编号已按其他会员或日期导入',
  'unknown member': '未知会员',
  'unknown product': '未知商品',
  'not a positive quantity': '数量必须大于 0',
  'deal ends before it starts': '优惠的结束日期早于开始日期',
  'duplicate column': '列重复',
  'unknown column': '未知列',
  'not a JSON object': '不是 JSON 对象',
  'not a JSON array': '不是 JSON 数组',
  'text after the end of the JSON array': 'JSON 数组结束后还有内容',
  'JSON array is never closed': 'JSON 数组没有结束',
  'empty file': '空文件',
  'not UTF-8': '不是 UTF-8 编码',
  'quoted field is never closed': '引号中的字段没有结束',
  'malformed quotes': '引号格式错误',
  'row rejected': '该行被拒绝',
};

/** What a few message parameters name, in Chinese. */
const WHAT: Record<string, string> = {
  price: '价格', discount: '折扣', budget: '预算',
  'brand type': '品牌类型', 'scope type': '范围类型', kind: '类型', member: '会员', date: '日期',
  percent: '百分比', amount: '金额', multibuy: '多买优惠',
};
const what = (w: string) => WHAT[w] ?? w;

const PATTERNS: [RegExp, (...m: string[]) => string][] = [
  [/^(.+) is not a whole number of cents$/, (w) => `${what(w!)}不是整数（以分计）`],
  [/^negative (.+)$/, (w) => `${what(w!)}为负数`],
  [/^unknown (.+)$/, (w) => `未知的${what(w!)}`],
  [/^not a whole number from (-?\d+) to (-?\d+)$/, (lo, hi) => `不是 ${lo} 到 ${hi} 之间的整数`],
  [/^not a valid (.+) value$/, (k) => `不是有效的${what(k!)}数值`],
  [/^missing required columns? (.+): no row can be read$/, (cols) => `缺少必需的列 ${cols}：无法读取任何行`],
  [/^(\d+) fields where the header has (\d+)$/, (n, h) => `有 ${n} 个字段，而表头有 ${h} 个`],
  [/^malformed JSON \((.*)\)$/s, (detail) => `JSON 格式错误（${detail}）`],
  [/^basket (.+) already belongs to another (member|date)$/, (id, w) => `购物篮 ${id} 已属于另一个${what(w!)}`],
];

/** A rejected row's reason in Simplified Chinese; the English sentence when it is not one the validators write. */
export function zhRowMessage(message: string): string {
  const fixed = FIXED[message];
  if (fixed) return fixed;
  for (const [pattern, say] of PATTERNS) {
    const m = pattern.exec(message);
    if (m) return say(...m.slice(1));
  }
  return message;
}
