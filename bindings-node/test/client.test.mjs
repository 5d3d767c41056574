// Every operation against a sandbox started for this suite.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { inspect } from 'node:util'
import { Client, Filter, SsoToken, NotFoundError, ValidationError, AuthError, ConfigError, WebcareError, setLogger, resultRowLayout } from 'webcare'
import { startSandbox } from './sandbox.mjs'

let sb, client, cfg, search

before(async () => {
  sb = await startSandbox()
  client = new Client(sb.options)
  cfg = await client.configuration()
  search = cfg.account.searches[0]
})
after(async () => { await sb?.stop() })

test('configuration', () => {
  assert.ok(cfg.account.searches.length > 0)
  assert.ok(cfg.account.users.length > 0)
  assert.equal(typeof cfg.globals.sources.twitter, 'number')
  assert.equal(typeof search.id, 'number')
})

test('client from the environment', async () => {
  const saved = { ...process.env }
  try {
    process.env.WEBCARE_BASE_URL = sb.baseUrl
    process.env.WEBCARE_CLIENT_ID = sb.clientId
    process.env.WEBCARE_CLIENT_SECRET = sb.clientSecret
    for (const c of [new Client(), Client.fromEnv()]) {
      assert.equal(c.baseUrl, sb.baseUrl.replace(/\/$/, ''))
      assert.ok((await c.configuration()).account)
    }
    delete process.env.WEBCARE_CLIENT_SECRET
    assert.throws(() => new Client(), (e) => e instanceof ConfigError && e.code === 'Config' && /WEBCARE_CLIENT_SECRET/.test(e.message))
  } finally {
    process.env = saved
  }
})

test('search returns one page with camelCase results', async () => {
  const page = await client.search(search.name, { limit: 5 })
  assert.equal(page.results.length, 5)
  const r = page.results[0]
  assert.equal(typeof r.uniqueId, 'number')
  assert.equal(typeof r.timestamp, 'number')
  assert.ok(new Date(r.timestamp).getFullYear() > 2000)
  assert.equal(typeof r.type, 'number')
  assert.ok('caseId' in r && 'extra' in r && typeof r.extra === 'object')
  assert.ok(Array.isArray(r.availableConnections))
  // Filters as a Filter, a plain object and a string give the same page.
  const f = new Filter().sources('twitter').limit(3)
  const a = await client.search(search.name, f)
  const b = await client.search(search.name, { sources: ['twitter'], limit: 3 })
  const c = await client.search(search.name, 'source:twitter/limit:3')
  assert.deepEqual(a.results.map((r) => r.uniqueId), b.results.map((r) => r.uniqueId))
  assert.deepEqual(a.results.map((r) => r.uniqueId), c.results.map((r) => r.uniqueId))
  assert.ok(a.results.every((r) => r.sourceName === 'twitter'))
})

test('a search result is the same object, keys in the same order, on every path', async () => {
  // search and stream pages cross as positional rows (stream pages parsed a part at a time),
  // single results as JSON objects: all must give equal objects with one key order (one hidden
  // class).
  const page = await client.search(search.name, { limit: 20 })
  const streamed = []
  for await (const r of client.results(search.name, { limit: 20 }, { limit: 20 })) streamed.push(r)
  assert.equal(streamed.length, 20)
  for (let i = 0; i < 20; i++) {
    const r = page.results[i]
    assert.deepEqual(r, streamed[i])
    assert.deepEqual(Object.keys(r), Object.keys(streamed[i]))
    const single = await client.result(r.uniqueId, { context: false })
    assert.deepEqual(r, single)
    assert.deepEqual(Object.keys(r), Object.keys(single))
  }
  const { fields, required } = resultRowLayout()
  assert.deepEqual(Object.keys(page.results[0]).slice(0, required), fields.slice(0, required))
})

test('a bad filter string rejects with a ValidationError', async () => {
  await assert.rejects(client.search(search.name, 'limit:abc'), (e) => e instanceof ValidationError && /limit/.test(e.message))
  await assert.rejects(client.search(search.name, 'nonsense:segment'), ValidationError)
})

test('result with and without context', async () => {
  const [r] = (await client.search(search.name, { limit: 1 })).results
  const full = await client.result(r.uniqueId)
  assert.equal(full.result.uniqueId, r.uniqueId)
  assert.ok(Array.isArray(full.context))
  const bare = await client.result(r.uniqueId, { context: false })
  assert.equal(bare.uniqueId, r.uniqueId)
  await assert.rejects(client.result(999999999), NotFoundError)
})

