// Storage status: whether the browser granted persistent storage (asked at kiosk start, main.tsx) and how much the
// kiosk's data uses of what the browser allows.
import type { ManagerTranslation } from '../../../i18n/translation.ts';
import { bytes } from '../../../i18n/format.ts';
import { useEngineCall } from './use-engine.ts';

type T = ManagerTranslation;

interface StorageStatus {
  persisted: boolean;
  usage?: number;
  quota?: number;
}

async function storageStatus(): Promise<StorageStatus | null> {
  const storage = navigator.storage;
  if (!storage?.persisted) return null;
  const [persisted, estimate] = await Promise.all([storage.persisted(), storage.estimate?.().catch(() => undefined)]);
  return { persisted, ...(estimate?.usage !== undefined ? { usage: estimate.usage } : {}), ...(estimate?.quota !== undefined ? { quota: estimate.quota } : {}) };
}

/** The storage panel's body. */
export function StorageStatusView({ t, locale }: { t: T; locale: string }) {
  const status = useEngineCall(storageStatus);
  if (status === undefined) return <p class="kiosk-status" role="status">{t.loading}</p>;
  if (status === 'failed' || status === null) return <p class="manager__empty">{t.noStorageApi}</p>;
  return (
    <div class="manager-storage" data-persisted={String(status.persisted)}>
      <p class={status.persisted ? 'manager-storage__state manager-storage__state--ok' : 'manager-storage__state'}>
        {status.persisted ? t.persistent : t.evictable}
      </p>
      {status.usage !== undefined && status.quota !== undefined && (
        <>
          <meter class="manager-storage__meter" min={0} max={status.quota} value={status.usage} />
          <p class="manager__note manager-storage__usage">{t.storageUsage(bytes(status.usage, locale), bytes(status.quota, locale))}</p>
        </>
      )}
    </div>
  );
}
