// What every Larder element shares: its common attributes, and loading the store's feeds into the device.
import { LitElement, type PropertyDeclarations } from 'lit';
import type { Day } from '../core/types.ts';
import { parseDay } from '../core/dates.ts';
import type { FeedProgress } from './feed-progress.ts';
import { callback, getEngine } from '../worker/bridge.ts';
import { loadWidgetLanguage, widgetLanguage, type WidgetLanguage } from '../i18n/widget.ts';
import type { WebRequest, WebSession } from '../worker/api.ts';
import { useWebControls } from './item-controls.ts';

/** The retailer's page hands the shopper's identity over as a short-lived member token (a JWT its sign-in issued), or
 * a function that answers with one (called at every load, so it may refresh it); `undefined` or '' when signed out. */
export type TokenProvider = () => string | undefined | Promise<string | undefined>;

/** Base of the Larder elements: member, feed folder, language, currency, how many to show, and the day. */
export class LarderElement extends LitElement {
  static override properties: PropertyDeclarations = {
    member: {},
    src: {},
    locale: {},
    currency: {},
    limit: { type: Number },
    asOf: { attribute: 'as-of' },
    hq: {},
    store: {},
    token: {},
    tokenProvider: { attribute: false },
    session: { state: true },
  };
  /** Headquarters' base URL (e.g. `/hq/`): the element signs in there and reads the store model and the member's own
   * pack, and nothing else comes to the device. Without it, the element reads the feed folder `src` (a store device). */
  declare hq: string;
  /** The store whose model the element uses (with `hq`). */
  declare store: string;
  /** The member token (with `hq`): a short-lived JWT from the retailer's sign-in. */
  declare token: string;
  /** Instead of `token`: called for the token at every load. */
  declare tokenProvider: TokenProvider | undefined;
  /** Where the shopper stands with headquarters (with `hq`), after the last load. */
  declare session: WebSession | undefined;
  /** The member id. */
  declare member: string;
  /** Where the store's feeds live (a folder with manifest.json); loaded into the device once. */
  declare src: string;
  /** `en` or `zh-CN`. */
  declare locale: string;
  /** ISO 4217 code for prices. */
  declare currency: string;
  /** Most items or cards to show. */
  declare limit: number;
  /** yyyy-mm-dd to show the member's list as of (default: the store's today). */
  declare asOf: string;

  constructor(defaultLimit: number) {
    super();
    this.member = '';
    this.src = '';
    this.locale = 'en';
    this.currency = 'USD';
    this.limit = defaultLimit;
    this.asOf = '';
    this.hq = '';
    this.store = '';
    this.token = '';
    this.tokenProvider = undefined;
    this.session = undefined;
  }

  /** Signs in at headquarters (`hq` set) instead of reading feeds: `member` then grants nothing. */
  protected get web(): boolean {
    return !!this.hq;
  }

  /** The member the element shows: with `hq`, the one headquarters signed in (the token's), else `member`. */
  protected who(): string {
    if (!this.web) return this.member;
    const s = this.session;
    return (s?.state === 'signed-in' || s?.state === 'offline') && s.member ? s.member.id : '';
  }

  /** What the engine needs to sign in and read the model: headquarters, the store, the token (asked for now). */
  protected async webRequest(): Promise<WebRequest> {
    const token = this.tokenProvider ? await this.tokenProvider() : this.token;
    const day = this.asOfDay();
    const request: WebRequest = { hq: new URL(this.hq, document.baseURI).href, storeId: this.store, ...(token ? { token } : {}), ...(day !== undefined ? { asOfDay: day } : {}) };
    useWebControls(() => this.webRequest());
    return request;
  }

  /** Properties whose change loads the element again. */
  protected static readonly reloadOn = ['member', 'src', 'asOf', 'hq', 'store', 'token', 'tokenProvider'];

  /** The chunk of `locale` could not be fetched: English until the next page load. */
  private languageFailed = false;

  /** The element's language when it is here (English always is; Chinese is fetched on first use, and the element
   * renders again once it is in). */
  protected language(): WidgetLanguage | undefined {
    const here = widgetLanguage(this.locale);
    if (here) return here;
    if (this.languageFailed) return widgetLanguage('en');
    void loadWidgetLanguage(this.locale).then(
      () => this.requestUpdate(),
      () => { this.languageFailed = true; this.requestUpdate(); },
    );
    return undefined;
  }

  /** The day asked for with `as-of`, if any. */
  protected asOfDay(): Day | undefined {
    return this.asOf ? parseDay(this.asOf) : undefined;
  }

  /** Load the feed folder `src` into the device, once for the page (every element asking shares one import and hears
   * its progress; the engine skips a folder already loaded); `onProgress` hears how far it is. Throws when the feeds fail.
   * A store device's path (a shopper's page signs in with `hq`), so its code is a chunk fetched only when it is used. */
  protected async loadFeeds(onProgress?: (p: FeedProgress) => void): Promise<void> {
    if (!this.src) return;
    const { loadFeedsOnce } = await import('./feed-progress.ts');
    await loadFeedsOnce({ callback, getEngine }, new URL(this.src, document.baseURI).href, onProgress);
  }
}
