// Reading feed and dataset files in Node, gzip or plain. A `.gz` name promises gzip: its first two bytes are checked,
// so a file that is not gzip says so instead of being read (or failing) as something else.
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { gunzipSync, createGunzip } from 'node:zlib';

/** What a `.gz` file that does not start with the gzip magic bytes is. */
export const NOT_GZIP = 'not a gzip file';

/** Whether bytes start as gzip does (1f 8b). */
export const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** A file named `.gz` that is not gzip. */
export class NotGzipError extends Error {
  readonly code = 'not-gzip';
  constructor(readonly path: string) {
    super(NOT_GZIP);
    this.name = 'NotGzipError';
  }
}

/** The whole text of a file, gunzipped when its name ends in `.gz` (throws {@link NotGzipError} when it is not gzip). */
export async function readText(path: string): Promise<string> {
  const buf = await readFile(path);
  if (!path.endsWith('.gz')) return buf.toString('utf8');
  if (!isGzip(buf)) throw new NotGzipError(path);
  return gunzipSync(buf).toString('utf8');
}

/** A file's bytes as a stream of text chunks (gunzipped for `.gz`), so big files need not fit in one string. */
export async function* readChunks(path: string): AsyncGenerator<string> {
  if (path.endsWith('.gz')) {
    const head = new Uint8Array(2);
    const fd = await open(path, 'r');
    const { bytesRead } = await fd.read(head, 0, 2, 0).finally(() => fd.close());
    if (!isGzip(head.subarray(0, bytesRead))) throw new NotGzipError(path);
  }
  const raw = createReadStream(path);
  const stream = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  for await (const buf of stream) yield decoder.decode(buf as Buffer, { stream: true });
  const tail = decoder.decode();
  if (tail) yield tail;
}
