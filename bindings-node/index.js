'use strict'
// The public API of the `webcare` package: a thin wrapper over the native addon that adds
// argument checks (TypeError), error classes, AbortSignal, async iterators and an EventEmitter
// watcher. Every API rule lives in the Rust core.

const { EventEmitter } = require('node:events')
const { inspect } = require('node:util')
const native = require('./native.js')
const errors = require('./errors.js')

const { fromNative, abortError } = errors

// ---------------------------------------------------------------------------------------------
// Results from rows

/**
 * Search and stream pages cross from the addon with each result as a positional array (no keys
 * to encode or to parse: `JSON.parse` does a quarter less work). This builds the object from such
 * a row: the always-present fields first, then the optional ones that are set, in the addon's
 * order (`resultRowLayout()`), which is the order of every other result object the package
 * returns. Compiled once from that list, so the two cannot drift apart.
 */
const resultFromRow = (() => {
  const { fields, required } = native.resultRowLayout()
  const key = (f) => JSON.stringify(f)
  const always = fields.slice(0, required).map((f, i) => `${key(f)}: a[${i}]`).join(', ')
  const optional = fields.slice(required)
    .map((f, j) => `if (a[${required + j}] !== null) o[${key(f)}] = a[${required + j}]`)
    .join('\n')
  // eslint-disable-next-line no-new-func
  return new Function('a', `'use strict'\nconst o = { ${always} }\n${optional}\nreturn o`)
})()

/** A native page of rows as a page of result objects (in place). */
function pageFromRows (page) {
  const rs = page.results
  for (let i = 0; i < rs.length; i++) rs[i] = resultFromRow(rs[i])
  return page
}

// ---------------------------------------------------------------------------------------------
// Argument checks

function typeName (v) {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  return typeof v === 'object' ? 'an object' : `${typeof v} ${inspect(v)}`
}

function need (cond, what, v) {
  if (!cond) throw new TypeError(`${what}, got ${typeName(v)}`)
}

function checkString (name, v) {
  need(typeof v === 'string', `${name} must be a string`, v)
  return v
}

function checkId (name, v) {
  if (typeof v === 'bigint') v = Number(v)
  if (typeof v === 'string' && /^\d+$/.test(v)) v = Number(v)
  need(typeof v === 'number' && Number.isSafeInteger(v) && v > 0, `${name} must be a positive integer`, v)
  return v
}

function checkOptions (name, v) {
  if (v === undefined || v === null) return {}
  need(typeof v === 'object' && !Array.isArray(v), `${name} must be an object`, v)
  return v
}

function checkSignal (signal) {
  if (signal === undefined || signal === null) return undefined
  need(typeof signal === 'object' && typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function',
    'signal must be an AbortSignal', signal)
  return signal
}

function checkMs (name, v) {
  if (v === undefined || v === null) return undefined
  need(typeof v === 'number' && Number.isFinite(v) && v > 0, `${name} must be a positive number of milliseconds`, v)
  return v
}

// ---------------------------------------------------------------------------------------------
// Calls: AbortSignal and per-call timeout

let lastCallId = 0

const same = (v) => v
const rethrow = (e) => { throw fromNative(e) }

/**
 * Run `fn(nativeOptions)` (a native Promise) with the call's signal and timeout; `map` turns the
 * native value into the caller's (in the same reaction as the error conversion).
 */
