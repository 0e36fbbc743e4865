// The engine: async methods the page calls through Comlink, composed from one room per capability (worker/engine/).
// Each room reads, calls core, writes and returns plain data; the rooms share one context (connection, caches, today).
import { createContext, type EngineOptions } from './engine/context.ts';
import { listsRoom } from './engine/lists.ts';
import { checkoutRoom } from './engine/checkout.ts';
import { feedsRoom } from './engine/feeds.ts';
import { headquartersRoom } from './engine/headquarters.ts';
import { shopperRoom } from './engine/shopper.ts';
import { managerRoom } from './engine/manager.ts';
import { deviceRoom } from './engine/device.ts';
import { webRoom } from './engine/web.ts';

export type { EngineOptions } from './engine/context.ts';
export type { FindMemberError, ListError, MemberView, ScanResult } from './engine/lists.ts';
export type { CheckoutError, CheckoutReceipt, CheckoutRequest } from './engine/checkout.ts';
export type { EnrolError, FeedSyncView, LinkView, OutboxConflict, OutboxStatus, PinError, RefreshError } from './engine/headquarters.ts';
export type { ControlResult } from './engine/shopper.ts';
export type { TogetherRow } from './engine/manager.ts';
export type { EngineStatus } from './engine/device.ts';
export type { WebError, WebListView, WebRequest, WebSession, WebTogetherRow } from './engine/web.ts';

/** Build the engine object. `export type Engine = ReturnType<typeof createEngine>`. */
export function createEngine(options: EngineOptions = {}) {
  const ctx = createContext(options);
  return {
    ...deviceRoom(ctx),
    ...feedsRoom(ctx),
    ...listsRoom(ctx),
    ...checkoutRoom(ctx),
    ...shopperRoom(ctx),
    ...managerRoom(ctx),
    ...headquartersRoom(ctx),
    ...webRoom(ctx),
  };
}

/** The engine's type, for `Remote<Engine>` on the page side. */
export type Engine = ReturnType<typeof createEngine>;
