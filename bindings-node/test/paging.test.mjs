import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Client, AbortError } from 'webcare'
import { startSandbox } from './sandbox.mjs'

let sb, client, profile

before(async () => {
  sb = await startSandbox()
  client = new Client(sb.options)
  profile = (await client.configuration()).account.searches[0].name
})
after(async () => { await sb?.stop() })

test('results iterate across pages in order, capped by limit', async () => {
  const expected = (await client.search(profile, { limit: 57 })).results.map((r) => r.uniqueId)
  const got = []
  for await (const r of client.results(profile, {}, { limit: 57, pageSize: 10 })) got.push(r.uniqueId)
  assert.deepEqual(got, expected)
  const pages = []
  for await (const page of client.results(profile, null, { limit: 25, pageSize: 10 }).pages()) pages.push(page.length)
  assert.deepEqual(pages, [10, 10, 5])
  assert.equal((await client.results(profile, { sources: ['twitter'] }, { limit: 30, pageSize: 7 }).toArray()).length, 30)
})

test('results stop at the end of the data', async () => {
  const all = await client.results(profile, { sources: ['whatsapp'] }, { pageSize: 100 }).toArray()
  assert.equal(new Set(all.map((r) => r.uniqueId)).size, all.length)
  assert.ok(all.every((r) => r.sourceName === 'whatsapp'))
})

test('keyset paging with sinceId, oldest first', async () => {
  const first = (await client.search(profile, { limit: 1, order: 'least_recent' })).results[0]
  const got = await client.results(profile, {}, { sinceId: first.uniqueId, limit: 15, pageSize: 4 }).toArray()
  assert.equal(got.length, 15)
  for (let i = 1; i < got.length; i++) assert.ok(got[i].uniqueId > got[i - 1].uniqueId)
  assert.ok(got[0].uniqueId > first.uniqueId)
})

test('breaking out early and aborting a paged read', async () => {
  let n = 0
  for await (const r of client.results(profile, {}, { pageSize: 5 })) { assert.ok(r); if (++n === 3) break }
  assert.equal(n, 3)
  const ac = new AbortController()
  ac.abort()
  await assert.rejects(async () => { for await (const r of client.results(profile, {}, { signal: ac.signal })) assert.ok(r) }, AbortError)
})

test('a large stream page (parsed in several parts) gives the objects search gives', async () => {
  const page = await client.search(profile, { limit: 300 })
  assert.equal(page.results.length, 300)
  const streamed = await client.results(profile, {}, { limit: 300, pageSize: 300 }).toArray()
  assert.deepEqual(streamed, page.results)
  streamed.forEach((r, i) => assert.deepEqual(Object.keys(r), Object.keys(page.results[i])))
  const pages = []
  for await (const p of client.results(profile, {}, { limit: 300, pageSize: 300 }).pages()) pages.push(p)
  assert.deepEqual(pages, [page.results])
  // By sinceId (keyset pages: decoded, then written as rows): the same objects a single read gives.
  const since = Math.min(...page.results.map((r) => r.uniqueId)) - 1
  const keyset = await client.results(profile, {}, { sinceId: since, limit: 300, pageSize: 300 }).toArray()
  assert.equal(keyset.length, 300)
  for (const r of keyset.slice(0, 10).concat(keyset.slice(-3))) {
    const single = await client.result(r.uniqueId, { context: false })
    assert.deepEqual(r, single)
    assert.deepEqual(Object.keys(r), Object.keys(single))
  }
})

test('an abort in the middle of a page stops the iterator at the next part', async () => {
  const ac = new AbortController()
  let n = 0
  await assert.rejects(async () => {
    for await (const r of client.results(profile, {}, { pageSize: 300, limit: 300, signal: ac.signal })) {
      assert.ok(r)
      if (++n === 1) ac.abort()
    }
  }, AbortError)
  assert.ok(n < 100, `${n} results after the abort`)
})
