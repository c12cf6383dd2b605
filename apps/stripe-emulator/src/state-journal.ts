import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A journal this large is folded into the snapshot. */
const COMPACT_AFTER_BYTES = 8 * 1024 * 1024;
const SNAPSHOT = 'state.json';
const JOURNAL = 'journal.ndjson';

/** One line of the journal: an entry's new value, or its removal. */
type JournalLine = { t: string; k: string; v: unknown } | { t: string; k: string; d: 1 };

/**
 * A Map whose changes the journal writes out: `set` and `delete` are noted by themselves, a change
 * made inside a stored object is noted with `touch`.
 */
export class JournaledMap<V> extends Map<string, V> {
  private journal?: StateJournal;

  /** Called by the journal that owns it (a Map's constructor would call `set` before a field is set). */
  attach(journal: StateJournal, name: string): this {
    this.journal = journal;
    this.name = name;
    return this;
  }

  name = '';

  override set(key: string, value: V): this {
    super.set(key, value);
    this.journal?.changed(this, key);
    return this;
  }

  override delete(key: string): boolean {
    const deleted = super.delete(key);
    if (deleted) this.journal?.changed(this, key);
    return deleted;
  }

  /** An object stored under `key` was changed in place. */
  touch(key: string): void {
    if (this.has(key)) this.journal?.changed(this, key);
  }

  /** Loading: puts a value without noting it as a change. */
  restore(key: string, value: V | undefined): void {
    if (value === undefined) super.delete(key);
    else super.set(key, value);
  }
}

/**
 * The emulator's state kept in a directory across restarts, as Stripe keeps its objects: every
 * change is appended to `journal.ndjson` (and fsync'd) before the request that made it is answered;
 * `state.json` holds everything up to the last compaction, written to a temporary file and renamed
 * over the old one, so a crash at any point leaves a snapshot and a journal that replay to the last
 * answered request. A torn last line (a crash mid-append) is the request that was never answered,
 * and is ignored. Without a directory nothing is written: the state lives in memory.
 */
export class StateJournal {
  private readonly tables = new Map<string, JournaledMap<unknown>>();
  private readonly dirty = new Map<JournaledMap<unknown>, Set<string>>();
  private journalBytes = 0;

  constructor(private readonly directory?: string) {}

  get persistent(): boolean {
    return this.directory !== undefined;
  }

  /** The table `name`, created empty; `load()` fills every table from the directory. */
  table<V>(name: string): JournaledMap<V> {
    if (this.tables.has(name)) throw new Error(`table ${name} exists already`);
    const table = new JournaledMap<V>().attach(this, name);
    this.tables.set(name, table);
    return table;
  }

  changed(table: JournaledMap<unknown>, key: string): void {
    if (!this.directory) return;
    let keys = this.dirty.get(table);
    if (!keys) this.dirty.set(table, (keys = new Set()));
    keys.add(key);
  }

  /** Reads the snapshot and replays the journal into the tables; answers how many entries were loaded. */
  load(): number {
    if (!this.directory) return 0;
    mkdirSync(this.directory, { recursive: true });
    const snapshotPath = join(this.directory, SNAPSHOT);
    if (existsSync(snapshotPath)) {
      const snapshot = JSON.parse(readFileSync(snapshotPath, 'utf8')) as { tables: Record<string, [string, unknown][]> };
      for (const [name, entries] of Object.entries(snapshot.tables)) {
        const table = this.tables.get(name);
        for (const [key, value] of entries) table?.restore(key, value);
      }
    }
    const journalPath = join(this.directory, JOURNAL);
    if (existsSync(journalPath)) {
      const lines = readFileSync(journalPath, 'utf8').split('\n');
      for (const line of lines) {
        if (line === '') continue;
        let entry: JournalLine;
        try {
          entry = JSON.parse(line) as JournalLine;
        } catch {
          break; // torn by a crash while it was written: that request was never answered
        }
        this.tables.get(entry.t)?.restore(entry.k, 'd' in entry ? undefined : entry.v);
      }
    }
    // Folds what was loaded into a fresh snapshot, which also drops a torn last line.
    this.compact();
    return [...this.tables.values()].reduce((sum, table) => sum + table.size, 0);
  }

  /** Writes the changes noted since the last flush; they are on disk when it returns. */
  flush(): void {
    if (!this.directory || this.dirty.size === 0) return;
    let text = '';
    for (const [table, keys] of this.dirty) {
      for (const key of keys) {
        const line: JournalLine = table.has(key) ? { t: table.name, k: key, v: table.get(key) } : { t: table.name, k: key, d: 1 };
        text += `${JSON.stringify(line)}\n`;
      }
    }
    this.dirty.clear();
    const fd = openSync(join(this.directory, JOURNAL), 'a');
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.journalBytes += Buffer.byteLength(text);
    if (this.journalBytes > COMPACT_AFTER_BYTES) this.compact();
  }

  /** Everything into a new snapshot (atomic rename), then an empty journal. */
  private compact(): void {
    if (!this.directory) return;
    const tables = Object.fromEntries([...this.tables].map(([name, table]) => [name, [...table.entries()]]));
    writeAtomically(join(this.directory, SNAPSHOT), JSON.stringify({ version: 1, tables }));
    // A crash between the two renames replays a journal the snapshot already holds: harmless.
    writeAtomically(join(this.directory, JOURNAL), '');
    this.dirty.clear();
    this.journalBytes = 0;
  }

  /** Bytes in the journal file, for tests. */
  journalSize(): number {
    return this.directory && existsSync(join(this.directory, JOURNAL)) ? statSync(join(this.directory, JOURNAL)).size : 0;
  }
}

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, text);
  const fd = openSync(temporary, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}
