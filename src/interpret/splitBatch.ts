// The batch helpers live in src/batch.ts (the sources split batches too); re-exported here for the interpreters.
export { batchSize, splitBatch } from '../batch.js';
