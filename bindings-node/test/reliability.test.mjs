// Reliability and security (docs/reliability.md, bindings section): bad arguments throw clear
// errors (never a crash or a hang); no secret or token in inspect/toString/JSON/errors/log lines;
// a panic in the core is a ServerError and the process survives; TLS verification is on unless
// `dangerAcceptInvalidCerts: true`; a short soak run under chaos.
import { test, after, before } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import https from 'node:https'
import { inspect } from 'node:util'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  Client, Filter, WebcareError, ValidationError, ServerError, NetworkError, AuthError,
  sentiment, setLogger, debugPanic
} from 'webcare'
import { startSandbox, bin } from './sandbox.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const HUGE = 'x'.repeat(1_000_000)
let sb
before(async () => { sb = await startSandbox(['--results', '200']) })
after(async () => { await sb.stop() })

/** The promise (or sync call) must fail within `ms`; returns the error. */
async function failure (fn, ms = 30000) {
  let timer
  const timeout = new Promise((resolve, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms) })
  try {
    await Promise.race([(async () => fn())(), timeout])
  } catch (e) {
    if (e && e.message === `no answer within ${ms} ms`) throw e
    return e
  } finally {
    clearTimeout(timer)
  }
  throw new Error('no error')
}

// [name, call, expected classes, word the message names]
const BAD = [
  ['result undefined', (c) => c.result(undefined), [TypeError], 'id'],
  ['result null', (c) => c.result(null), [TypeError], 'id'],
  ['result float', (c) => c.result(1.5), [TypeError], 'id'],
  ['result NaN', (c) => c.result(NaN), [TypeError], 'id'],
  ['result Infinity', (c) => c.result(Infinity), [TypeError], 'id'],
  ['result -1', (c) => c.result(-1), [TypeError, RangeError], 'id'],
  ['result 0', (c) => c.result(0), [TypeError, RangeError], 'id'],
  ['result object', (c) => c.result({}), [TypeError], 'id'],
  ['result 2**60', (c) => c.result(2 ** 60), [TypeError, RangeError], 'id'],
  ['event null', (c) => c.event(1, null), [TypeError], 'event'],
  ['event unknown', (c) => c.event(1, 'dancing'), [ValidationError, TypeError], 'dancing'],
  ['event huge', (c) => c.event(1, HUGE), [ValidationError, TypeError], 'event'],
  ['reply null', (c) => c.reply(1, null), [TypeError], 'reply'],
  ['reply number', (c) => c.reply(1, 5), [TypeError], 'reply'],
  ['reply 1 MB', (c) => c.reply(1, HUGE), [ValidationError], '10000'],
  ['reply connection -1', (c) => c.reply(1, { message: 'hi', connectionId: -1 }), [TypeError, RangeError], 'connectionId'],
  ['reply public string', (c) => c.reply(1, { message: 'hi', public: 'no' }), [TypeError], 'public'],
  ['search null profile', (c) => c.search(null), [TypeError], 'profile'],
  ['search number filter', (c) => c.search('kpn', 42), [TypeError], 'filter'],
  ['search bad path', (c) => c.search('kpn', 'bogus:1'), [ValidationError], 'bogus'],
  ['search unknown source', (c) => c.search('kpn', { sources: ['myspace'] }), [ValidationError, TypeError], 'myspace'],
  ['search unknown sentiment', (c) => c.search('kpn', { sentiment: 'grumpy' }), [ValidationError, TypeError], 'grumpy'],
  ['search limit -1', (c) => c.search('kpn', { limit: -1 }), [TypeError, RangeError, ValidationError], 'limit'],
  ['search limit NaN', (c) => c.search('kpn', { limit: NaN }), [TypeError, RangeError, ValidationError], 'limit'],
  ['search 1 MB word', (c) => c.search('kpn', { word: HUGE }), [WebcareError], ''],
  ['search 1 MB profile', (c) => c.search(HUGE), [WebcareError], ''],
  ['results limit -3', (c) => c.results('kpn', null, { limit: -3 }), [TypeError, RangeError], 'limit'],
  ['watch sinceId string', (c) => c.watch('kpn', null, { sinceId: 'x' }), [TypeError], 'sinceId'],
  ['handOver handler -5', (c) => c.handOver(1, '2', -5), [TypeError, RangeError], 'handlerId'],
  ['ssoToken undefined', (c) => c.ssoToken(undefined), [TypeError], 'email'],
  ['ssoToken 1 MB', (c) => c.ssoToken(HUGE), [ValidationError], 'e-mail'],
  ['client options string', () => new Client('http://x'), [TypeError], 'options'],
  ['client unknown option', () => new Client({ colour: 'red' }), [TypeError], 'colour'],
  ['client timeout NaN', () => new Client({ timeoutMs: NaN }), [TypeError, RangeError], 'timeoutMs'],
  ['client timeout -1', () => new Client({ timeoutMs: -1 }), [TypeError, RangeError], 'timeoutMs'],
  ['client danger string', () => new Client({ dangerAcceptInvalidCerts: 'yes' }), [TypeError], 'dangerAcceptInvalidCerts'],
  ['filter source', () => new Filter({ sources: ['myspace'] }), [ValidationError, TypeError], 'myspace'],
  ['sentiment null', () => sentiment(null), [TypeError], 'text'],
  ['sentiment lang', () => sentiment('hi', 'klingon'), [ValidationError, TypeError], 'klingon'],
  ['setLogger level', () => setLogger(() => {}, 'loud'), [ValidationError, TypeError], 'loud']
]

