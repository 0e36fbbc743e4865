// Reading feed and dataset files in Node, gzip or plain.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { gunzipSync, createGunzip } from 'node:zlib';

/** The whole text of a file, gunzipped when its name ends in `.gz`. */
export async function readText(path: string): Promise<string> {
  const buf = await readFile(path);
  return (path.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
}

/** A file's bytes as a stream of text chunks (gunzipped for `.gz`), so big files need not fit in one string. */
export async function* readChunks(path: string): AsyncGenerator<string> {
  const raw = createReadStream(path);
  const stream = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  for await (const buf of stream) yield decoder.decode(buf as Buffer, { stream: true });
  const tail = decoder.decode();
  if (tail) yield tail;
}