test('event, reply, close, hand over, release', async () => {
  const inbound = await sb.inbound({ source: 'twitter', text: 'Mijn internet doet het niet' })
  const page = await client.search(search.name, { limit: 1 })
  const r = page.results[0]
  assert.ok(inbound)
  const ack = await client.event(r.uniqueId, 'starttyping')
  assert.match(ack.url, /event\/starttyping$/)
  await client.event(r.uniqueId, 'stopTyping')
  await assert.rejects(client.event(r.uniqueId, 'dancing'), ValidationError)
  const sent = await client.reply(r.uniqueId, { message: 'Sorry, we kijken ernaar!' })
  assert.ok(sent.ack)
  if (sent.result) assert.equal(sent.result.own, true)
  const sent2 = await client.reply(r.uniqueId, 'Nog een bericht')
  assert.ok(sent2.ack)
  const sid = r.searchId ?? search.id
  const handler = cfg.account.users.find((u) => u.id !== 1) ?? cfg.account.users[0]
  assert.ok((await client.handOver(sid, r.caseId, handler.id)).url.includes('handOverToHandler'))
  assert.ok((await client.releaseHandler(sid, r.caseId)).url.includes('releaseHandler'))
  assert.ok((await client.closeCase(sid, r.caseId)).url.includes('close'))
  await assert.rejects(client.closeCase(sid, 'no-such-case'), WebcareError)
})

test('SSO token is redacted in inspect, toString and JSON', async () => {
  const user = cfg.account.users.find((u) => u.email)
  const t = await client.ssoToken(user.email)
  assert.ok(t instanceof SsoToken)
  assert.equal(typeof t.token, 'string')
  assert.ok(t.token.length > 5)
  for (const s of [inspect(t), String(t), JSON.stringify(t)]) assert.ok(!s.includes(t.token), s)
  await assert.rejects(client.ssoToken('nobody@nowhere.example'), NotFoundError)
  await assert.rejects(client.ssoToken('not-an-email'), ValidationError)
})

test('secrets never show in inspect, JSON or errors; logs are forwarded redacted', async () => {
  const lines = []
  setLogger((level, target, message) => lines.push(`${level} ${target} ${message}`), 'debug')
  try {
    const c = new Client(sb.options)
    await c.configuration()
    for (const s of [inspect(c), String(c), JSON.stringify(c)]) assert.ok(!s.includes(sb.clientSecret), s)
    const bad = new Client({ ...sb.options, clientSecret: 'wrong-secret-value' })
    await assert.rejects(bad.configuration(), (e) => {
      assert.ok(e instanceof AuthError, `${e.name} ${e.message}`)
      assert.equal(e.status, 401)
      assert.ok(!e.message.includes('wrong-secret-value'))
      assert.ok(!inspect(e).includes('wrong-secret-value'))
      return true
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
    assert.ok(lines.length > 0, 'log lines were forwarded')
    const all = lines.join('\n')
    assert.ok(!all.includes(sb.clientSecret) && !all.includes('wrong-secret-value'))
  } finally {
    setLogger(null)
  }
})

test('wrong argument types throw TypeError synchronously', () => {
  assert.throws(() => client.result('abc'), TypeError)
  assert.throws(() => client.result(-1), TypeError)
  assert.throws(() => client.search(42), TypeError)
  assert.throws(() => client.search('kpn', 42), TypeError)
  assert.throws(() => client.reply(1, { message: 5 }), TypeError)
  assert.throws(() => client.event(1, 5), TypeError)
  assert.throws(() => client.configuration({ signal: 'nope' }), TypeError)
  assert.throws(() => client.configuration({ timeoutMs: -5 }), TypeError)
  assert.throws(() => new Client({ baseUrl: 5 }), TypeError)
  assert.throws(() => new Client({ bogus: 1 }), /unknown client option 'bogus'/)
  assert.throws(() => client.handOver(1, 'c', 'x'), TypeError)
})

test('50 concurrent calls', async () => {
  const started = Date.now()
  const pages = await Promise.all(Array.from({ length: 50 }, (_, i) => client.search(search.name, { limit: 2, offset: i })))
  assert.equal(pages.length, 50)
  assert.ok(pages.every((p) => p.results.length === 2))
  assert.equal(pages[1].results[0].uniqueId, pages[0].results[1].uniqueId)
  assert.ok(Date.now() - started < 20000)
})
