import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { walIndexWatch } from './wal-index-watch.js';

// The watch stands in for `PRAGMA data_version` between commits, so it must never say "unchanged" when
// a commit happened: checked against the pragma itself, with real connections to one WAL-mode file.
const dirs: string[] = [];
const connections: SQLite.Database[] = [];
afterEach(() => {
  for (const c of connections.splice(0)) c.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function walFile(): { file: string; server: SQLite.Database; other: SQLite.Database } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-wal-index-'));
  dirs.push(dir);
  const file = join(dir, 'vigil.db');
  const server = new SQLite(file);
  server.pragma('journal_mode = WAL');
  server.exec('create table t (x integer)');
  const other = new SQLite(file);
  connections.push(server, other);
  return { file, server, other };
}

describe('walIndexWatch', () => {
  it('says unchanged only while nothing was committed, whoever commits', () => {
    const { file, server, other } = walFile();
    const watch = walIndexWatch(file);
    expect(watch.mayHaveChanged()).toBe(true);
    expect(watch.mayHaveChanged()).toBe(false);
    expect(watch.mayHaveChanged()).toBe(false);

    other.prepare('insert into t values (1)').run();
    expect(watch.mayHaveChanged()).toBe(true);
    expect(watch.mayHaveChanged()).toBe(false);

    // Its own connection's commits count too (the caller then asks SQLite, which says nothing changed).
    server.prepare('insert into t values (2)').run();
    expect(watch.mayHaveChanged()).toBe(true);
    expect(watch.mayHaveChanged()).toBe(false);
    watch.close();
  });

  it('agrees with PRAGMA data_version: whenever the version moved, the watch said it may have', () => {
    const { file, server, other } = walFile();
    const watch = walIndexWatch(file);
    const dataVersion = server.prepare('pragma data_version').pluck();
    let version = dataVersion.get();
    watch.mayHaveChanged();
    let moved = 0;
    for (let i = 0; i < 200; i++) {
      // Another connection commits at irregular steps (some steps nothing, some several times), the log
      // restarted now and then by a checkpoint.
      for (let n = 0; n < i % 3; n++) other.prepare('insert into t values (?)').run(i);
      if (i % 50 === 49) other.pragma('wal_checkpoint(TRUNCATE)');
      const said = watch.mayHaveChanged();
      const now = dataVersion.get();
      if (now !== version) {
        moved++;
        expect(said).toBe(true);
      }
      version = now;
    }
    expect(moved).toBeGreaterThan(100);
    watch.close();
  });

  it('says it may have changed when it cannot read the header: a file with no WAL index, a closed watch', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-wal-index-'));
    dirs.push(dir);
    const missing = walIndexWatch(join(dir, 'none.db'));
    expect(missing.mayHaveChanged()).toBe(true);
    expect(missing.mayHaveChanged()).toBe(true);

    const { file } = walFile();
    const watch = walIndexWatch(file);
    watch.mayHaveChanged();
    expect(watch.mayHaveChanged()).toBe(false);
    watch.close();
    expect(watch.mayHaveChanged()).toBe(true);
  });
});
