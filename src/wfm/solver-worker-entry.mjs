// Worker-thread entry for HiGHS solves (see solver-worker.ts): plain JavaScript so that it can register the
// TypeScript loader before importing the TypeScript implementation, as bin/kefu.js does for the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./solver-worker-impl.ts');
