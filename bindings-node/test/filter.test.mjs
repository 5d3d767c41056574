// Filter: the shared vectors (tests/vectors/filters.json), the builder, and argument checks.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { Filter, ValidationError } from 'webcare'

const vectors = JSON.parse(readFileSync(new URL('../../tests/vectors/filters.json', import.meta.url), 'utf-8'))
const camel = (k) => k.replace(/_([a-z])/g, (_, c) => c.toUpperCase())
const toInit = (f) => Object.fromEntries(Object.entries(f).map(([k, v]) => [camel(k), v]))
// Canonical comparison: what the filter renders to.
const canon = (f) => new Filter(f).toString()

for (const c of vectors.valid) {
  test(`vector: ${c.name}`, () => {
    const f = new Filter(toInit(c.filter))
    assert.equal(f.toPath(c.profile), c.path)
    for (const p of [c.path, ...(c.alternates || [])]) {
      const parsed = Filter.parseSearchPath(p)
      assert.equal(parsed.profile, c.profile, p)
      assert.equal(parsed.filter.toString(), f.toString(), p)
      assert.ok(parsed.filter.equals(f))
    }
    // Plain objects are accepted everywhere a filter is, and round-trip through toJSON.
    assert.equal(canon(f.toJSON()), f.toString())
  })
}

for (const c of vectors.invalid) {
  test(`invalid vector: ${c.name}`, () => {
    assert.throws(() => Filter.parseSearchPath(c.path), (e) => {
      assert.ok(e instanceof ValidationError, `${e.name}: ${e.message}`)
      assert.equal(e.code, c.error_kind)
      assert.ok(e.message.includes(c.error_contains), e.message)
      return true
    })
  })
}

test('builder is immutable and mirrors the core', () => {
  const base = new Filter()
  const f = base.sources('twitter', 'facebook').sentiment('negative').limit(25).order('least_recent').checked(false)
  assert.equal(base.toString(), '')
  assert.equal(f.toString(), 'source:twitter,facebook/negative/least+recent/limit:25/notChecked')
  assert.equal(String(f), f.toString())
  assert.deepEqual(Filter.parse(f.toString()).toJSON(), f.toJSON())
  assert.equal(new Filter({ sources: ['twitter'], sentiment: 'negative', limit: 25 }).toString(), 'source:twitter/negative/limit:25')
  assert.equal(new Filter('source:twitter/negative').toString(), 'source:twitter/negative')
  assert.equal(new Filter().word('a/b c').toString(), 'word:a%2Fb+c')
  const d = new Filter().period({ start: new Date('2016-06-15T23:31:27.123Z'), end: '2016-06-22T23:59:59Z' })
  assert.equal(d.toString(), '2016-06-15T23:31:27,2016-06-22T23:59:59')
})

test('bad values are ValidationErrors, bad types are TypeErrors', () => {
  assert.throws(() => new Filter({ sources: ['myspace'] }), ValidationError)
  assert.throws(() => new Filter({ sentiment: 'furious' }), ValidationError)
  assert.throws(() => Filter.parse('bogus:1'), /bogus:1/)
  assert.throws(() => new Filter({ limit: 'ten' }), TypeError)
  assert.throws(() => new Filter({ sources: 3 }), TypeError)
  assert.throws(() => new Filter({ colour: 'red' }), /unknown filter key 'colour'/)
  assert.throws(() => new Filter(42), TypeError)
  assert.throws(() => Filter.parse(1), TypeError)
})
