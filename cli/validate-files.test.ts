import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Run the real command line. */
function larder(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/larder.mjs', ...args], { cwd: root }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('larder validate on files it cannot read as feeds', () => {
  it('says a missing file is missing, whatever its name says, and exits 2', async () => {
    const r = await larder('validate', 'missing.csv', 'no/such/members.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('missing.csv: no such file\nno/such/members.csv: no such file\n');
  });

  it('says "not a gzip file" for a .gz feed that is text, and still checks the other files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'larder-validate-gz-'));
    writeFileSync(join(dir, 'members.csv.gz'), 'this is not gzip\n');
    const r = await larder('validate', '--json', join(dir, 'members.csv.gz'), 'test/fixtures/feeds/good/products.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${join(dir, 'members.csv.gz')}: not a gzip file\n`);
    expect(r.stdout).not.toContain('unknown column');
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ kind: 'products', accepted: 4, rejected: 0 });
  });
});
