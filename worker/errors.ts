// The engine's one way to say and to recognise "storage full": a named error, whether it was thrown here (`settle`,
// a list key that could not be stored) or came back through Comlink as a plain Error with the same name.

/** The device has no room for the write (IndexedDB's QuotaExceededError, or Chrome's abort on quota). */
export class StorageFullError extends Error {
  constructor(message = 'storage-full') {
    super(message);
    this.name = 'StorageFullError';
  }
}

/** Whether `e` says the device's storage is full: our error (also once cloned through Comlink, which keeps the
 * name and message), or the browser's own QuotaExceededError. */
export function isStorageFull(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { name, message } = e as { name?: unknown; message?: unknown };
  return name === 'StorageFullError' || name === 'QuotaExceededError' || (typeof message === 'string' && message.startsWith('storage-full'));
}
