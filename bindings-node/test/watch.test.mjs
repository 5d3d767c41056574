// watch / watcher against the sandbox, AbortSignal and per-call timeouts (a slow sandbox).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Client, AbortError, TimeoutError, Watcher } from 'webcare'
import { startSandbox } from './sandbox.mjs'

let sb, slow, client, profile

before(async () => {
  sb = await startSandbox()
  slow = await startSandbox(['--chaos', 'latency=1500ms'])
  client = new Client(sb.options)
  profile = (await client.configuration()).account.searches[0].name
})
after(async () => { await sb?.stop(); await slow?.stop() })

test('watch yields each new result exactly once and stops on abort', async () => {
  const ac = new AbortController()
  const watch = client.watch(profile, null, { signal: ac.signal, pollIntervalMs: 50 })
  const texts = ['eerste bericht', 'second message', 'derde bericht']
  setTimeout(async () => { for (const text of texts) await sb.inbound({ source: 'twitter', text }) }, 300)
  const seen = []
  const started = Date.now()
  for await (const r of watch) {
    seen.push(r)
    if (seen.length === texts.length) ac.abort()
  }
  assert.ok(Date.now() - started < 15000)
  assert.deepEqual(seen.map((r) => r.description), texts)
  assert.equal(watch.lastId, seen.at(-1).uniqueId)
  assert.equal(new Set(seen.map((r) => r.uniqueId)).size, seen.length)
})

test('watch: feed messages while polling; resume with sinceId', async () => {
  const ac = new AbortController()
  const watch = client.watch(profile, { sources: ['twitter'] }, { signal: ac.signal, pollIntervalMs: 50 })
  const it = watch[Symbol.asyncIterator]()
  const first = it.next()
  await new Promise((resolve) => setTimeout(resolve, 300))
  for (const text of ['a1', 'a2', 'a3']) await sb.inbound({ source: 'twitter', text })
  const got = [(await first).value]
  got.push((await it.next()).value, (await it.next()).value)
  assert.deepEqual(got.map((r) => r.description), ['a1', 'a2', 'a3'])
  const stop = Date.now()
  const pending = it.next()
  ac.abort()
  assert.equal((await pending).done, true)
  assert.ok(Date.now() - stop < 1000, 'abort ends the iteration promptly')
  // Resume after the first: the next two again, exactly once.
  await sb.inbound({ source: 'twitter', text: 'a4' })
  const ac2 = new AbortController()
  const again = []
  for await (const r of client.watch(profile, { sources: ['twitter'] }, { signal: ac2.signal, sinceId: got[0].uniqueId, pollIntervalMs: 50 })) {
    again.push(r.description)
    if (again.length === 3) ac2.abort()
  }
  assert.deepEqual(again, ['a2', 'a3', 'a4'])
})

test('Watcher emits result events, awaits listeners, stops', async () => {
  const w = client.watcher(profile, { sources: ['facebook'] }, { pollIntervalMs: 50 })
  assert.ok(w instanceof Watcher)
  const seen = []
  w.on('result', async (r) => {
    await new Promise((resolve) => setTimeout(resolve, 20))
    seen.push(r.description)
    if (seen.length === 2) w.stop()
  })
  w.on('error', (e) => assert.fail(e))
  await new Promise((resolve) => setTimeout(resolve, 300))
  await sb.inbound({ source: 'facebook', text: 'fb1' })
  await sb.inbound({ source: 'facebook', text: 'fb2' })
  await w.done
  assert.deepEqual(seen, ['fb1', 'fb2'])
  assert.equal(typeof w.lastId, 'number')
})

test('AbortSignal cancels an in-flight call promptly', async () => {
  const c = new Client(slow.options)
  const ac = new AbortController()
  const started = Date.now()
  const p = c.configuration({ signal: ac.signal })
  setTimeout(() => ac.abort(), 100)
  await assert.rejects(p, (e) => e instanceof AbortError && e.name === 'AbortError')
  assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`)
  // An already aborted signal rejects at once.
  await assert.rejects(c.configuration({ signal: AbortSignal.abort() }), AbortError)
  // Many aborted calls do not break the client.
  const acs = Array.from({ length: 20 }, () => new AbortController())
  const ps = acs.map((a) => c.search(profile, { limit: 1 }, { signal: a.signal }))
  acs.forEach((a) => a.abort())
  for (const x of ps) await assert.rejects(x, AbortError)
  assert.equal((await client.search(profile, { limit: 1 })).results.length, 1)
})

test('per-call timeoutMs gives a TimeoutError', async () => {
  const c = new Client(slow.options)
  const started = Date.now()
  await assert.rejects(c.configuration({ timeoutMs: 200 }), (e) => e instanceof TimeoutError && e.code === 'Timeout')
  assert.ok(Date.now() - started < 1200)
  await assert.rejects(c.configuration({ signal: AbortSignal.timeout(150) }), AbortError)
})

test('abort while watching cancels the in-flight poll', async () => {
  const c = new Client(slow.options)
  const ac = new AbortController()
  const started = Date.now()
  setTimeout(() => ac.abort(), 200)
  for await (const r of c.watch(profile, null, { signal: ac.signal })) assert.fail(`unexpected ${r.uniqueId}`)
  assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`)
})
