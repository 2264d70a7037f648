/** One of those asking together: its question, and how it is answered. */
export interface Asking<Q, A> {
  question: Q;
  resolve(answer: A | undefined): void;
  reject(error: unknown): void;
}

/**
 * Collects what is asked until `schedule` calls back, then gives all of it to `answer` at once: the
 * evaluations of a shared transaction ask for their history, and then write, within one turn of the
 * event loop, and one statement answers several (hot/subject-locks.ts).
 */
export function askedTogether<Q, A>(schedule: (flush: () => void) => void, answer: (all: Asking<Q, A>[]) => void): (question: Q) => Promise<A | undefined> {
  let asking: Asking<Q, A>[] | null = null;
  return (question) =>
    new Promise((resolve, reject) => {
      if (asking === null) {
        const all: Asking<Q, A>[] = [];
        asking = all;
        schedule(() => {
          asking = null;
          answer(all);
        });
      }
      asking.push({ question, resolve, reject });
    });
}

/** Runs `run` to answer `all`: if it fails, each of them fails; any it left unanswered (none should be) learns so rather than waiting for ever. */
export function answerAll<Q, A>(all: Asking<Q, A>[], run: () => Promise<void>): void {
  run().then(
    () => {
      for (const one of all) one.resolve(undefined);
    },
    (error: unknown) => {
      for (const one of all) one.reject(error);
    },
  );
}

/** `all` by `keyOf`, each group in the order asked. */
export function groupedBy<T>(all: T[], keyOf: (one: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const one of all) {
    const key = keyOf(one);
    const group = groups.get(key);
    if (group) group.push(one);
    else groups.set(key, [one]);
  }
  return groups;
}
