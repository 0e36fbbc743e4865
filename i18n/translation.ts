// The one shape every language fills (as Shoelace's `Translation`): a key missing from a language, or a code missing
// from one of its tables, fails `npm run typecheck`. Each surface's part is its own interface, so a page loads only its part.
import type { BrandLoyalty, Day, ReasonParams, UsageTier } from '../core/types.ts';
import type { RefusalReason } from '../core/checkout/checkout.ts';
import type { NothingApplies } from '../core/checkout/receipt.ts';
import type { ChurnAction, ChurnReasonCode } from '../core/insights/churn.ts';
import type { ReasonCode } from '../core/lists/reasons.ts';
import type { RowErrorCode, RowErrorParams } from '../core/feeds/row-errors.ts';

/** The languages Larder speaks. */
export type Locale = 'en' | 'zh-CN';

/** Why a card scan shows no list (the scan screen and the member screen). */
export type ScanErrorCode =
  | 'wrong-length' | 'bad-check-digit' | 'unknown-card' | 'unknown-member' | 'no-data' | 'not-eligible' | 'refused' | 'failed'
  | 'list-not-stored';

/** Why the till refuses a code or a basket. */
export type CashierErrorCode =
  | 'wrong-length' | 'bad-check-digit' | 'not-a-list-code' | 'forged-code' | 'unknown-card' | 'unknown-list' | 'list-expired'
  | 'other-member' | 'empty-basket' | 'bad-basket' | 'storage-full' | 'no-list';

/** Why headquarters refused a record for good. */
export type ConflictReasonCode = 'offer-redeemed-elsewhere' | 'key-reused' | 'bad-body' | 'conflict' | 'budget-exhausted' | 'forged-code' | 'unknown-list';

/** Where the headquarters feed sync stands. */
export type SyncStateCode = 'idle' | 'syncing' | 'retrying' | 'up-to-date' | 'failed';

/** Formatters a reason template may use, bound to the locale and currency. */
export interface ReasonFormat {
  /** A due day for people: "now", a weekday within the week, else a date. */
  day: (day: Day, asOfDay: Day) => string;
  date: (day: Day) => string;
  money: (cents: number) => string;
  pct: (value: number) => string;
}

/** One reason's sentence. */
export type ReasonTemplate = (p: ReasonParams, f: ReasonFormat) => string;

/** Sentences of list reasons, offer lines and rewards, one per code, and the words of a due day. */
export interface ReasonTranslation {
  /** A due day on or before the list's day. */
  dueNow: string;
  /** A due day more than a week ahead, given its date. */
  dueOn: (date: string) => string;
  /** An offer in a few words, from its deal's `kind` and `value` ("20% off"): the pill and the printed offer line. */
  offer: ReasonTemplate;
  templates: Record<ReasonCode, ReasonTemplate>;
}

/** Sentences of churn reasons, one per code. */
export type ChurnTranslation = Record<ChurnReasonCode, (p: ReasonParams) => string>;

/** Why a feed row was rejected, one per code. */
export type RowErrorTranslation = Record<RowErrorCode, (p: RowErrorParams) => string>;

/** The shopping-list and recommendations elements. */
export interface WidgetTranslation {
  title: string;
  loading: string;
  importing: (lines: number) => string;
  empty: string;
  noConsent: string;
  notEligible: string;
  /** Over the store-wide list when nobody is signed in (elements with `hq`). */
  signInNote: string;
  /** Over the store-wide list when headquarters refused the sign-in (expired, forged, not this shopper's). */
  signInAgain: string;
  failed: string;
  retry: string;
  add: string;
  addAll: string;
  due: (date: string) => string;
  dueNow: string;
  was: string;
  updated: (items: number) => string;
  buyAgainTitle: string;
  togetherTitle: string;
  forYouTitle: string;
  recsLoading: string;
  recsEmpty: string;
  togetherEmpty: string;
  recsNoConsent: string;
  recsFailed: string;
  suggestions: (n: number) => string;
  notForMe: string;
  mute: string;
  hidden: (name: string) => string;
  muted: (name: string) => string;
  /** The visible line after a control, before its Undo button: "Bananas hidden". */
  hiddenShort: (name: string) => string;
  mutedShort: (name: string) => string;
  undo: string;
  /** Said once an undo has put the product back. */
  restored: (name: string) => string;
  /** Loading text against the store's total: which feed is read, lines so far of all. */
  importingOf: (feed: 'products' | 'members' | 'baskets' | 'deals' | 'content', lines: number, total: number) => string;
}