function call (options, fn, map = same) {
  const signal = checkSignal(options.signal)
  const timeoutMs = checkMs('timeoutMs', options.timeoutMs)
  if (signal && signal.aborted) return Promise.reject(abortError(signal))
  const opts = {}
  if (timeoutMs !== undefined) opts.timeoutMs = timeoutMs
  if (!signal) {
    try {
      return fn(opts).then(map, rethrow)
    } catch (e) {
      return Promise.reject(fromNative(e))
    }
  }
  lastCallId = lastCallId >= 0xfffffff0 ? 1 : lastCallId + 1
  const id = lastCallId
  opts.callId = id
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      native.cancelCall(id)
      reject(abortError(signal))
    }
    signal.addEventListener('abort', onAbort, { once: true })
    let p
    try {
      p = fn(opts)
    } catch (e) {
      signal.removeEventListener('abort', onAbort)
      reject(fromNative(e))
      return
    }
    p.then((v) => {
      signal.removeEventListener('abort', onAbort)
      try {
        resolve(map(v))
      } catch (e) {
        reject(e)
      }
    }, (e) => {
      signal.removeEventListener('abort', onAbort)
      reject(fromNative(e))
    })
  })
}

/** Call a synchronous native function, converting its errors. */
function sync (fn) {
  try {
    return fn()
  } catch (e) {
    throw fromNative(e)
  }
}

/** Resolves true after `ms`, or false as soon as the signal aborts. */
function sleep (ms, signal) {
  return new Promise((resolve) => {
    if (signal && signal.aborted) return resolve(false)
    const onAbort = () => {
      clearTimeout(t)
      resolve(false)
    }
    const t = setTimeout(() => {
      if (signal) signal.removeEventListener('abort', onAbort)
      resolve(true)
    }, ms)
    if (signal) signal.addEventListener('abort', onAbort, { once: true })
  })
}

// ---------------------------------------------------------------------------------------------
// Filter

const TEXT_KEYS = ['category', 'label', 'hashtag', 'website', 'word', 'profile', 'country', 'city', 'municipality', 'province']
const NUMBER_KEYS = ['assigned', 'sinceId', 'limit', 'offset']
const FILTER_KEYS = new Set(['sources', 'sentiment', 'period', ...TEXT_KEYS, 'resultIds', 'order', 'newResults', 'checked', ...NUMBER_KEYS])

function periodValue (p) {
  if (typeof p === 'string') return p
  need(p && typeof p === 'object' && !Array.isArray(p), "filter.period must be 'day', 'week', 'month', 'year' or {start, end}", p)
  const iso = (v, k) => {
    if (v instanceof Date) return v.toISOString().replace(/\.\d{3}Z$/, 'Z')
    need(typeof v === 'string', `filter.period.${k} must be a Date or an RFC 3339 string`, v)
    return v
  }
  return { start: iso(p.start, 'start'), end: iso(p.end, 'end') }
}

/** A plain filter object (FilterInit) from a Filter, a string path or a plain object. */
function filterInit (f) {
  if (f === undefined || f === null) return undefined
  if (f instanceof Filter) return f.toJSON()
  if (typeof f === 'string') return sync(() => native.filterParse(f))
  need(typeof f === 'object' && !Array.isArray(f), 'filter must be a Filter, a plain object or a segment path string', f)
  const out = {}
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || v === null) continue
    if (!FILTER_KEYS.has(k)) throw new TypeError(`unknown filter key '${k}' (expected one of ${[...FILTER_KEYS].join(', ')})`)
    if (k === 'sources') {
      const list = typeof v === 'string' ? [v] : v
      need(Array.isArray(list) && list.every((s) => typeof s === 'string'), 'filter.sources must be a string or an array of strings', v)
      out.sources = [...list]
    } else if (k === 'resultIds') {
      const list = Array.isArray(v) ? v : [v]
      out.resultIds = list.map((i) => checkId('filter.resultIds[]', i))
    } else if (k === 'period') {
      out.period = periodValue(v)
    } else if (k === 'checked') {
      need(typeof v === 'boolean', 'filter.checked must be a boolean', v)
      out.checked = v
    } else if (k === 'newResults') {
      need(typeof v === 'string' || v === true, "filter.newResults must be 'true' or 'reset'", v)
      out.newResults = String(v)
    } else if (NUMBER_KEYS.includes(k)) {
      need(typeof v === 'number' && Number.isSafeInteger(v) && v >= 0, `filter.${k} must be a non-negative integer`, v)
      out[k] = v
    } else {
      need(typeof v === 'string', `filter.${k} must be a string`, v)
      out[k] = v
    }
  }
  return out
}

