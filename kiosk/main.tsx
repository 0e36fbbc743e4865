import { render } from 'preact';
import { App } from './app.tsx';

// The demo kiosk loads the embedded demo store (public/demo) into the device on first run.
const params = new URLSearchParams(location.search);
const dataUrl = new URL(params.get('data') ?? '../demo/', location.href).href;
render(<App dataUrl={dataUrl} />, document.getElementById('app')!);
