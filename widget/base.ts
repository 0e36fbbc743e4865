// What every Larder element shares: its common attributes, and loading the store's feeds into the device.
import { LitElement, type PropertyDeclarations } from 'lit';
import type { Day } from '../core/types.ts';
import { parseDay } from '../core/dates.ts';
import { loadFeedsOnce, type FeedProgress } from './feed-progress.ts';
import { loadWidgetLanguage, widgetLanguage, type WidgetLanguage } from '../i18n/widget.ts';

/** Base of the Larder elements: member, feed folder, language, currency, how many to show, and the day. */
export class LarderElement extends LitElement {
  static override properties: PropertyDeclarations = {
    member: {},
    src: {},
    locale: {},
    currency: {},
    limit: { type: Number },
    asOf: { attribute: 'as-of' },
  };
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
  }

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
   * its progress; the engine skips a folder already loaded); `onProgress` hears how far it is. Throws when the feeds fail. */
  protected async loadFeeds(onProgress?: (p: FeedProgress) => void): Promise<void> {
    if (!this.src) return;
    await loadFeedsOnce(new URL(this.src, document.baseURI).href, onProgress);
  }
}
