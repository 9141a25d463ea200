/**
 * One Outbox file handled at a time across every Outbox watcher of one agent's life.
 *
 * The agent restarts its watchers when the export root or the Billit settings change, and a restart
 * waits only a few seconds for an upload under way. Without this lock the new watcher finds that
 * file still in the Outbox (its ledger row still 'uploading', with the same idempotency key) and
 * sends it again while the first request is in flight; Billit stores a key only once a call has
 * succeeded, so two concurrent calls with one key may both be taken. The agent owns one lock and
 * hands it to each watcher it starts.
 */
export class OutboxLock {
  #tail: Promise<void> = Promise.resolve();
  readonly #busy = new Map<string, number>();

  /**
   * Runs `job` once every job started before it (by this or an earlier watcher) has finished.
   * `job` is told whether a job for the same path was under way or waiting when it asked: that one
   * may have moved the file on, so a file gone by then is no news.
   */
  run(path: string, job: (waitedForSamePath: boolean) => Promise<void>): Promise<void> {
    const waited = (this.#busy.get(path) ?? 0) > 0;
    this.#busy.set(path, (this.#busy.get(path) ?? 0) + 1);
    const result = this.#tail.then(() => job(waited));
    const release = () => {
      const left = (this.#busy.get(path) ?? 1) - 1;
      if (left === 0) this.#busy.delete(path);
      else this.#busy.set(path, left);
    };
    this.#tail = result.then(release, release);
    return result;
  }
}
