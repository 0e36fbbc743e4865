// Argument reading shared by the commands: positionals, `--flag` and `--name value`, and the flags each command
// declares, so a mistyped or unsupported flag stops the command instead of being silently ignored.
import { err, ok, type Result } from '../core/result.ts';

/** Parsed command-line arguments. */
export interface Args {
  positionals: string[];
  flags: Set<string>;
  values: Map<string, string>;
}

/** The flags one command accepts: `flags` stand alone, `values` take the next word (or `--name=value`). */
export interface FlagSpec {
  usage: string;
  flags: readonly string[];
  values: readonly string[];
}

/** Every command's flags (headquarters, `larder hq …`, reads its own). A command that reads a new flag declares it here. */
export const COMMAND_FLAGS: Readonly<Record<string, FlagSpec>> = {
  validate: {
    usage: 'larder validate <files…> [--json] [--rejects rejected.csv]',
    flags: ['json'], values: ['rejects'],
  },
  eval: { usage: 'larder eval <dataset dir>… [--device] [--members N] [--fit-sample N] [--json]', flags: ['json', 'device'], values: ['members', 'fit-sample'] },
  rules: {
    usage: 'larder rules <baskets file> --support S --confidence C [--max-length K] [--json]',
    flags: ['json'], values: ['support', 'confidence', 'max-length'],
  },
  activity: { usage: 'larder activity <baskets file> [--end yyyy-mm-dd] [--json]', flags: ['json'], values: ['end'] },
  lists: { usage: 'larder lists <data dir> --as-of yyyy-mm-dd [--locale en|zh-CN] [--json]', flags: ['json'], values: ['as-of', 'locale'] },
  generate: {
    usage: 'larder generate --out <dir> [--members N] [--seed S] [--end yyyy-mm-dd] [--days D] | --chain --members N --stores S [--seed N] [--weeks W] (--out <dir> | --db URL | --data DIR)',
    flags: ['chain'], values: ['out', 'members', 'seed', 'end', 'days', 'stores', 'weeks', 'db', 'data'],
  },
  convert: {
    usage: 'larder convert <transactions.csv[.gz]> --out <dir> [--customer C] [--date D] [--product P] [--basket B] [--qty Q] [--amount A] ' +
      '[--amount-unit units|cents] [--positions-start|--positions-end yyyy-mm-dd [--positions-every DAYS]] [--default-price-cents N] ' +
      '[--consent true|false] [--json]',
    flags: ['json'],
    values: [
      'out', 'customer', 'date', 'product', 'basket', 'qty', 'amount', 'amount-unit', 'positions-start', 'positions-end', 'positions-every',
      'default-price-cents', 'consent',
    ],
  },
};

/** Why a command line was refused. */
export type ArgsError = 'unknown-flag' | 'missing-value' | 'unexpected-value';

/** Split `args` against a command's declared flags; an undeclared flag, a value flag without its value, or a plain
 * flag given a value is an error (detail: the flag as typed). */
export function readArgs(args: readonly string[], spec: Pick<FlagSpec, 'flags' | 'values'>): Result<Args, ArgsError> {
  const out: Args = { positionals: [], flags: new Set(), values: new Map() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--') || a === '--') {
      out.positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
    if (spec.values.includes(name)) {
      if (eq >= 0) out.values.set(name, a.slice(eq + 1));
      else {
        const next = args[i + 1];
        if (next === undefined || next.startsWith('--')) return err('missing-value', `--${name}`);
        out.values.set(name, next);
        i++;
      }
    } else if (spec.flags.includes(name)) {
      if (eq >= 0) return err('unexpected-value', a);
      out.flags.add(name);
    } else return err('unknown-flag', `--${name}`);
  }
  return ok(out);
}

/** The line a refused command line prints before its usage. */
export function argsErrorText(error: ArgsError, flag: string): string {
  return error === 'unknown-flag' ? `unknown flag ${flag}`
    : error === 'missing-value' ? `${flag} needs a value`
    : `${flag.split('=')[0]} takes no value`;
}

/** Split `args`; names listed in `withValue` take the next word as their value (commands call this after
 * {@link COMMAND_FLAGS} was checked by the dispatcher). */
export function parseArgs(args: readonly string[], withValue: readonly string[] = []): Args {
  const out: Args = { positionals: [], flags: new Set(), values: new Map() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
      if (inline !== undefined) out.values.set(name, inline);
      else if (withValue.includes(name)) out.values.set(name, args[++i] ?? '');
      else out.flags.add(name);
    } else out.positionals.push(a);
  }
  return out;
}
