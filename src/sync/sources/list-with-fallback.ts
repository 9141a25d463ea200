import { BillitHttpError } from '../../billit/errors/billit-http-error.js';
import type { ListQuery } from '../../billit/client.js';
import type { Page } from '../../billit/schemas.js';

/** Endpoints whose filterable properties Billit does not document: remembered per process once refused. */
const refusedFilters = new Set<string>();

/**
 * Lists with a narrowing filter when Billit accepts it, and without when it answers 400 GenericError
 * (its answer to a property it does not filter on). Correctness never depends on the filter; it only
 * saves requests.
 */
export async function* listWithOptionalFilter<T>(key: string, list: (query: ListQuery) => AsyncGenerator<Page<T>>, filter: string | null): AsyncGenerator<T> {
  if (filter && !refusedFilters.has(key)) {
    const pages = list({ filter });
    let first: IteratorResult<Page<T>> | null = null;
    try {
      first = await pages.next();
    } catch (error) {
      if (!(error instanceof BillitHttpError && error.status === 400)) throw error;
      refusedFilters.add(key);
    }
    if (first !== null) {
      if (!first.done) yield* first.value.items;
      for await (const page of pages) yield* page.items;
      return;
    }
  }
  for await (const page of list({})) yield* page.items;
}
