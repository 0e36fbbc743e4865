import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMAND_FLAGS, readArgs } from './args.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Run the real command line. */
function larder(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/larder.mjs', ...args], { cwd: root }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('readArgs', () => {
  const spec = { flags: ['json'], values: ['out', 'as-of'] };

  it('splits positionals, declared flags and values given either way', () => {
    const r = readArgs(['data', '--json', '--out', 'dir', '--as-of=2026-07-01', 'more'], spec);
    expect(r.ok && [r.value.positionals, [...r.value.flags], [...r.value.values]]).toEqual([
      ['data', 'more'], ['json'], [['out', 'dir'], ['as-of', '2026-07-01']],
    ]);
  });

  it('refuses an undeclared flag, a value flag without its value and a plain flag given one', () => {
    expect(readArgs(['data', '--device'], spec)).toEqual({ ok: false, error: 'unknown-flag', detail: '--device' });
    expect(readArgs(['--out'], spec)).toEqual({ ok: false, error: 'missing-value', detail: '--out' });
    expect(readArgs(['--out', '--json'], spec)).toEqual({ ok: false, error: 'missing-value', detail: '--out' });
    expect(readArgs(['--json=yes'], spec)).toEqual({ ok: false, error: 'unexpected-value', detail: '--json=yes' });
  });
});

describe('every command declares the flags it reads', () => {
  it('lists in COMMAND_FLAGS each flag a command file reads with flags.has / values.get / values.has / parseArgs', () => {
    for (const [command, spec] of Object.entries(COMMAND_FLAGS)) {
      const source = readFileSync(`${root}/cli/${command}.ts`, 'utf8');
      const read = new Set<string>();
      for (const m of source.matchAll(/\b(?:flags|values)\.(?:has|get)\('([a-z-]+)'\)/g)) read.add(m[1]!);
      for (const m of source.matchAll(/parseArgs\(args, \[([^\]]*)\]\)/g)) for (const n of m[1]!.matchAll(/'([a-z-]+)'/g)) read.add(n[1]!);
      const declared = new Set([...spec.flags, ...spec.values]);
      expect([command, [...read].filter((f) => !declared.has(f))]).toEqual([command, []]);
      // Each flag in the usage line, and each declared flag in it.
      for (const f of declared) expect([command, spec.usage.includes(`--${f}`)]).toEqual([command, true]);
    }
  });
});

describe('larder with a flag it does not know', () => {
  it('says which flag, prints the command\'s usage and exits 2 without running the command', async () => {
    const r = await larder('eval', 'no/such/dir', '--devise');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`larder eval: unknown flag --devise\nusage: ${COMMAND_FLAGS.eval!.usage}\n`);
    const lists = await larder('lists', 'dir', '--as-of', '2026-07-01', '--jsn');
    expect([lists.code, lists.stderr.split('\n')[0]]).toEqual([2, 'larder lists: unknown flag --jsn']);
  });

  it('exits 2 when a flag that takes a value has none', async () => {
    const r = await larder('rules', 'baskets.csv', '--confidence', '0.3', '--support');
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([2, 'larder rules: --support needs a value']);
  });
});
