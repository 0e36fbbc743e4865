// The browser tests' headquarters: the real `larder hq` that web-test-runner.config.mjs starts, at `/hq/` of the test
// server. Enrol this page's engine at a store with a PIN, as a manager would with a code from `larder hq enroll`.
import { getEngine, type LinkView } from '../../worker/api.ts';
import { serverCommand } from './harness.ts';

/** The headquarters base URL pages use. */
export const HQ_BASE = new URL('/hq', location.href).href;

/** Set the store's manager PIN at headquarters and enrol this page's engine there (once per store: a device already
 * of that store reads the key ring and PIN again). */
export async function enrolThisDevice(storeId = 'S-BROWSER', pin = '2468'): Promise<LinkView> {
  await serverCommand('hq-set-pin', { storeId, pin });
  const engine = getEngine();
  const link = await engine.deviceLink();
  if (link.enrolled && link.storeId === storeId) {
    const again = await engine.refreshDeviceLink();
    if (!again.ok) throw new Error(`refresh: ${again.error}`);
    return again.value;
  }
  const { code } = (await serverCommand('hq-enrolment-code', { storeId })) as { code: string };
  const r = await engine.enrolDevice(HQ_BASE, code, { replace: true });
  if (!r.ok) throw new Error(`enrol: ${r.error} ${r.detail ?? ''}`);
  return r.value.link;
}

/** A member of the store web-test-runner.config.mjs generates and imports into headquarters once per run. */
export interface SeededMember { id: string; cardCode: string; firstName: string; personalise: boolean; homeStore?: string; basketIds: string[] }
export interface SeededStore { storeId: string; members: SeededMember[] }

/** The seeded store, once headquarters holds it (the server answers `pending` while the import runs: ask again). */
export async function seededStore(): Promise<SeededStore> {
  for (;;) {
    const answer = (await serverCommand('hq-seed-store', {})) as SeededStore | { pending: true };
    if (!('pending' in answer)) return answer;
  }
}