for (const [name, call, classes, word] of BAD) {
  test(`bad argument: ${name}`, async () => {
    const c = new Client({ ...sb.options, maxRetries: 1 })
    const e = await failure(() => call(c))
    assert.ok(classes.some((k) => e instanceof k), `${name}: ${e && e.name}: ${e && e.message}`)
    assert.ok(e.message.toLowerCase().includes(word.toLowerCase()), `${name}: the message does not name ${word}: ${e.message.slice(0, 300)}`)
    assert.ok(e.message.length < 3000, `${name}: the message echoes the huge argument`)
  })
}

test('lone surrogates (invalid UTF-16) do not crash: converted by napi', async () => {
  const c = new Client(sb.options)
  assert.equal(typeof sentiment('bad \ud800 text').compound, 'number')
  const e = await failure(() => c.event(1, '\ud800'))
  assert.ok(e instanceof ValidationError, e.message)
  const page = await c.search('kpn', { word: 'x\udfff', limit: 1 })
  assert.ok(Array.isArray(page.results))
})

// ---------------------------------------------------------------------------------------------
// Secrets

/** An HTTP proxy in front of the sandbox that records every access token going by. */
function recordingProxy (upstream) {
  const tokens = []
  const u = new URL(upstream)
  const server = http.createServer((req, res) => {
    const auth = req.headers.authorization || ''
    if (auth.toLowerCase().startsWith('bearer ')) tokens.push(auth.slice(7))
    const chunks = []
    req.on('data', (d) => chunks.push(d))
    req.on('end', () => {
      const up = http.request({ host: u.hostname, port: u.port, path: req.url, method: req.method, headers: { ...req.headers, host: u.host } }, (r) => {
        const body = []
        r.on('data', (d) => body.push(d))
        r.on('end', () => {
          const data = Buffer.concat(body)
          if (req.url.includes('accesstoken')) {
            try { const t = JSON.parse(data).access_token; if (t) tokens.push(t) } catch {}
          }
          const headers = { ...r.headers }
          delete headers['transfer-encoding']
          headers['content-length'] = data.length
          res.writeHead(r.statusCode, headers)
          res.end(data)
        })
      })
      up.on('error', () => { res.destroy() })
      up.end(Buffer.concat(chunks))
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, tokens, close: () => server.close() })))
}