/** The till's device panel. */
export interface DeviceTranslation {
  title: string;
  waiting: (n: number) => string;
  sending: string;
  neverSent: string;
  lastSent: (n: number) => string;
  lastFailed: (why: string) => string;
  sendNow: string;
  update: string;
  updateRefused: (n: number) => string;
  reset: string;
  resetConfirm: string;
  resetRefused: (n: number) => string;
  conflictsTitle: string;
  reasons: Record<ConflictReasonCode, string>;
}

/** The till. */
export interface CashierTranslation {
  title: string;
  online: string;
  offline: string;
  unsynced: (n: number) => string;
  conflicts: (n: number) => string;
  device: DeviceTranslation;
  code: string;
  basket: string;
  preview: string;
  confirm: string;
  applies: string;
  saved: string;
  alreadyRedeemed: string;
  total: string;
  print: string;
  next: string;
  errors: Record<CashierErrorCode, string>;
  refusals: Record<RefusalReason, string>;
  // Issue 23: line errors, a list with nothing left to redeem, and what the receipt says.
  /** One basket line the till cannot take, by its line number in the basket box. */
  lineErrors: { title: string; unknownProduct: (line: number, productId: string) => string; badQuantity: (line: number, qty: string) => string; otherLines: string };
  /** Why there is nothing to confirm. */
  nothing: Record<NothingApplies, string>;
  /** The receipt: who, when, which list, the basket and its totals. */
  slip: {
    member: (name: string | undefined, memberId: string) => string;
    date: (date: string) => string;
    listCode: (code: string) => string;
    basketTitle: string;
    line: (qty: number, unitPrice: string) => string;
    basketTotal: string;
    savingsTitle: string;
    afterSavings: string;
    recorded: string;
    /** A refusal reason as the label of the names it applies to ("already redeemed:"). */
    refusedAs: (reason: string) => string;
    nextList: (code: string) => string;
  };
}

/** The manager's screens: insights, campaigns, report, import, storage, headquarters feed. */
export interface ManagerTranslation {
  button: string;
  pinTitle: string;
  pinHint: string;
  pinLabel: string;
  wrongPin: string;
  open: string;
  back: string;
  clear: string;
  title: string;
  exit: string;
  loading: string;
  failed: string;
  summary: (asOf: string, baskets: number, spend: string) => string;
  /** Where the visits, spend, age bands and household sizes come from on a kiosk synced from headquarters. */
  patternsFrom: { headquarters: string; device: string };
  heatMap: string;
  weekdays: readonly [string, string, string, string, string, string, string];
  cell: (day: string, hour: number, visits: number) => string;
  fewer: string;
  more: string;
  noTime: (n: number) => string;
  ageBands: string;
  households: string;
  unknown: string;
  bandDetail: (members: number, spend: string) => [string, string];
  categories: string;
  churn: string;
  churnCount: (shown: number, all: number) => string;
  noChurn: string;
  cols: { member: string; value: string; lastVisit: string; reason: string; action: string };
  daysAgo: (n: number) => string;
  actions: Record<ChurnAction, string>;
  reasons: ChurnTranslation;
  rules: string;
  ruleCols: { rule: string; confidence: string; lift: string };
  noRules: string;
  activity: string;
  params: { r: string; alpha: string; a: string; b: string };
  fit: (members: number, loglik: number, converged: boolean) => string;
  noActivity: string;
  campaigns: string;
  campaignCols: { campaign: string; treated: string; control: string; uplift: string; offers: string; offersChain: string };
  groupRate: (rate: string) => string;
  groupCount: (buyers: number, members: number) => string;
  hiddenGroup: (k: number) => string;
  points: (v: number) => string;
  interval: (low: string, high: string) => string;
  relative: (v: string) => string;
  unitsUplift: (v: string, low: string, high: string) => string;
  significant: string;
  notSignificant: string;
  notStarted: string;
  campaignWindow: (from: string, until: string, holdout: string) => string;
  noCampaigns: string;
  campaignNote: (k: number) => string;
  /** Where the campaign results were measured: at headquarters, on this kiosk, or on it because headquarters did not answer. */
  campaignSource: { headquarters: string; device: string; fallback: string };
  report: string;
  reportNote: (k: number) => string;
  reportCols: { category: string; total: string };
  loyalty: Record<BrandLoyalty, string>;
  usage: Record<UsageTier, string>;
  cellDetail: (units: number, spend: string, issued: number, redeemed: number) => string;
  totalRow: string;
  noReport: string;
  import: string;
  importHint: string;
  chooseFiles: string;
  unknownFeed: (name: string) => string;
  importStopped: (file: string, full: boolean) => string;
  notGzip: (file: string) => string;
  /** A feed picked on a kiosk that takes its store's data from headquarters (packs and model): refused. */
  fromHeadquarters: (file: string) => string;
  /** The import panel of a kiosk synced from headquarters. */
  importAtHq: string;
  shelfPriced: (lines: number) => string;
  rejectGroupsTitle: string;
  rejectGroup: (count: number, field: string | undefined, reason: string, line: number, value: string | undefined, more: readonly number[]) => string;
  everyRejectedRow: (shown: number) => string;
  lowSpend: (members: number, threshold: string) => string;
  importing: (file: string) => string;
  progress: (lines: number, perSecond: number) => string;
  imported: (file: string, accepted: number, rejected: number, duplicates: number) => string;
  rejectedRows: (n: number) => string;
  rejectCols: { file: string; line: string; field: string; message: string };
  exportCsv: string;
  storage: string;
  persistent: string;
  evictable: string;
  noStorageApi: string;
  storageUsage: (used: string, quota: string) => string;
  hqFeed: string;
  hqSync: string;
  hqStates: Record<SyncStateCode, string>;
  /** Of a store sync (`store`): member packs stored, and `file` is `model` or `packs`. */
  hqDetail: (rows: number, cursor?: string, file?: string, store?: boolean) => string;
  hqAttempt: (n: number) => string;
  /** When the kiosk syncs next by itself (ms since the epoch). */
  hqNext: (at: number) => string;
  // Issue 23: what each campaign count means, the activity outlook, suggested actions, the rules panel.
  insightWords: {
    offersOnLists: (issued: number, redeemed: number) => string;
    outlook: {
      lapsed: (n: number, members: number) => string;
      lapsedHint: (threshold: string) => string;
      expected: (visits: number, weeks: number) => string;
      recent: (visits: number, weeks: number) => string;
      details: string;
    };
    suggested: string;
    suggestedNote: string;
    productRules: string;
    categoryRules: string;
    rulesNote: string;
  };
  // Issue 19: enrolling the kiosk at headquarters, and the PIN headquarters sets.
  enrol: EnrolTranslation;
}

