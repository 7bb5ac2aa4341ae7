// The embedded database belongs to one process at a time: a second process opening the same
// files would corrupt them. A lock file with the owner's pid guards the directory; a lock left
// by a process that no longer runs is taken over.
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors.ts';

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export function lockDataDir(directory: string): () => void {
  const file = join(directory, 'cybermonitor.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isRunning(owner)) {
        throw new AppError('conflict', 'errors.database_in_use', { params: { pid: owner, directory } });
      }
      rmSync(file, { force: true });
    }
  }
  throw new AppError('conflict', 'errors.database_in_use', { params: { pid: '?', directory } });
}
