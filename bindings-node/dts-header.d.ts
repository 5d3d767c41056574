// ---- The JavaScript wrapper (index.js) -----------------------------------------------------
// The declarations after this section are generated from the Rust sources (the native layer,
// whose data types the wrapper returns as they are).

import { EventEmitter } from 'node:events'

/** Options every call accepts. */
export interface RequestOptions {
  /** Cancels the call: the Promise rejects with an `AbortError` and the native request is dropped. */
  signal?: AbortSignal
  /** Timeout of this call in milliseconds (a `TimeoutError` when exceeded). */
  timeoutMs?: number
}

/** A filter: a `Filter`, a plain object, or a segment path string (`source:twitter/negative`). */
export type FilterLike = Filter | FilterInit | string

/** The account configuration (`GET /configuration`), keys as served. */
export interface Configuration {
  lastChange?: string | null
  globals: {
    sources: Record<string, number>
    activities: Record<string, number>
    statusses: Record<string, number>
    [key: string]: any
  }
  format?: string | null
  account: {
    memberId: string
    company: string
    memberSince?: string | null
    users: Array<{ id: number; name: string; firstName?: string | null; email?: string | null; admin: boolean; [key: string]: any }>
    searches: Array<{ id: number; name: string; encodedName?: string | null; visible: boolean; webcareTabs: any[]; availableSources: string[]; [key: string]: any }>
    connections: Array<{ id: number; name?: string | null; source?: number | null; [key: string]: any }>
    [key: string]: any
  }
  [key: string]: any
}

/** A Webcare API client. Every method returns a Promise and accepts `{ signal, timeoutMs }`. */
export declare class Client {
  /** A client from options; unset options come from the WEBCARE_* environment variables. */
  constructor(options?: ClientOptions)
  /** A client from the WEBCARE_* environment variables (options given here win). */
  static fromEnv(options?: ClientOptions): Client
  readonly baseUrl: string
  readonly clientId: string
  /** `GET /configuration`. */
  configuration(options?: RequestOptions): Promise<Configuration>
  /** `GET /ssoAccessToken/{email}`: a new single sign-on token for that user. */
  ssoToken(email: string, options?: RequestOptions): Promise<SsoToken>
  /** `GET /results/{id}`: the result and its conversation context. */
  result(id: number, options?: RequestOptions & { context?: true }): Promise<ResultWithContext>
  /** `GET /results/{id}/noContext`: only the result. */
  result(id: number, options: RequestOptions & { context: false }): Promise<WebcareResult>
  /** `POST /results/{id}/replies`. */
  reply(id: number, reply: string | (ReplyOptions & RequestOptions), options?: RequestOptions): Promise<ReplySent>
  /** `POST /results/{id}/event/{event}`. */
  event(id: number, event: 'starttyping' | 'stoptyping' | 'closed' | 'opened' | (string & {}), options?: RequestOptions): Promise<Ack>
  /** `POST /searches/{searchId}/cases/{caseId}/close`. */
  closeCase(searchId: number, caseId: string | number, options?: RequestOptions): Promise<Ack>
  /** `POST /searches/{searchId}/cases/{caseId}/close/handOverToHandler/{handlerId}`. */
  handOver(searchId: number, caseId: string | number, handlerId: number, options?: RequestOptions): Promise<Ack>
  /** `POST /searches/{searchId}/cases/{caseId}/releaseHandler`. */
  releaseHandler(searchId: number, caseId: string | number, options?: RequestOptions): Promise<Ack>
  /** One page of a search (the filter's own `limit` and `offset` apply). */
  search(profile: string, filter?: FilterLike | null, options?: RequestOptions): Promise<Page>
  /** Every result of a search across pages. */
  results(profile: string, filter?: FilterLike | null, options?: ResultsOptions): ResultsIterable
  /** New results of a search, each exactly once, as an async iterable. */
  watch(profile: string, filter?: FilterLike | null, options?: WatchOptions): Watch
  /** An EventEmitter over `watch`, for chat bots. */
  watcher(profile: string, filter?: FilterLike | null, options?: WatchOptions): Watcher
  toJSON(): { baseUrl: string; clientId: string }
}

/** Options of `client.results`. */
export interface ResultsOptions extends RequestOptions {
  /** The most results to yield. */
  limit?: number
  /** Results per request (default: the filter's limit or the client's page size). */
  pageSize?: number
  /** Only results after this id, oldest first (keyset paging). */
  sinceId?: number
}

/** Options of `client.watch` and `client.watcher`. */
export interface WatchOptions {
  /** Resume after this id (exclusive); default: only results that arrive after the first poll. */
  sinceId?: number
  /** Stops watching: the iteration ends and the in-flight poll is cancelled. */
  signal?: AbortSignal
  /** The wait between polls when there is nothing new (default: the client's, 2000). */
  pollIntervalMs?: number
  /** Timeout of each poll in milliseconds. */
  timeoutMs?: number
}

