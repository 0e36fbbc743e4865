// Tiny argument reader shared by the commands: positionals, `--flag` and `--name value`.

/** Parsed command-line arguments. */
export interface Args {
  positionals: string[];
  flags: Set<string>;
  values: Map<string, string>;
}

/** Split `args`; names listed in `withValue` take the next word as their value. */
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