test('no secret or token in inspect, toString, JSON, errors or log lines (trace level)', async () => {
  const canary = 'SECRET-canary-123456'
  const proxy = await recordingProxy(sb.baseUrl)
  const lines = []
  setLogger((level, target, message) => lines.push(`${level} ${target} ${message}`), 'trace')
  const out = []
  const show = (v) => { out.push(inspect(v, { depth: 5, showHidden: true }), String(v), JSON.stringify(v) ?? '') }
  let ssoValue
  try {
    const good = new Client({ baseUrl: proxy.url, clientId: sb.clientId, clientSecret: sb.clientSecret, maxRetries: 2 })
    const bad = new Client({ baseUrl: proxy.url, clientId: sb.clientId, clientSecret: canary, maxRetries: 0 })
    show(good); show(bad)
    const cfg = await good.configuration()
    show(cfg)
    show(await good.search('kpn', { limit: 3 }))
    const email = cfg.account.users.find((u) => u.email).email
    const sso = await good.ssoToken(email)
    ssoValue = sso.token
    assert.ok(ssoValue)
    show(sso)
    const errors = []
    errors.push(await failure(() => bad.configuration()))
    errors.push(await failure(() => good.result(999999999)))
    errors.push(await failure(() => good.ssoToken('nobody@nowhere.example')))
    errors.push(await failure(() => new Client({ baseUrl: 'http://127.0.0.1:9', clientId: 'x', clientSecret: canary, maxRetries: 0 }).configuration()))
    await fetch(`${sb.baseUrl}/_sandbox/tokens/revoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: sb.clientId }) })
    await good.search('kpn', { limit: 1 })
    await fetch(`${sb.baseUrl}/_sandbox/chaos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ spec: '429=0.5,503=0.3,drop=0.1' }) })
    for (let i = 0; i < 10; i++) {
      try { await good.search('kpn', { limit: 1 }) } catch (e) { errors.push(e) }
    }
    await fetch(`${sb.baseUrl}/_sandbox/chaos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ spec: 'none' }) })
    for (const e of errors) {
      assert.ok(e instanceof WebcareError, `${e.name}: ${e.message}`)
      show(e); out.push(e.stack || '')
    }
    assert.ok(errors.some((e) => e instanceof AuthError))
    await new Promise((resolve) => setTimeout(resolve, 200)) // log callbacks are asynchronous
  } finally {
    setLogger(null)
    proxy.close()
  }
  assert.ok(new Set(proxy.tokens).size >= 2, 'the proxy saw no tokens')
  assert.ok(lines.some((l) => l.startsWith('debug') || l.startsWith('trace')), 'no debug/trace lines')
  assert.ok(lines.some((l) => l.includes('retry')), 'no retry lines')
  const text = [...out, ...lines].join('\n')
  for (const secret of [canary, sb.clientSecret, ssoValue, ...new Set(proxy.tokens)]) {
    assert.ok(!text.includes(secret), `a secret (${secret.slice(0, 4)}...) leaked`)
  }
})

// ---------------------------------------------------------------------------------------------
// Panics

test('a forced panic is a ServerError and the process survives', async () => {
  const c = new Client(sb.options)
  for (let i = 0; i < 3; i++) {
    assert.throws(() => debugPanic(), (e) => {
      assert.ok(e instanceof ServerError && e instanceof WebcareError, `${e.name}: ${e.message}`)
      assert.equal(e.code, 'Server')
      assert.equal(e.status, null)
      assert.match(e.message, /internal error in webcare.*forced panic for tests/)
      return true
    })
    assert.ok((await c.search('kpn', { limit: 1 })).results.length === 1)
  }
})

test('a forced panic in a child process: caught, then the client works', () => {
  const code = `
    const w = require('webcare')
    try { w.debugPanic() } catch (e) { console.log('caught', e.name) }
    new w.Client(${JSON.stringify(sb.options)}).configuration().then((c) => console.log('ok', c.account.searches.length > 0))`
  const r = spawnSync(process.execPath, ['-e', code], { cwd: join(here, '..'), encoding: 'utf-8', timeout: 60000, env: { ...process.env, RUST_BACKTRACE: '0' } })
  assert.equal(r.status, 0, r.stderr)
  assert.deepEqual(r.stdout.trim().split('\n'), ['caught ServerError', 'ok true'])
})

// ---------------------------------------------------------------------------------------------
// TLS

test('TLS verification is on by default; dangerAcceptInvalidCerts turns it off', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'webcare-tls-'))
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' })
  } catch {
    t.skip('no openssl CLI')
    return
  }
  const server = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
    res.writeHead(401, { 'content-type': 'application/json' })
    res.end('{"ErrorCode":"invalid_client","Error":"self-signed test server"}')
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const baseUrl = `https://127.0.0.1:${server.address().port}`
  try {
    const strict = new Client({ baseUrl, clientId: 'id', clientSecret: 's', maxRetries: 0 })
    const e = await failure(() => strict.configuration())
    assert.ok(e instanceof NetworkError, `${e.name}: ${e.message}`)
    const lax = new Client({ baseUrl, clientId: 'id', clientSecret: 's', maxRetries: 0, dangerAcceptInvalidCerts: true })
    const e2 = await failure(() => lax.configuration())
    assert.ok(e2 instanceof AuthError, `${e2.name}: ${e2.message}`)
  } finally {
    server.close()
  }
})

// ---------------------------------------------------------------------------------------------
// Soak (a short run; `make soak` runs 5,000 operations)

test('short soak under chaos', () => {
  const r = spawnSync(process.execPath, [join(here, '..', 'soak.mjs'), '--ops', process.env.WEBCARE_SOAK_OPS || '250', '--bin', bin],
    { encoding: 'utf-8', timeout: 600000, env: { ...process.env, RUST_BACKTRACE: '0' } })
  console.log(r.stdout)
  assert.equal(r.status, 0, r.stdout + (r.stderr || '').slice(-3000))
  assert.match(r.stdout, /result: {12}PASS/)
})