/** Every result of a search across pages. Consumable once. */
export declare class ResultsIterable implements AsyncIterable<WebcareResult> {
  [Symbol.asyncIterator](): AsyncGenerator<WebcareResult, void, undefined>
  /** The pages, as arrays of results. */
  pages(): AsyncGenerator<WebcareResult[], void, undefined>
  /** Every result in one array. */
  toArray(): Promise<WebcareResult[]>
}

/** New results of a search as an async iterable, each exactly once, in id order. */
export declare class Watch implements AsyncIterable<WebcareResult> {
  [Symbol.asyncIterator](): AsyncGenerator<WebcareResult, void, undefined>
  /** The id of the last result yielded (or the starting point); pass it as `sinceId` to resume. */
  readonly lastId: number | null
  readonly pollIntervalMs: number
}

/** An EventEmitter over `client.watch` for chat bots. */
export declare class Watcher extends EventEmitter {
  /** The id of the last result handed to the listeners. */
  readonly lastId: number | null
  readonly stopped: boolean
  /** Resolves when the watcher has stopped. */
  readonly done: Promise<void>
  /** Stop watching (cancels the in-flight poll). */
  stop(): void
  on(event: 'result', listener: (result: WebcareResult) => void | Promise<void>): this
  on(event: 'error', listener: (error: Error) => void): this
  on(event: 'stop', listener: () => void): this
  once(event: 'result', listener: (result: WebcareResult) => void | Promise<void>): this
  once(event: 'error', listener: (error: Error) => void): this
  once(event: 'stop', listener: () => void): this
}

/** A search filter (immutable: every builder method returns a new Filter). */
export declare class Filter {
  constructor(init?: FilterInit | string | null)
  /** Parse a segment path (`source:twitter/negative/limit:25`). */
  static parse(path: string): Filter
  /** Parse `/results/<profile>/<segments...>`. */
  static parseSearchPath(path: string): { profile: string; filter: Filter }
  sources(...names: Array<string | string[]>): Filter
  source(...names: Array<string | string[]>): Filter
  sentiment(value: 'very_negative' | 'negative' | 'neutral' | 'positive' | 'very_positive' | (string & {})): Filter
  period(value: 'day' | 'week' | 'month' | 'year' | { start: string | Date; end: string | Date }): Filter
  category(value: string): Filter
  label(value: string): Filter
  hashtag(value: string): Filter
  website(value: string): Filter
  word(value: string): Filter
  profile(value: string): Filter
  country(value: string): Filter
  city(value: string): Filter
  municipality(value: string): Filter
  province(value: string): Filter
  resultIds(...ids: Array<number | number[]>): Filter
  assigned(userId: number): Filter
  order(value: 'most_recent' | 'least_recent'): Filter
  sinceId(id: number): Filter
  newResults(value: 'true' | 'reset'): Filter
  limit(n: number): Filter
  offset(n: number): Filter
  checked(value?: boolean): Filter
  /** The canonical segment path. */
  toString(): string
  /** `/results/<profile>/<segments...>`. */
  toPath(profile: string): string
  toJSON(): FilterInit
  equals(other: unknown): boolean
}

/** A single sign-on token; `inspect`, `toString` and `JSON.stringify` show `[REDACTED]`. */
export declare class SsoToken {
  /** The token itself. */
  readonly token: string | null
  readonly expires: string | null
  readonly extra: Record<string, any>
  toJSON(): { token: '[REDACTED]'; expires: string | null; extra: Record<string, any> }
}

/** The kind of a WebcareError (`code`). */
export type ErrorCode = 'Auth' | 'Forbidden' | 'NotFound' | 'Validation' | 'RateLimited' | 'Server' | 'Timeout' | 'Network' | 'Decode' | 'Config'

/** Base class of every error the client raises. */
export declare class WebcareError extends Error {
  readonly code: ErrorCode
  /** The HTTP status, when there was a response. */
  readonly status: number | null
  readonly requestId: string | null
  /** Seconds the server asked to wait (rate limits). */
  readonly retryAfter: number | null
  readonly messages: Array<{ type: string; title: string; description: string }>
  /** Whether retrying later may succeed. */
  readonly retryable: boolean
}
export declare class AuthError extends WebcareError {}
export declare class ForbiddenError extends WebcareError {}
export declare class NotFoundError extends WebcareError {}
export declare class ValidationError extends WebcareError {}
export declare class RateLimitError extends WebcareError {}
export declare class ServerError extends WebcareError {}
export declare class TimeoutError extends WebcareError {}
export declare class NetworkError extends WebcareError {}
export declare class DecodeError extends WebcareError {}
export declare class ConfigError extends WebcareError {}
/** The rejection of a call cancelled by its AbortSignal (`name === 'AbortError'`). */
export declare class AbortError extends Error {
  readonly code: 'ABORT_ERR'
}

// ---- Generated from the Rust sources ----------------------------------------------------------
