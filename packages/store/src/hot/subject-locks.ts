import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { prepareOnPostgres } from './prepared-names.js';
import type { Work } from './group-commit.js';

/** A subject's lock number: 64 bits of its name's hash, as PostgreSQL's advisory locks take them. */
export function lockKey(subject: string): bigint {
  return createHash('sha256').update(subject).digest().readBigInt64BE(0);
}

const byValue = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

export interface SubjectLockOptions {
  /**
   * Transactions open side by side before an evaluation joins or opens one to share instead of opening
   * one of its own (1: while any is open). Below this, each evaluation has its own.
   */
  transactions?: number;
  /** Most evaluations in one transaction (1: each in its own, nothing shared). */
  maxGroup?: number;
  /** No evaluation joins a transaction open longer than this (ms): each answer in it waits for its commit. */
  maxGroupMs?: number;
}

interface Member<S> {
  keys: readonly bigint[];
  work: Work<S, unknown>;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** One transaction on one pooled connection, and the evaluations it carries. */
interface Group<S> {
  /** The advisory locks it holds, or tried to take for one that then went elsewhere. */
  keys: Set<bigint>;
  /** Those whose locks it holds, and how their work ended. */
  members: { member: Member<S>; outcome?: Outcome }[];
  /** Members, with those still trying their locks. */
  size: number;
  /** Members whose work (or whose joining) has not settled yet. */
  running: number;
  started: number;
  /**
   * Whether it takes others: one begun with its first member's locks only once it has them (one still
   * waiting for them must not hold others up); one begun without locks (`share`) at once.
   */
  accepting: boolean;
  /** Its connection, once it has begun (null: it could not begin): members' statements go there. */
  lent: Promise<Kysely<Database> | null>;
  /** Members whose locks are yet to be tried (`tryLocks`: one statement for all of them). */
  entering: Member<S>[];
  scope?: S;
  settled(): void;
}

/**
 * How every evaluation transaction begins. Its statements are the hot ones, prepared once per
 * connection to be planned once (prepared-names.ts). PostgreSQL plans a prepared statement again at
 * each execution when a plan for the values given looks cheaper than the one kept: so it judged the
 * statement that identifies several evaluations at once (history/resolve-ids.ts), whose rows it counts
 * from the arrays given, and planning it took a fifth of the database's CPU. Only for the transaction,
 * whose other statements (nonces, lists, effects) look rows up by key, where the generic plan is the
 * one a custom plan would be.
 */
const BEGIN = 'begin; set local plan_cache_mode = force_generic_plan';

/**
 * Tries the advisory locks of every evaluation entering a transaction together, without waiting: one
 * named prepared statement, a round trip for all of them, answering for each key in order.
 */
const TRY_LOCKS = 'select array(select pg_try_advisory_xact_lock(k) from unnest($1::bigint[]) with ordinality as t(k, i) order by i) as taken';
prepareOnPostgres(TRY_LOCKS);

/**
 * PostgreSQL's evaluations hold transaction-scoped advisory locks on their subjects (project and user,
 * IP, fingerprint, device cookie). Two evaluations that share a subject run one after the other, so each
 * reads what the other wrote (counts of people per IP, velocity, a device's users are what a serial run
 * gives); evaluations that share nothing do not wait for each other.
 *
 * An evaluation that finds no transaction open opens its own: `begin` and its locks, taken in one
 * statement in a fixed order, so two evaluations can never each hold what the other waits for. One that
 * finds any open (`transactions`) shares one (group commit): it joins an open transaction that shares
 * none of its subjects, or opens one for others to share with a plain `begin`, which waits for no lock
 * and so takes others at once. In a shared transaction each evaluation tries its locks without waiting
 * (`pg_try_advisory_xact_lock`), runs beside the others on that connection, and the group commits once
 * all of them are done. A begin, a commit and a round trip each were a quarter of PostgreSQL's CPU per
 * evaluation; shared, they are paid once per group. A transaction only ever waits for locks when it
 * begins, holding none, so waits cannot form a cycle; one that finds a lock taken in a shared
 * transaction goes its own way and waits there. If any member fails, the whole group rolls back and
 * each member runs again in a transaction of its own, so a failure rolls back alone and each promise
 * settles with its own outcome, only after its commit.
 */
export function subjectLocks<S>(db: Kysely<Database>, scopeOf: (trx: Kysely<Database>) => S, options: SubjectLockOptions = {}) {
  const transactions = options.transactions ?? 1;
  const maxGroup = options.maxGroup ?? 8;
  const maxGroupMs = options.maxGroupMs ?? 5;
  const open = new Set<Group<S>>();
  let active = 0;

  const lockList = (fn: string, keys: readonly bigint[]) => keys.map((k) => `${fn}(${k.toString()})`);

  async function runIn(group: Group<S>, member: Member<S>): Promise<void> {
    const entry: Group<S>['members'][number] = { member };
    group.members.push(entry);
    try {
      entry.outcome = { ok: true, value: await member.work(group.scope!) };
    } catch (error) {
      entry.outcome = { ok: false, error };
    }
    leave(group);
  }

  function leave(group: Group<S>): void {
    group.running -= 1;
    if (group.running === 0) {
      group.accepting = false;
      open.delete(group);
      group.settled();
    }
  }

  /**
   * Adds `member` to `group`: it tries its locks there without waiting, in one statement with every
   * other evaluation entering meanwhile (those entering a transaction while its `begin` is on its way
   * all go at once), and runs there if it took them all; otherwise it goes its own way and waits there,
   * holding nothing. What it did take stays, unused, until the commit.
   */
  function enter(group: Group<S>, member: Member<S>): void {
    group.size += 1;
    if (group.size >= maxGroup) group.accepting = false;
    for (const key of member.keys) group.keys.add(key);
    group.running += 1;
    group.entering.push(member);
    if (group.entering.length === 1) void tryLocks(group);
  }

  async function tryLocks(group: Group<S>): Promise<void> {
    const trx = await group.lent;
    const entering = group.entering.splice(0);
    const keys = entering.flatMap((m) => m.keys.map(String));
    const taken =
      trx === null
        ? null
        : await trx
            .executeQuery<{ taken: boolean[] }>(CompiledQuery.raw(TRY_LOCKS, [keys]))
            .then((r) => r.rows[0]?.taken ?? null)
            .catch(() => null);
    let at = 0;
    for (const member of entering) {
      const own = taken?.slice(at, at + member.keys.length);
      at += member.keys.length;
      if (own?.every(Boolean)) {
        void runIn(group, member);
      } else {
        void begin(member, true);
        leave(group);
      }
    }
  }

  /** Joins an open transaction that shares none of `member`'s subjects; false if there is none to join. */
  function join(member: Member<S>): boolean {
    const now = performance.now();
    for (const group of open) {
      if (!group.accepting || now - group.started > maxGroupMs || member.keys.some((k) => group.keys.has(k))) continue;
      enter(group, member);
      return true;
    }
    return false;
  }

  function newGroup(joinable: boolean): { group: Group<S>; done: Promise<void>; lend(trx: Kysely<Database> | null): void } {
    let settled!: () => void;
    const done = new Promise<void>((resolve) => {
      settled = resolve;
    });
    let lend!: (trx: Kysely<Database> | null) => void;
    const lent = new Promise<Kysely<Database> | null>((resolve) => {
      lend = resolve;
    });
    const group: Group<S> = { keys: new Set(), members: [], size: 0, running: 0, started: performance.now(), accepting: joinable, settled, lent, entering: [] };
    if (joinable) open.add(group);
    return { group, done, lend };
  }

  /**
   * Opens a transaction for others to share, with `first` as its first member: a plain `begin`, which
   * waits for no lock, so it takes others at once, even before its `begin` is answered. Every member
   * tries its locks there, as one joining does.
   */
  function share(first: Member<S>): void {
    const { group, done, lend } = newGroup(true);
    enter(group, first);
    void settle(
      group,
      null,
      async (trx) => {
        const failure = await trx.executeQuery(CompiledQuery.raw(BEGIN)).then(
          () => null,
          (error: unknown) => error,
        );
        // Those who entered meanwhile try their locks now, together; after a failed begin each goes its
        // own way, and all must have left before the connection is given back.
        lend(failure === null ? trx : null);
        await done;
        if (failure !== null) throw failure;
      },
      lend,
    );
  }

  /** Runs `first` in a transaction of its own, begun with its locks; others may join once it has begun, when `joinable`. */
  async function begin(first: Member<S>, joinable: boolean): Promise<void> {
    const { group, done, lend } = newGroup(false);
    for (const key of first.keys) group.keys.add(key);
    group.size = 1;
    group.running = 1;
    await settle(
      group,
      first,
      async (trx) => {
        const opening = first.keys.length === 0 ? BEGIN : `${BEGIN}; select ${lockList('pg_advisory_xact_lock', first.keys).join(', ')}`;
        await trx.executeQuery(CompiledQuery.raw(opening));
        lend(trx);
        // Open to others only now: one still waiting for its locks (a subject under attack, say) would
        // hold up everything that joined it.
        if (joinable) {
          group.started = performance.now();
          group.accepting = true;
          open.add(group);
        }
        void runIn(group, first);
        await done;
      },
      lend,
    );
  }

  /**
   * Runs a transaction on a pooled connection: `opening` begins it and returns once every member is
   * done; then it commits, or rolls back if any member failed, and each member settles.
   */
  async function settle(
    group: Group<S>,
    /** Answered here when the transaction could not begin, unless it is already on its way elsewhere. */
    first: Member<S> | null,
    opening: (trx: Kysely<Database>) => Promise<void>,
    lend: (trx: Kysely<Database> | null) => void,
  ): Promise<void> {
    active += 1;
    let failed = false;
    try {
      await db.connection().execute(async (trx) => {
        group.scope = scopeOf(trx);
        await opening(trx);
        failed = group.members.some((m) => m.outcome?.ok === false);
        // A connection that broke mid-transaction is discarded by the pool: its rollback may fail too.
        if (failed) await trx.executeQuery(CompiledQuery.raw('rollback')).catch(() => undefined);
        else await trx.executeQuery(CompiledQuery.raw('commit'));
      });
    } catch (error) {
      // It could not begin, or its commit failed: nothing of it was kept, so nothing may be acknowledged.
      lend(null);
      group.accepting = false;
      open.delete(group);
      const members = group.members.length === 0 && first !== null ? [first] : group.members.map((m) => m.member);
      for (const member of members) member.reject(error);
      return;
    } finally {
      active -= 1;
    }
    const members = group.members;
    if (!failed) {
      for (const { member, outcome } of members) if (outcome?.ok) member.resolve(outcome.value);
      return;
    }
    if (members.length === 1) {
      const { member, outcome } = members[0]!;
      member.reject(outcome?.ok === false ? outcome.error : new Error('evaluation transaction rolled back'));
      return;
    }
    // One failed and the group rolled back: each runs again alone, so it settles with its own outcome.
    for (const { member } of members) void begin(member, false);
  }

  return {
    run<T>(subjects: readonly string[], work: Work<S, T>): Promise<T> {
      const keys = [...new Set(subjects.map(lockKey))].sort(byValue);
      return new Promise<T>((resolve, reject) => {
        const member: Member<S> = { keys, work: work as Work<S, unknown>, resolve: resolve as (value: unknown) => void, reject };
        if (active < transactions || maxGroup <= 1) void begin(member, maxGroup > 1);
        else if (!join(member)) share(member);
      });
    },
  };
}
