// Command dispatcher for `larder <command> …`; each command lives in its own file and loads on demand.
import { COMMAND_FLAGS, argsErrorText, readArgs } from './args.ts';

const commands: Record<string, { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> }> = {
  validate: { summary: 'validate <files…> [--json]   check feed files, report every rejected row', load: () => import('./validate.ts') },
  eval: { summary: 'eval <dataset dir> [--json]    next-basket and timing evaluation', load: () => import('./eval.ts') },
  rules: { summary: 'rules <baskets file> --support S --confidence C [--json]', load: () => import('./rules.ts') },
  activity: { summary: 'activity <baskets file> [--json]   BG/NBD fit', load: () => import('./activity.ts') },
  lists: { summary: 'lists <data dir> --as-of yyyy-mm-dd [--json]', load: () => import('./lists.ts') },
  generate: { summary: 'generate --out <dir> [--members N] [--seed S]   write the demo store feeds', load: () => import('./generate.ts') },
  hq: { summary: 'hq [--db URL] [--data DIR] [--port 8787] [--demo] [--json]   headquarters (also: hq import|enroll|revoke|set-pin)', load: () => import('../hq/cli.ts') },
  convert: { summary: 'convert <transactions.csv> --out <dir> [--customer C --date D --product P --amount A …]   a transaction export as the five feeds', load: () => import('./convert.ts') },
};

/** Run a command line; returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(`usage: larder <command> …\n${Object.values(commands).map((c) => `  ${c.summary}`).join('\n')}`);
    return name ? 2 : 0;
  }
  // Flags are checked before the command loads: an unknown one is a mistake, not something to ignore.
  const spec = COMMAND_FLAGS[name!];
  const checked = spec ? readArgs(args, spec) : undefined;
  if (checked && !checked.ok) {
    console.error(`larder ${name}: ${argsErrorText(checked.error, checked.detail ?? '')}\nusage: ${spec!.usage}`);
    return 2;
  }
  return (await command.load()).run(args);
}
