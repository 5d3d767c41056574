// Error classes from real responses: 429 with quota headers and 5xx (sandbox chaos), and network.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { Client, RateLimitError, ServerError, NetworkError, WebcareError } from 'webcare'
import { startSandbox } from './sandbox.mjs'

const sandboxes = []
after(async () => { for (const s of sandboxes) await s.stop() })

test('429 becomes RateLimitError with retryAfter', async () => {
  const sb = await startSandbox(['--chaos', '429=1'])
  sandboxes.push(sb)
  const c = new Client({ ...sb.options, maxRetries: 0 })
  await assert.rejects(c.search('kpn', { limit: 1 }), (e) => {
    assert.ok(e instanceof RateLimitError && e instanceof WebcareError, `${e.name}: ${e.message}`)
    assert.equal(e.code, 'RateLimited')
    assert.equal(e.status, 429)
    assert.equal(typeof e.retryAfter, 'number')
    assert.equal(e.retryable, true)
    return true
  })
})

test('5xx becomes ServerError with status and request id', async () => {
  const sb = await startSandbox(['--chaos', '500=1'])
  sandboxes.push(sb)
  const c = new Client({ ...sb.options, maxRetries: 0 })
  await assert.rejects(c.search('kpn', { limit: 1 }), (e) => {
    assert.ok(e instanceof ServerError, `${e.name}: ${e.message}`)
    assert.equal(e.code, 'Server')
    assert.equal(e.status, 500)
    assert.equal(typeof e.message, 'string')
    assert.ok(e.requestId === null || typeof e.requestId === 'string')
    return true
  })
})

test('connection refused becomes NetworkError', async () => {
  const c = new Client({ baseUrl: 'http://127.0.0.1:9', clientId: 'x', clientSecret: 'y-secret', maxRetries: 0 })
  await assert.rejects(c.configuration(), (e) => e instanceof NetworkError && e.status === null && !e.message.includes('y-secret'))
})
