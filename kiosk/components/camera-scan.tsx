// Scanning with the device's camera where the browser has the Barcode Detection API (Chrome on Android, ChromeOS,
// macOS); elsewhere the button is not shown and the keyboard-wedge scanner or the keypad serve.
import { useEffect, useRef, useState } from 'preact/hooks';

/** The part of the Barcode Detection API used here (not in TypeScript's DOM library yet). */
interface DetectedBarcode { rawValue: string; format: string }
interface BarcodeDetectorLike { detect(source: CanvasImageSource): Promise<DetectedBarcode[]> }
interface BarcodeDetectorClass {
  new (options?: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats?(): Promise<string[]>;
}

/** Card codes are EAN-13, list codes Code 128. */
const WANTED = ['ean_13', 'code_128'];
const detectorClass = (): BarcodeDetectorClass | undefined => (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;

/** Whether this browser can scan with the camera. */
export const cameraScanSupported = (): boolean => !!detectorClass() && !!navigator.mediaDevices?.getUserMedia;

/** A "scan with camera" button; while on, a live preview that reports the first card or list code it reads. */
export function CameraScan({ onScan, label, stopLabel, failed }: { onScan: (code: string) => void; label: string; stopLabel: string; failed: string }) {
  const [on, setOn] = useState(false);
  const [error, setError] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (!on) return;
    let stopped = false;
    let stream: MediaStream | undefined;
    void (async () => {
      const Detector = detectorClass()!;
      const supported = (await Detector.getSupportedFormats?.()) ?? WANTED;
      const detector = new Detector({ formats: WANTED.filter((f) => supported.includes(f)) });
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      if (stopped) return;
      const el = video.current!;
      el.srcObject = stream;
      await el.play();
      while (!stopped) {
        const found = await detector.detect(el).catch(() => [] as DetectedBarcode[]);
        const code = found.map((f) => f.rawValue.trim()).find((v) => /^\d{8,20}$/.test(v));
        if (code) {
          setOn(false);
          onScan(code);
          return;
        }
        await new Promise((r) => setTimeout(r, 120));
      }
    })().catch(() => { if (!stopped) { setError(true); setOn(false); } });
    return () => {
      stopped = true;
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [on, onScan]);

  if (!cameraScanSupported()) return null;
  return (
    <div class="camera-scan">
      {on
        ? <>
            <video ref={video} class="camera-scan__video" muted playsInline aria-label={label} />
            <button type="button" class="secondary" onClick={() => setOn(false)}>{stopLabel}</button>
          </>
        : <button type="button" class="secondary camera-scan__start" onClick={() => { setError(false); setOn(true); }}>📷 {label}</button>}
      {error && <p class="camera-scan__error" role="alert">{failed}</p>}
    </div>
  );
}
