// Mounting the kiosk app for browser tests: one element per test, on a store's feed folder served by MSW.
import { render } from 'preact';
import { App } from '../../kiosk/app.tsx';

/** Render the kiosk on the feeds at `/<storePath>/` into a new element with id `id`; returns that element. */
export function mountKiosk(storePath: string, id = 'kiosk-root'): HTMLElement {
  const div = document.createElement('div');
  div.id = id;
  document.body.append(div);
  render(<App dataUrl={new URL(`/${storePath}/`, location.href).href} />, div);
  return div;
}

/** Unmount the kiosk mounted with {@link mountKiosk} and remove its element. */
export function unmountKiosk(id = 'kiosk-root'): void {
  const div = document.getElementById(id);
  if (!div) return;
  render(null, div);
  div.remove();
}

/** Give files to the mounted kiosk's import panel (file input), as a manager choosing them would. */
export function chooseFiles(files: File[], id = 'kiosk-root'): void {
  const input = document.getElementById(id)!.querySelector<HTMLInputElement>('.manager-import__input')!;
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}
