// Work for one key runs one batch at a time: what arrives for a key while its batch is in flight
// waits and goes together in the next one. For uses of one hot customer this turns a queue of
// statements that each wait on the same row lock (and each pay a commit) into one statement per
// turn. An idle key costs nothing: the first item runs at once, alone.

/** What one item of a batch came to: its value, or the error that item alone failed with. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

export class KeyedBatcher<I, R> {
  /** Keys with a batch in flight, and the items waiting for the next turn. */
  private readonly waiting = new Map<string, Array<{ item: I; settle: (s: Settled<R>) => void }>>();

  /** `run` answers every item of a batch, in order; `max` bounds a batch. */
  constructor(
    private readonly run: (items: I[]) => Promise<Array<Settled<R>>>,
    private readonly max = 32,
  ) {}

  submit(key: string, item: I): Promise<R> {
    return new Promise<Settled<R>>((settle) => {
      const queue = this.waiting.get(key);
      if (queue) queue.push({ item, settle });
      else {
        this.waiting.set(key, []);
        void this.turns(key, [{ item, settle }]);
      }
    }).then((s) => {
      if (s.ok) return s.value;
      throw s.error;
    });
  }

  private async turns(key: string, first: Array<{ item: I; settle: (s: Settled<R>) => void }>): Promise<void> {
    let batch = first;
    while (batch.length > 0) {
      let answers: Array<Settled<R>>;
      try {
        answers = await this.run(batch.map((b) => b.item));
      } catch (error) {
        answers = batch.map(() => ({ ok: false, error }));
      }
      batch.forEach((b, i) => b.settle(answers[i] ?? { ok: false, error: new Error('KeyedBatcher: no answer') }));
      batch = this.waiting.get(key)!.splice(0, this.max);
    }
    this.waiting.delete(key);
  }
}
