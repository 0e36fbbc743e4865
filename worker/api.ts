// The pages' one door to the engine: its types, and the engine itself (started in its worker on first use). Pages
// import from here, never from the worker's own modules, so what runs in the worker stays out of the page bundles.
export { callback, getEngine } from './bridge.ts';
export { isStorageFull } from './errors.ts';
export type {
  CheckoutError, CheckoutReceipt, CheckoutRequest, ControlResult, EnrolError, Engine, EngineStatus, FeedSyncView, FindMemberError, LinkView, ListError,
  MemberView, OutboxConflict, OutboxStatus, PinError, ScanResult, TogetherRow, WebError, WebListView, WebRequest, WebSession, WebTogetherRow,
} from './engine-api.ts';
export type { ImportProgress, ImportSummary } from './import.ts';
export type { RejectedRow } from './manager.ts';
export type { FeedSyncState, FeedSyncStatus, SyncSummary } from './hq-feed.ts';
