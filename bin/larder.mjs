#!/usr/bin/env node
// `npx larder …`: the command line for a retailer's IT people, running the same core code as the worker.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
