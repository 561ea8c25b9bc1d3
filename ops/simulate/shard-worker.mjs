// A shard's thread: Node 20 does not pass tsx's loader (`--import tsx`) on to worker threads, so it is registered
// here, then the TypeScript worker runs as in the main thread.
import { register } from 'tsx/esm/api';

register();
await import('./shard-worker.ts');