/**
 * A filter for a native call: a segment path string as given (parsed natively), a Filter as its
 * rendered path, or a checked plain object.
 */
function filterArg (f) {
  if (typeof f === 'string') return f
  if (f instanceof Filter) return f.toString()
  return filterInit(f)
}

/**
 * A search filter (immutable: every builder method returns a new Filter). Renders to and parses
 * from the filter language with the core's rules.
 */
class Filter {
  #init
  #path
  constructor (init) {
    this.#init = Object.freeze(filterInit(init) || {})
    this.#path = sync(() => native.filterRender(this.#init)) // validates the values
  }

  /** Parse a segment path (`source:twitter/negative/limit:25`). */
  static parse (path) {
    checkString('path', path)
    return new Filter(sync(() => native.filterParse(path)))
  }

  /** Parse a full search path (`/results/<profile>/<segments...>`) into `{profile, filter}`. */
  static parseSearchPath (path) {
    checkString('path', path)
    const parts = sync(() => native.searchPathParse(path))
    return { profile: parts.profile, filter: new Filter(parts.filter) }
  }

  #with (patch) {
    return new Filter({ ...this.#init, ...patch })
  }

  sources (...names) { return this.#with({ sources: [...(this.#init.sources || []), ...names.flat()] }) }
  source (...names) { return this.sources(...names) }
  sentiment (v) { return this.#with({ sentiment: v }) }
  period (v) { return this.#with({ period: v }) }
  category (v) { return this.#with({ category: v }) }
  label (v) { return this.#with({ label: v }) }
  hashtag (v) { return this.#with({ hashtag: v }) }
  website (v) { return this.#with({ website: v }) }
  word (v) { return this.#with({ word: v }) }
  profile (v) { return this.#with({ profile: v }) }
  country (v) { return this.#with({ country: v }) }
  city (v) { return this.#with({ city: v }) }
  municipality (v) { return this.#with({ municipality: v }) }
  province (v) { return this.#with({ province: v }) }
  resultIds (...ids) { return this.#with({ resultIds: [...(this.#init.resultIds || []), ...ids.flat()] }) }
  assigned (userId) { return this.#with({ assigned: userId }) }
  order (v) { return this.#with({ order: v }) }
  sinceId (id) { return this.#with({ sinceId: id }) }
  newResults (v) { return this.#with({ newResults: v }) }
  limit (n) { return this.#with({ limit: n }) }
  offset (n) { return this.#with({ offset: n }) }
  checked (v = true) { return this.#with({ checked: v }) }

  /** The canonical segment path (`source:twitter/negative`); empty for an empty filter. */
  toString () { return this.#path }
  /** The full search path for a profile: `/results/<profile>/<segments...>`. */
  toPath (profile) { return sync(() => native.searchPathRender(checkString('profile', profile), this.#init)) }
  /** The filter as a plain object (canonical spellings). */
  toJSON () { return sync(() => native.filterParse(this.toString())) }
  /** Whether two filters render to the same path. */
  equals (other) { return other instanceof Filter && other.toString() === this.toString() }
  [inspect.custom] () { return `Filter(${JSON.stringify(this.toString())})` }
}

// ---------------------------------------------------------------------------------------------
// Results, paging and watching

/** Every result of a search across pages: `for await (const r of it)`; `.pages()` for arrays. */
class ResultsIterable {
  #pager
  #options
  #started = false
  constructor (pager, options) {
    this.#pager = pager
    this.#options = options
  }

  /** The addon's pages (`NativeRows`: positional rows, parsed a part at a time). */
  async * #native () {
    if (this.#started) throw new Error('this results iterable was already consumed; call client.results() again')
    this.#started = true
    for (;;) {
      const rows = await call(this.#options, (o) => this.#pager.nextPage(o))
      if (rows === null) return
      yield rows
    }
  }

  /** The pages, as arrays of results. The iterable can be consumed once. */
  async * pages () {
    for await (const rows of this.#native()) {
      const page = []
      for (let part = rows.next(); part !== null; part = rows.next()) {
        for (let i = 0; i < part.length; i++) page.push(resultFromRow(part[i]))
      }
      yield page
    }
  }

  async * [Symbol.asyncIterator] () {
    // A part's objects at a time, not a page's: the JS heap holds less between collections.
    // An abort is seen between parts, not only when the next page is asked for.
    const signal = this.#options.signal
    for await (const rows of this.#native()) {
      for (let part = rows.next(); part !== null; part = rows.next()) {
        for (let i = 0; i < part.length; i++) yield resultFromRow(part[i])
        if (signal && signal.aborted) throw abortError(signal)
      }
    }
  }

  /** Every result in one array. */
  async toArray () {
    const out = []
    for await (const page of this.pages()) out.push(...page)
    return out
  }
}

/**
 * New results of a search as an async iterable, each exactly once, in id order. Stop it with the
 * AbortSignal given to `client.watch` (the loop ends; the in-flight poll is cancelled) or by
 * breaking out of the loop. `lastId` is the id of the last result yielded: pass it as `sinceId`
 * to resume without losing or repeating a result.
 */
class Watch {
  #native
  #signal
  #pollIntervalMs
  #timeoutMs
  #lastId
  constructor (nativeWatcher, { signal, pollIntervalMs, timeoutMs, sinceId }) {
    this.#native = nativeWatcher
    this.#signal = signal
    this.#pollIntervalMs = pollIntervalMs
    this.#timeoutMs = timeoutMs
    this.#lastId = sinceId ?? null
  }

  /** The id of the last result yielded (or the starting point); null before the first poll. */
  get lastId () { return this.#lastId }
  /** The wait between polls when there is nothing new, in milliseconds. */
  get pollIntervalMs () { return this.#pollIntervalMs }

  async * [Symbol.asyncIterator] () {
    const signal = this.#signal
    for (;;) {
      if (signal && signal.aborted) return
      let batch
      try {
        batch = await call({ signal, timeoutMs: this.#timeoutMs }, (o) => this.#native.nextBatch(o))
      } catch (e) {
        if (e instanceof errors.AbortError && signal && signal.aborted) return
        throw e
      }
      if (this.#lastId === null && batch.lastId !== null && batch.lastId !== undefined && batch.results.length === 0) {
        this.#lastId = batch.lastId
      }
      if (batch.results.length === 0) {
        if (!(await sleep(this.#pollIntervalMs, signal))) return
        continue
      }
      for (const r of batch.results) {
        if (signal && signal.aborted) return
        this.#lastId = r.uniqueId
        yield r
      }
    }
  }
}

/**
 * An EventEmitter over `client.watch`: emits `result` for each new result (listeners run one
 * result at a time; a listener's returned Promise is awaited), `error` for a failed poll (polling
 * goes on after the server's retry-after or the poll interval) or a failed listener, and `stop`
 * when stopped.
 */
class Watcher extends EventEmitter {
  #controller = new AbortController()
  #watch
  #stopped
  constructor (nativeWatcher, options) {
    super()
    const outer = options.signal
    if (outer) {
      if (outer.aborted) this.#controller.abort()
      else outer.addEventListener('abort', () => this.stop(), { once: true })
    }
    this.#watch = new Watch(nativeWatcher, { ...options, signal: this.#controller.signal })
    this.#stopped = new Promise((resolve) => this.once('stop', resolve))
    setImmediate(() => this.#run())
  }

  /** The id of the last result handed to the listeners (see `Watch.lastId`). */
  get lastId () { return this.#watch.lastId }
  /** Whether `stop()` was called. */
  get stopped () { return this.#controller.signal.aborted }
  /** A Promise that resolves when the watcher has stopped. */
  get done () { return this.#stopped }

  /** Stop watching (cancels the in-flight poll). */
  stop () {
    this.#controller.abort()
  }

  async #run () {
    const signal = this.#controller.signal
    while (!signal.aborted) {
      try {
        for await (const r of this.#watch) {
          for (const listener of this.listeners('result')) {
            try {
              await listener.call(this, r)
            } catch (e) {
              this.emit('error', e)
            }
            if (signal.aborted) break
          }
        }
      } catch (e) {
        this.emit('error', e)
        const wait = e && typeof e.retryAfter === 'number' ? e.retryAfter * 1000 : this.#watch.pollIntervalMs
        await sleep(Math.max(wait || 1000, 50), signal)
      }
    }
    this.emit('stop')
  }
}

// ---------------------------------------------------------------------------------------------
// SSO token

const REDACTED = '[REDACTED]'

/**
 * A single sign-on token. The token is only readable through the `token` property; `inspect`,
 * `toString` and `JSON.stringify` show `[REDACTED]`.
 */
class SsoToken {
  #token
  constructor (n) {
    this.#token = n.token ?? null
    /** When it expires, as served. */
    this.expires = n.expires ?? null
    /** Other fields as served. */
    this.extra = n.extra ?? {}
  }

  /** The token itself. */
  get token () { return this.#token }
  toJSON () { return { token: REDACTED, expires: this.expires, extra: this.extra } }
  toString () { return `SsoToken(${REDACTED}, expires ${this.expires})` }
  [inspect.custom] () { return `SsoToken { token: '${REDACTED}', expires: ${inspect(this.expires)} }` }
}

// ---------------------------------------------------------------------------------------------
// Client

const CLIENT_STRING_OPTIONS = ['baseUrl', 'tokenUrl', 'clientId', 'clientSecret', 'userAgent']
const CLIENT_NUMBER_OPTIONS = ['timeoutMs', 'requestTimeoutMs', 'connectTimeoutMs', 'maxRetries', 'pageSize', 'pollIntervalMs']
// Turning TLS certificate verification off needs this explicitly dangerous option (a boolean).
const CLIENT_BOOLEAN_OPTIONS = ['dangerAcceptInvalidCerts']

/** A Webcare API client. Every method returns a Promise and accepts `{ signal, timeoutMs }`. */
class Client {
  #native
  constructor (options) {
    const o = checkOptions('options', options)
    const init = {}
    for (const [k, v] of Object.entries(o)) {
      if (v === undefined || v === null) continue
      if (CLIENT_STRING_OPTIONS.includes(k)) init[k] = checkString(`options.${k}`, v)
      else if (CLIENT_NUMBER_OPTIONS.includes(k)) {
        need(typeof v === 'number' && Number.isFinite(v) && v >= 0, `options.${k} must be a non-negative number`, v)
        init[k] = v
      } else if (CLIENT_BOOLEAN_OPTIONS.includes(k)) {
        need(typeof v === 'boolean', `options.${k} must be a boolean`, v)
        init[k] = v
      } else throw new TypeError(`unknown client option '${k}' (expected one of ${[...CLIENT_STRING_OPTIONS, ...CLIENT_NUMBER_OPTIONS, ...CLIENT_BOOLEAN_OPTIONS].join(', ')})`)
    }
    this.#native = sync(() => new native.NativeClient(init))
  }

  /** A client from the WEBCARE_* environment variables (options given here win). */
  static fromEnv (options) {
    return new Client(options)
  }

  /** The base URL. */
  get baseUrl () { return this.#native.baseUrl }
  /** The client id. */
  get clientId () { return this.#native.clientId }

  /** `GET /configuration`: account, users, searches, connections and code tables. */
  configuration (options) {
    const o = checkOptions('options', options)
    return call(o, (n) => this.#native.configuration(n))
  }

  /** `GET /ssoAccessToken/{email}`: a new single sign-on token for that user. */
  async ssoToken (email, options) {
    checkString('email', email)
    const o = checkOptions('options', options)
    return new SsoToken(await call(o, (n) => this.#native.ssoToken(email, n)))
  }

  /** `GET /results/{id}`: the result and its context; with `{context: false}`, only the result. */
  result (id, options) {
    checkId('id', id)
    const o = checkOptions('options', options)
    if (o.context === false) return call(o, (n) => this.#native.resultNoContext(Number(id), n))
    return call(o, (n) => this.#native.result(Number(id), n))
  }

  /** `POST /results/{id}/replies`: `reply(id, {message, connectionId?, public?})` or `reply(id, 'text')`. */
  reply (id, reply, options) {
    checkId('id', id)
    if (typeof reply === 'string') reply = { message: reply }
    const r = checkOptions('reply', reply)
    checkString('reply.message', r.message)
    const req = { message: r.message }
    if (r.connectionId !== undefined && r.connectionId !== null) req.connectionId = checkId('reply.connectionId', r.connectionId)
    if (r.public !== undefined && r.public !== null) {
      need(typeof r.public === 'boolean', 'reply.public must be a boolean', r.public)
      req.public = r.public
    }
    const o = { ...r, ...checkOptions('options', options) }
    return call(o, (n) => this.#native.reply(Number(id), req, n))
  }

  /** `POST /results/{id}/event/{event}`: `starttyping`, `stoptyping`, `closed` or `opened`. */
  event (id, event, options) {
    checkId('id', id)
    checkString('event', event)
    const o = checkOptions('options', options)
    return call(o, (n) => this.#native.event(Number(id), event, n))
  }

  /** `POST /searches/{searchId}/cases/{caseId}/close`. */
  closeCase (searchId, caseId, options) {
    checkId('searchId', searchId)
    const c = caseIdArg(caseId)
    const o = checkOptions('options', options)
    return call(o, (n) => this.#native.closeCase(Number(searchId), c, n))
  }

  /** `POST /searches/{searchId}/cases/{caseId}/close/handOverToHandler/{handlerId}`. */
  handOver (searchId, caseId, handlerId, options) {
    checkId('searchId', searchId)
    const c = caseIdArg(caseId)
    checkId('handlerId', handlerId)
    const o = checkOptions('options', options)
    return call(o, (n) => this.#native.handOver(Number(searchId), c, Number(handlerId), n))
  }

  /** `POST /searches/{searchId}/cases/{caseId}/releaseHandler`. */
  releaseHandler (searchId, caseId, options) {
    checkId('searchId', searchId)
    const c = caseIdArg(caseId)
    const o = checkOptions('options', options)
    return call(o, (n) => this.#native.releaseHandler(Number(searchId), c, n))
  }

  /** One page of a search (the filter's own `limit` and `offset` apply). */
  search (profile, filter, options) {
    checkString('profile', profile)
    const f = filterArg(filter)
    const o = checkOptions('options', options)
    return call(o, (n) => this.#native.search(profile, f, n), pageFromRows)
  }

  /**
   * Every result of a search across pages (`for await`), at most `limit`; `pageSize` results per
   * request; with `sinceId`, only results after that id, oldest first.
   */
  results (profile, filter, options) {
    checkString('profile', profile)
    let f = filterInit(filter) || {}
    const o = checkOptions('options', options)
    if (o.pageSize !== undefined && o.pageSize !== null) f = { ...f, limit: checkId('pageSize', o.pageSize) }
    const limit = o.limit === undefined || o.limit === null ? undefined : checkNonNegative('limit', o.limit)
    const sinceId = o.sinceId === undefined || o.sinceId === null ? undefined : checkNonNegative('sinceId', o.sinceId)
    checkSignal(o.signal)
    checkMs('timeoutMs', o.timeoutMs)
    const pager = sync(() => this.#native.pager(profile, f, limit, sinceId))
    return new ResultsIterable(pager, { signal: o.signal, timeoutMs: o.timeoutMs })
  }

  /** New results of a search as an async iterable (see `Watch`). */
  watch (profile, filter, options) {
    return new Watch(...this.#watchArgs(profile, filter, options))
  }

  /** An EventEmitter over `watch` for chat bots (see `Watcher`). */
  watcher (profile, filter, options) {
    return new Watcher(...this.#watchArgs(profile, filter, options))
  }

  #watchArgs (profile, filter, options) {
    checkString('profile', profile)
    const f = filterInit(filter)
    const o = checkOptions('options', options)
    const sinceId = o.sinceId === undefined || o.sinceId === null ? undefined : checkNonNegative('sinceId', o.sinceId)
    const signal = checkSignal(o.signal)
    const pollIntervalMs = checkMs('pollIntervalMs', o.pollIntervalMs) ?? this.#native.pollIntervalMs
    const timeoutMs = checkMs('timeoutMs', o.timeoutMs)
    const w = sync(() => this.#native.watcher(profile, f, sinceId))
    return [w, { signal, pollIntervalMs, timeoutMs, sinceId }]
  }

  toJSON () { return { baseUrl: this.baseUrl, clientId: this.clientId } }
  toString () { return `Client(${this.baseUrl}, clientId ${this.clientId})` }
  [inspect.custom] () { return `Client { baseUrl: '${this.baseUrl}', clientId: '${this.clientId}' }` }
}

function caseIdArg (v) {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v)
  return checkString('caseId', v)
}

function checkNonNegative (name, v) {
  need(typeof v === 'number' && Number.isSafeInteger(v) && v >= 0, `${name} must be a non-negative integer`, v)
  return v
}

// ---------------------------------------------------------------------------------------------
// Sentiment and logging

/** Score a text offline (`lang`: 'auto' (default), 'en' or 'nl'). */
function sentiment (text, lang) {
  checkString('text', text)
  if (lang !== undefined && lang !== null) checkString('lang', lang)
  return sync(() => native.sentiment(text, lang))
}

/** Score many texts offline, in order. */
function sentimentMany (texts, lang) {
  need(Array.isArray(texts) && texts.every((t) => typeof t === 'string'), 'texts must be an array of strings', texts)
  if (lang !== undefined && lang !== null) checkString('lang', lang)
  return sync(() => native.sentimentMany(texts, lang))
}

/**
 * Forward the client's log events to `callback(level, target, message)` (tokens redacted);
 * `level` is the most verbose level passed on (default 'info'); `null` stops forwarding.
 */
/** @internal Test hook: a panic inside the core, thrown as a `ServerError`. */
function debugPanic () {
  return sync(() => native.debugPanic())
}

function setLogger (callback, level) {
  need(callback === null || callback === undefined || typeof callback === 'function', 'callback must be a function or null', callback)
  if (level !== undefined && level !== null) checkString('level', level)
  return sync(() => native.setLogger(callback ?? null, level))
}

module.exports = {
  Client,
  Filter,
  ResultsIterable,
  Watch,
  Watcher,
  SsoToken,
  sentiment,
  sentimentMany,
  setLogger,
  debugPanic,
  ...errors,
  // The native layer (low level; the classes above wrap it).
  NativeClient: native.NativeClient,
  NativePager: native.NativePager,
  NativeRows: native.NativeRows,
  NativeWatcher: native.NativeWatcher,
  cancelCall: native.cancelCall,
  filterRender: native.filterRender,
  filterParse: native.filterParse,
  searchPathRender: native.searchPathRender,
  searchPathParse: native.searchPathParse,
  resultRowLayout: native.resultRowLayout
}
delete module.exports.abortError
delete module.exports.fromNative
