import { ApiError } from "../errors/once-hub-api-error.js";

/**
 * The paging parameters every OnceHub list takes.
 *
 * @example
 * ```ts
 * const older = await client.webhooks.page({ limit: 25, after: "WHK-7JD9LBVZTQ" });
 * ```
 */
export interface ListParams {
  /**
   * Items per page, 1 to 100.
   * @defaultValue `10` (OnceHub's default; the iterator of `list` asks for 100 unless told)
   */
  readonly limit?: number;
  /** The id of the last item received: the page after it. */
  readonly after?: string;
  /** The id of the first item received: the page before it. */
  readonly before?: string;
}

/**
 * One page of an OnceHub list, with the cursors to move on.
 *
 * @example
 * ```ts
 * let page = await client.bookings.page({ limit: 50 });
 * while (page.nextCursor !== undefined) page = await client.bookings.page({ limit: 50, after: page.nextCursor });
 * ```
 */
export interface Page<T> {
  /** The page's items, in the order OnceHub sent them; empty when there were none. */
  readonly data: readonly T[];
  /** Whether more items lie beyond this page in the direction of travel (`has_more`). */
  readonly hasMore: boolean;
  /** Pass as `after` for the next page; undefined on the last one. */
  readonly nextCursor: string | undefined;
  /** Pass as `before` for the previous page; undefined on the first one. */
  readonly previousCursor: string | undefined;
}

/** The list envelope OnceHub sends: `{ object: "list", data, has_more }`. */
interface ListEnvelope {
  readonly data?: unknown;
  readonly has_more?: unknown;
}

/**
 * Builds a {@link Page} from OnceHub's envelope and the request's cursors. `has_more` may be missing (older API
 * answers): then a full page is taken to mean "maybe more".
 */
export function toPage<T extends { readonly id: string }>(envelope: unknown, params: ListParams): Page<T> {
  const body = (typeof envelope === "object" && envelope !== null ? envelope : {}) as ListEnvelope;
  const data = (Array.isArray(body.data) ? body.data : []) as T[];
  const first = data[0]?.id;
  const last = data[data.length - 1]?.id;
  const hasMore =
    typeof body.has_more === "boolean"
      ? body.has_more
      : data.length > 0 && data.length >= (params.limit ?? 10);
  const backwards = params.before !== undefined;
  return {
    data,
    hasMore,
    nextCursor: backwards ? last : hasMore ? last : undefined,
    previousCursor: backwards
      ? hasMore
        ? first
        : undefined
      : params.after !== undefined
        ? first
        : undefined,
  };
}

/** The most pages one walk reads: a bound on a walk whatever the server answers. */
const MAX_PAGES = 1_000_000;

/**
 * A list that can be walked item by item (`for await`) or page by page (`pages()`), following `after` cursors
 * until OnceHub says there is no more. Nothing is read before the walk starts.
 *
 * @example
 * ```ts
 * for await (const page of client.bookings.list({ limit: 100 }).pages()) await store.saveAll(page.data);
 * ```
 */
export class PagedList<
  T extends {
    /** The item's OnceHub id: the cursor that `after` takes to read on from it. */
    readonly id: string;
  },
> implements AsyncIterable<T> {
  readonly #fetch: (params: ListParams) => Promise<Page<T>>;
  readonly #params: Omit<ListParams, "before">;

  /**
   * @param fetch - Reads one page.
   * @param params - The first page's parameters; the walk goes forward, so there is no `before`.
   */
  constructor(fetch: (params: ListParams) => Promise<Page<T>>, params: Omit<ListParams, "before">) {
    this.#fetch = fetch;
    this.#params = params;
  }

  /**
   * Every page, from the first, following `nextCursor`. A server that sends a cursor it already sent in this walk
   * (a cycle, which would walk forever) ends it with an `ApiError`.
   */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let params = this.#params;
    const seen = new Set<string>();
    for (let count = 1; count <= MAX_PAGES; count++) {
      const page = await this.#fetch(params);
      yield page;
      const cursor = page.nextCursor;
      if (!page.hasMore || cursor === undefined) return;
      if (seen.has(cursor) || cursor === params.after) {
        // The cursor is not repeated: it is server text.
        throw new ApiError(
          `OnceHub's list sent, after page ${count}, a cursor it had already sent in this walk: following it ` +
            "would loop forever, so the walk stops. The items read so far were delivered.",
          { status: 200 },
        );
      }
      seen.add(cursor);
      params = { ...this.#params, after: cursor };
    }
  }

  /** Every item of every page, in order, read a page at a time as the loop asks for more (`for await`). */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }
}
