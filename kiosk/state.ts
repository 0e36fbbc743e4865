// Kiosk state: a small state machine the screens read from context; transitions are plain functions.
import { createContext } from 'preact';
import type { ShoppingList } from '../core/types.ts';
import type { MemberView } from '../worker/api.ts';
import type { Locale } from '../i18n/translation.ts';

export type Screen =
  /** `syncing`: the rows come from headquarters' feeds (`retrying`: it did not answer, trying again). */
  | { name: 'starting'; lines: number; syncing?: boolean; retrying?: boolean }
  | { name: 'scan'; error?: string }
  /** `stored`: the list is in the database, so its code scans at the till and it may be printed. */
  | { name: 'list'; member: MemberView; list: ShoppingList; today: number; stored: boolean }
  | { name: 'cashier' }
  | { name: 'manager' };

/** Everything the kiosk shows. */
export interface KioskState {
  screen: Screen;
  locale: Locale;
}

/** A fresh kiosk state. */
export const createKioskState = (locale: Locale = 'en'): KioskState => ({ screen: { name: 'starting', lines: 0 }, locale });

export type KioskAction =
  | { type: 'progress'; lines: number; syncing?: boolean; retrying?: boolean }
  | { type: 'ready' }
  | { type: 'scan-failed'; error: string }
  | { type: 'show-list'; member: MemberView; list: ShoppingList; today: number; stored: boolean }
  /** The engine's answer to a change made on the list screen: shown only while that member's list is still on screen
   * (an answer arriving after "Done" must not bring the list back). */
  | { type: 'update-list'; member: MemberView; list: ShoppingList; today: number; stored: boolean }
  | { type: 'reset' }
  | { type: 'cashier' }
  | { type: 'manager' }
  | { type: 'toggle-locale' };

/** The kiosk's transitions. */
export function kioskReducer(state: KioskState, action: KioskAction): KioskState {
  switch (action.type) {
    case 'progress':
      // Progress is the starting screen's only: a late report never takes a kiosk back from its scan screen.
      if (state.screen.name !== 'starting') return state;
      return { ...state, screen: { name: 'starting', lines: action.lines, ...(action.syncing ? { syncing: true, retrying: !!action.retrying } : {}) } };
    case 'ready':
    case 'reset':
      return { ...state, screen: { name: 'scan' } };
    case 'scan-failed':
      return { ...state, screen: { name: 'scan', error: action.error } };
    case 'show-list':
      return { ...state, screen: { name: 'list', member: action.member, list: action.list, today: action.today, stored: action.stored } };
    case 'update-list':
      if (state.screen.name !== 'list' || state.screen.member.id !== action.member.id) return state;
      return { ...state, screen: { name: 'list', member: action.member, list: action.list, today: action.today, stored: action.stored } };
    case 'cashier':
      return { ...state, screen: { name: 'cashier' } };
    case 'manager':
      return { ...state, screen: { name: 'manager' } };
    case 'toggle-locale':
      return { ...state, locale: state.locale === 'en' ? 'zh-CN' : 'en' };
  }
}

/** The state and its dispatcher, handed down to screens. */
export const KioskContext = createContext<{ state: KioskState; dispatch: (a: KioskAction) => void }>({
  state: createKioskState(),
  dispatch: () => {},
});
