import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { NotGzipError, readChunks, readText } from './files.ts';

const dir = mkdtempSync(join(tmpdir(), 'larder-files-'));
const at = (name: string, bytes: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const all = async (chunks: AsyncIterable<string>) => {
  let text = '';
  for await (const c of chunks) text += c;
  return text;
};

describe('reading a .gz file', () => {
  it('inflates a real gzip file, whole or in chunks', async () => {
    const path = at('baskets.csv.gz', gzipSync('member_id,date\nM1,2026-01-01\n'));
    expect(await readText(path)).toBe('member_id,date\nM1,2026-01-01\n');
    expect(await all(readChunks(path))).toBe('member_id,date\nM1,2026-01-01\n');
  });

  it('says "not a gzip file" for a .gz file that is text, whole or in chunks', async () => {
    const path = at('members.csv.gz', 'this is not gzip\n');
    await expect(readText(path)).rejects.toThrow(new NotGzipError(path));
    await expect(all(readChunks(path))).rejects.toThrow('not a gzip file');
    await expect(all(readChunks(at('empty.csv.gz', '')))).rejects.toBeInstanceOf(NotGzipError);
  });

  it('reads a file without .gz as text, even one that happens to be gzip', async () => {
    expect(await readText(at('plain.csv', 'a,b\n'))).toBe('a,b\n');
  });
});
