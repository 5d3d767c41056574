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
