// Both entry points: require('webcare') (CommonJS) and import (ES module) give the same API.
const { test } = require('node:test')
const assert = require('node:assert/strict')

test('require and import expose the same classes', async () => {
  const cjs = require('webcare')
  const esm = await import('webcare')
  for (const name of ['Client', 'Filter', 'Watcher', 'WebcareError', 'NotFoundError', 'RateLimitError', 'AbortError', 'sentiment', 'sentimentMany', 'setLogger']) {
    assert.equal(typeof cjs[name], 'function', name)
    assert.equal(esm[name], cjs[name], name)
  }
  assert.equal(esm.default, cjs)
  const e = new cjs.RateLimitError('slow down', { code: 'RateLimited', status: 429, retryAfter: 2 })
  assert.ok(e instanceof cjs.WebcareError && e instanceof Error)
  assert.equal(e.name, 'RateLimitError')
  assert.equal(e.retryAfter, 2)
  assert.equal(e.retryable, true)
})

test('every class and function index.d.ts declares is exported by both entry points', async () => {
  const dts = require('node:fs').readFileSync(require('node:path').join(require('node:path').dirname(require.resolve('webcare')), 'index.d.ts'), 'utf8')
  const names = [...dts.matchAll(/^export declare (?:class|function) (\w+)/gm)].map((m) => m[1])
  assert.ok(names.includes('Client') && names.includes('NativeRows'), names.join(' '))
  const cjs = require('webcare')
  const esm = await import('webcare')
  for (const name of names) {
    assert.equal(typeof cjs[name], 'function', name)
    assert.equal(esm[name], cjs[name], name)
  }
})

test('the WebcareResult type declares exactly the fields results are built with', () => {
  // The type comes from the Rust struct, the objects from the row layout: they must not drift.
  const dts = require('node:fs').readFileSync(require('node:path').join(require('node:path').dirname(require.resolve('webcare')), 'index.d.ts'), 'utf8')
  const body = dts.match(/^export interface WebcareResult \{\n([\s\S]*?)^\}/m)[1]
  const declared = [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1])
  const { fields } = require('webcare').resultRowLayout()
  assert.deepEqual([...declared].sort(), [...fields].sort())
})
