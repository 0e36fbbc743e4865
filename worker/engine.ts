// Worker entry: expose the engine over Comlink. Everything else lives in engine-api.ts.
import { expose } from 'comlink';
import { createEngine } from './engine-api.ts';
import { callbacksFirst } from './callbacks-first.ts';

expose(callbacksFirst(createEngine()));