/** Why a kiosk's enrolment did not happen (worker/hq-link.ts `EnrolError`). */
export type EnrolErrorCode = 'bad-code' | 'expired-code' | 'offline' | 'unavailable' | 'bad-response' | 'already-enrolled' | 'unsynced';

/** The manager's "Enrol this kiosk" step and the PIN pad's words about headquarters' PIN. */
export interface EnrolTranslation {
  title: string;
  hint: string;
  hqLabel: string;
  codeLabel: string;
  submit: string;
  busy: string;
  enrolled: (store: string) => string;
  errors: Record<EnrolErrorCode, string>;
  /** A kiosk that belongs to a store, enrolled again. */
  again: string;
  replaceConfirm: (store: string) => string;
  wiped: (store: string) => string;
  noPin: (store: string) => string;
  locked: (time: string) => string;
  triesLeft: (n: number) => string;
  refresh: string;
  refreshed: string;
  refreshFailed: (why: string) => string;
}

/** The kiosk: scan, member list, till and manager. */
export interface KioskTranslation {
  store: string;
  scanTitle: string;
  scanHint: string;
  cardLabel: string;
  show: string;
  clear: string;
  cameraScan: { start: string; stop: string; failed: string };
  loading: (lines: number) => string;
  /** The first start's sync from headquarters: rows stored so far, and whether it is trying again. */
  syncing: (rows: number, retrying: boolean) => string;
  hello: (name?: string) => string;
  yourList: string;
  nothingDue: string;
  noConsent: string;
  done: string;
  errors: Record<ScanErrorCode, string>;
  /** The name of the other language, on the switch. */
  language: string;
  print: string;
  printA4: string;
  /** The printed slip's header and its short lines: print date, validity, when an item is due, an offer's old price. */
  slip: { printed: (date: string) => string; validUntil: (date: string) => string; dueNow: string; due: (date: string) => string; was: (price: string) => string };
  consent: { give: string; withdraw: string; confirmWithdraw: string };
  controls: {
    notForMe: string;
    mute: string;
    notForMeLabel: (name: string) => string;
    muteLabel: (name: string) => string;
    deleteHistory: string;
    confirmDelete: string;
  };
  cashier: CashierTranslation;
  manager: ManagerTranslation;
}

/** Everything one language says. */
export interface Translation {
  locale: Locale;
  kiosk: KioskTranslation;
  widget: WidgetTranslation;
  reasons: ReasonTranslation;
  rows: RowErrorTranslation;
}

/** The entry of a code table, or undefined for a code the table does not know (a code from a newer engine or an old record). */
export function lookup<K extends string, V>(table: Readonly<Record<K, V>>, code: string | undefined): V | undefined {
  return code !== undefined && Object.hasOwn(table, code) ? table[code as K] : undefined;
}
