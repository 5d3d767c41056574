// Soak run of the Node binding: a watcher and repliers against the CLI sandbox with chaos on.
//
//   node bindings-node/soak.mjs [--ops 5000] [--repliers 6] [--chaos SPEC]
//
// Starts `webcare sandbox --port 0 --json` (WEBCARE_BIN or $CARGO_TARGET_DIR/debug/webcare). An
// injector posts inbound messages through /_sandbox/inbound (controls are never subject to chaos),
// revokes the client's tokens every second and expires them by moving the sandbox clock an hour
// forward every five (the CLI has no --token-ttl). A watcher (`client.watch`, resumed from
// `lastId` after an error) collects every new result; repliers send an `opened` event and a reply
// with a unique text to every inbound result. At the end, with chaos off, it checks that every
// injected id was yielded exactly once and in order; every reply reported as sent is stored
// exactly once (searching `word:` the run id) and listed in its parent's `replies`; a reply that
// failed with a response (ServerError, RateLimitError) is not stored, one that failed with
// TimeoutError/NetworkError at most once; every failure is a WebcareError of an expected kind (no
// AuthError: token expiry is transparent); the client fetched several tokens (seen in the log).
// Operations are events + replies + watch polls (GET searches in the sandbox request log). Prints
// a report and exits 1 on any violation.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Client, WebcareError } from './index.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const DEFAULT_CHAOS = '429=0.03,500=0.02,502=0.03,503=0.02,spike=0.02:200ms,drop=0.01'
const EXPECTED = new Set(['Server', 'Network', 'Timeout', 'RateLimited'])

const { values: args } = parseArgs({
  options: {
    ops: { type: 'string', default: '5000' },
    repliers: { type: 'string', default: '6' },
    chaos: { type: 'string', default: DEFAULT_CHAOS },
    bin: { type: 'string', default: process.env.WEBCARE_BIN || join(process.env.CARGO_TARGET_DIR || join(root, 'target'), 'debug', 'webcare') }
  }
})
const OPS = Number(args.ops)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function startSandbox () {
  const child = spawn(args.bin, ['sandbox', '--port', '0', '--json', '--results', '500'], { stdio: ['ignore', 'pipe', 'ignore'] })
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`the sandbox exited with ${code}`)))
  })
  return { child, info: JSON.parse(line) }
}

