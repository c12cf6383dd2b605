import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const EXECUTE = { owner: 0o100, group: 0o010, other: 0o001 };

function postgresUserIds(): { uid: number; gid: number } | null {
  try {
    const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim()));
    return { uid, gid };
  } catch {
    return null;
  }
}

/** Whether a user can walk down to `target` (execute permission on every existing ancestor). */
function canTraverse(target: string, user: { uid: number; gid: number } | null): boolean {
  for (let dir = dirname(target); ; dir = dirname(dir)) {
    const stats = statSync(dir, { throwIfNoEntry: false });
    if (stats) {
      const bit = stats.uid === user?.uid ? EXECUTE.owner : stats.gid === user?.gid ? EXECUTE.group : EXECUTE.other;
      if (!(stats.mode & bit)) return false;
    }
    if (dir === dirname(dir)) return true;
  }
}

/**
 * Where the Postgres cluster lives: DATA_DIR/postgres. Run as root, Postgres runs as the
 * `postgres` user, which cannot enter a private home such as /root; then the cluster is kept in
 * /var/lib/vidivo/<hash of DATA_DIR> instead, still one per DATA_DIR, so restarts find it.
 */
export function clusterDirectory(dataDir: string): string {
  const preferred = join(dataDir, 'postgres');
  if (process.getuid?.() !== 0 || canTraverse(preferred, postgresUserIds())) return preferred;
  const key = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  return join('/var/lib/vidivo', key, 'postgres');
}
