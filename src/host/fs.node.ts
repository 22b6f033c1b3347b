// The file system under Node, for checkpoint save/load to a directory (browser twin: fs.browser.ts).
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** isAlive(pid): whether a process with this id runs on this machine (signal 0 tests without sending). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** fileSystem(feature): the file operations checkpoints use (`feature` names the caller; only a browser needs it). */
export function fileSystem(_feature: string) {
  return { mkdir, open, readdir, readFile, rename, rm, join, isAlive, pid: process.pid, randomHex: (bytes: number): string => randomBytes(bytes).toString('hex') };
}
