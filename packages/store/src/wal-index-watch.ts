import { closeSync, openSync, readSync } from 'node:fs';

/** The first copy of the WAL-index header: its version, change counter, last valid frame, page count, salts and checksums. */
const HEADER_BYTES = 48;

export interface WalIndexWatch {
  /**
   * False only when no connection can have committed to the file since the last call: the caller may
   * then skip asking SQLite (`PRAGMA data_version`). True on the first call, after any commit (this
   * connection's too), and whenever the header cannot be read.
   */
  mayHaveChanged(): boolean;
  close(): void;
}

/**
 * Watches a WAL-mode SQLite file for commits by reading the WAL-index header in its `-shm` file with one
 * `pread`. Every commit, by any connection in any process, rewrites that header before a reader can see
 * the commit (SQLite's "WAL-mode File Format", https://www.sqlite.org/walformat.html: the header's change
 * counter, last frame and checksums move with each transaction, its salts with each restart of the log),
 * so the same 48 bytes as last time mean that nothing was committed in between. `PRAGMA data_version`
 * answers the same question exactly but opens a read transaction to do it: at every request it was
 * ~5 % of a warm evaluation's CPU in a profile, 2 % of throughput measured (docs/architecture.md). The
 * `-shm` file lives as long as any connection to the database is open (this one is), and its layout is
 * shared by every SQLite version that opens the file, so it does not change under a running server;
 * whatever cannot be read falls back to asking SQLite.
 */
export function walIndexWatch(databaseFile: string): WalIndexWatch {
  let fd: number | null = null;
  let unreadable = false;
  const seen = Buffer.alloc(HEADER_BYTES);
  const now = Buffer.alloc(HEADER_BYTES);
  let known = false;
  return {
    mayHaveChanged() {
      if (unreadable) return true;
      try {
        // Opened at first use: the file exists once the database has been read in WAL mode.
        fd ??= openSync(`${databaseFile}-shm`, 'r');
        if (readSync(fd, now, 0, HEADER_BYTES, 0) !== HEADER_BYTES) return true;
      } catch {
        unreadable = true;
        return true;
      }
      if (known && now.equals(seen)) return false;
      // Remembered before the caller asks SQLite: a commit after this read changes the header again.
      now.copy(seen);
      known = true;
      return true;
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
      unreadable = true;
    },
  };
}