function controls (base) {
  return async (method, path, body) => {
    const r = await fetch(`${base}/_sandbox/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    if (!r.ok) throw new Error(`/_sandbox/${path}: ${r.status} ${await r.text()}`)
    return r.json()
  }
}

class LogStats {
  constructor (ctl, profile) {
    this.ctl = ctl
    this.profile = encodeURIComponent(profile)
    this.cursor = 0
    this.api = 0
    this.token = 0
    this.watchRequests = 0
    this.faults = {}
    this.statuses = {}
  }

  async collect () {
    const v = await this.ctl('GET', `requests?since=${this.cursor}`)
    for (const r of v.requests || []) {
      if (r.seq <= this.cursor) continue
      if ((r.path || '').includes('accesstoken')) this.token++
      else this.api++
      if (r.method === 'GET' && (r.path || '').startsWith(`/results/${this.profile}/`)) this.watchRequests++
      this.statuses[r.status] = (this.statuses[r.status] || 0) + 1
      if (r.chaos) {
        const k = r.chaos.startsWith('latency') ? 'spike' : r.chaos
        this.faults[k] = (this.faults[k] || 0) + 1
      }
    }
    this.cursor = Math.max(this.cursor, v.last || 0)
  }
}

async function main () {
  const started = Date.now()
  const { child, info } = await startSandbox()
  try {
    return await run(info, started)
  } finally {
    child.kill('SIGTERM')
  }
}

async function run (info, started) {
  const ctl = controls(info.base_url)
  await ctl('POST', 'chaos', { spec: 'none' })
  await ctl('POST', 'quota', { spec: '1000000000/minute' })
  const client = new Client({
    baseUrl: info.base_url,
    clientId: info.client_id,
    clientSecret: info.client_secret,
    maxRetries: 8,
    requestTimeoutMs: 10000,
    timeoutMs: 60000,
    pollIntervalMs: 50
  })
  const cfg = await client.configuration()
  const profile = cfg.account.searches[0].name
  const twitter = cfg.account.connections.find((c) => c.sourceName === 'twitter' || c.source === 3).id
  const newest = (await client.search(profile, { limit: 1 })).results[0]?.uniqueId ?? 0
  const runId = `soakjs${(Date.now() & 0xffffffff).toString(16)}`
  const log = new LogStats(ctl, profile)
  await log.collect()
  log.api = log.token = log.watchRequests = 0
  log.faults = {}
  log.statuses = {}
  await ctl('POST', 'chaos', { spec: args.chaos })

  const failures = {}
  const untyped = []
  const yielded = []
  const replies = new Map()
  const queue = []
  const waiting = []
  let handled = 0
  let eventsOk = 0
  let watchErrors = 0
  let stopped = false
  const slowest = {}
  const fail = (what, e) => {
    if (e instanceof WebcareError) {
      failures[`${what} ${e.code}`] = (failures[`${what} ${e.code}`] || 0) + 1
      return e.code
    }
    untyped.push(`${what}: ${e && e.name}: ${e && e.message}`)
    return null
  }
  const timed = (what, t0) => { slowest[what] = Math.max(slowest[what] || 0, (Date.now() - t0) / 1000) }
  const push = (id) => { const w = waiting.shift(); if (w) w(id); else queue.push(id) }
  const next = () => queue.length ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiting.push(resolve))

  const stop = new AbortController()
  const watcher = (async () => {
    let since = newest
    while (!stopped) {
      const w = client.watch(profile, null, { sinceId: since, pollIntervalMs: 50, signal: stop.signal })
      try {
        for await (const r of w) {
          yielded.push(r.uniqueId)
          if (!r.own) push(r.uniqueId)
        }
      } catch (e) {
        watchErrors++
        fail('watch', e)
        await sleep(20)
      }
      since = w.lastId ?? since
    }
  })()

  const repliers = Array.from({ length: Number(args.repliers) }, async () => {
    for (;;) {
      const id = await next()
      if (id === null) return
      let t0 = Date.now()
      try {
        await client.event(id, 'opened')
        eventsOk++
      } catch (e) { fail('event', e) }
      timed('event', t0)
      t0 = Date.now()
      try {
        const sent = await client.reply(id, { message: `${runId} reply to ${id}`, connectionId: twitter })
        replies.set(id, ['sent', sent.result ? sent.result.uniqueId : 0])
      } catch (e) {
        replies.set(id, ['failed', fail('reply', e)])
      }
      timed('reply', t0)
      handled++
    }
  })

  const injected = []
  let revocations = 0
  let clockMoves = 0
  let lastRevoke = Date.now()
  let lastClock = Date.now()
  let lastLog = Date.now()
  const ops = () => 2 * handled + log.watchRequests
  for (let i = 0; ; i++) {
    const inFlight = injected.length - handled
    if (ops() + 2 * inFlight >= OPS) break
    if (inFlight >= 30) { await sleep(5); i--; continue }
    const now = Date.now()
    if (now - lastRevoke >= 1000 || i === 10) { lastRevoke = now; await ctl('POST', 'tokens/revoke', { client_id: info.client_id }); revocations++ }
    if (now - lastClock >= 5000) { lastClock = now; await ctl('POST', 'clock', { advance_seconds: 3600 }); clockMoves++ }
    if (now - lastLog >= 500) { lastLog = now; await log.collect() }
    const v = await ctl('POST', 'inbound', {
      source: 'twitter', text: `${runId} inbound ${i}: mijn internet doet het niet`, person: `Soak Person ${i % 50}`, profile, private: false
    })
    injected.push(Number(v.uniqueId))
    if ((i + 1) % 500 === 0) console.error(`soak: ${i + 1} injected, ${ops()} ops, ${((Date.now() - started) / 1000).toFixed(0)} s`)
  }

  const violations = []
  const deadline = Date.now() + 120000
  for (;;) {
    const sentIds = [...replies.values()].filter(([k]) => k === 'sent').map(([, v]) => v)
    const maxSent = sentIds.length ? Math.max(...sentIds) : 0
    const last = yielded.length ? yielded[yielded.length - 1] : 0
    if (handled >= injected.length && last >= maxSent) break
    if (Date.now() > deadline) {
      violations.push(`drain timed out: ${handled} of ${injected.length} handled, watch at ${last}, newest reply ${maxSent}`)
      break
    }
    await sleep(50)
  }
  await sleep(500)
  stopped = true
  stop.abort()
  await watcher
  for (let i = 0; i < repliers.length; i++) push(null)
  await Promise.all(repliers)
  await ctl('POST', 'chaos', { spec: 'none' })
  await log.collect()

  // Verification, chaos off.
  for (let i = 1; i < yielded.length; i++) {
    if (yielded[i] <= yielded[i - 1]) violations.push(`watch yielded ${yielded[i]} after ${yielded[i - 1]} (duplicate or out of order)`)
  }
  const seen = new Map()
  for (const id of yielded) seen.set(id, (seen.get(id) || 0) + 1)
  for (const id of injected) if (seen.get(id) !== 1) violations.push(`inbound ${id} yielded ${seen.get(id) || 0} times by watch`)
  const stored = new Map()
  for await (const r of client.results(profile, { word: runId, limit: 500 }, { sinceId: newest })) {
    if (!r.own) continue
    const k = r.description || ''
    stored.set(k, [...(stored.get(k) || []), r.uniqueId])
  }
  let sent = 0; let failed = 0; let unknownStored = 0; let unknownAbsent = 0
  for (const id of injected) {
    const found = stored.get(`${runId} reply to ${id}`) || []
    const outcome = replies.get(id)
    if (!outcome) { violations.push(`inbound ${id} was never replied to`); continue }
    if (outcome[0] === 'sent') {
      sent++
      const rid = outcome[1]
      if (found.length !== 1) violations.push(`reply to ${id} reported sent (${rid}) but stored ${found.length} times`)
      else if (rid && found[0] !== rid) violations.push(`reply to ${id} reported as ${rid} but stored as ${found[0]}`)
      if (seen.get(rid) !== 1) violations.push(`sent reply ${rid} not yielded exactly once by watch`)
    } else {
      failed++
      const kind = outcome[1]
      if (kind === 'Timeout' || kind === 'Network') {
        if (found.length > 1) violations.push(`reply to ${id} (failed, ${kind}) stored ${found.length} times`)
        else if (found.length === 1) unknownStored++
        else unknownAbsent++
      } else if (found.length) violations.push(`reply to ${id} failed with ${kind} (a response) but was stored ${found.length} times`)
    }
  }
  let checked = 0
  for (const [id, [k, rid]] of replies) {
    if (k !== 'sent' || checked >= 200) continue
    checked++
    const parent = await client.result(id, { context: false })
    if (!(parent.replies || []).map(String).includes(String(rid))) violations.push(`parent ${id} does not list reply ${rid}`)
  }
  for (const [what, n] of Object.entries(failures)) {
    if (!EXPECTED.has(what.split(' ').pop())) violations.push(`${n} unexpected failures: ${what}`)
  }
  for (const u of untyped.slice(0, 20)) violations.push(`not a WebcareError: ${u}`)
  const operations = ops()
  if (operations < OPS) violations.push(`only ${operations} operations (wanted ${OPS})`)
  if (log.token < 1) violations.push(`the token never expired or was revoked (${log.token} token requests)`)

  const elapsed = (Date.now() - started) / 1000
  console.log(`node soak report (${elapsed.toFixed(1)} s)`)
  console.log(`  operations:        ${operations} (watch polls ${log.watchRequests}, events ok ${eventsOk}, replies ${sent + failed})`)
  console.log(`  inbound injected:  ${injected.length}, yielded by watch: ${yielded.length} (inbound + replies), watch restarts after errors ${watchErrors}`)
  console.log(`  replies:           ${sent} sent, ${failed} failed (${unknownStored} unknown-outcome stored, ${unknownAbsent} not stored)`)
  console.log(`  API requests:      ${log.api} (status ${JSON.stringify(log.statuses)})`)
  console.log(`  faults injected:   ${Object.values(log.faults).reduce((a, b) => a + b, 0)} ${JSON.stringify(log.faults)}`)
  console.log(`  tokens:            ${log.token} token requests, ${revocations} revocations, ${clockMoves} clock moves of 1 h`)
  console.log(`  failures by kind:  ${JSON.stringify(failures)}`)
  console.log(`  slowest call (s):  ${JSON.stringify(slowest)}`)
  if (violations.length) {
    console.log(`  result:            FAIL (${violations.length})`)
    for (const v of violations.slice(0, 50)) console.log(`    - ${v}`)
    return 1
  }
  console.log('  result:            PASS')
  return 0
}

process.exitCode = await main()
