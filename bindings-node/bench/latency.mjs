// Sequential call latency: the webcare client vs plain fetch against the same sandbox.
//   node bench/latency.mjs [iterations]
import { Client } from 'webcare'
import { startSandbox } from '../test/sandbox.mjs'

const n = Number(process.argv[2] ?? 300)
const sb = await startSandbox()
try {
  const client = new Client(sb.options)
  const profile = 'kpn'
  const path = `/results/${profile}/limit:1`
  const tok = await fetch(`${sb.baseUrl}/oauth/client_credential/accesstoken?grant_type=client_credentials`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: sb.clientId, client_secret: sb.clientSecret })
  }).then((r) => r.json())
  const headers = { authorization: `Bearer ${tok.access_token}`, accept: 'application/json' }

  async function measure (label, fn) {
    for (let i = 0; i < 20; i++) await fn() // warm up (token, connections, JIT)
    const times = []
    for (let i = 0; i < n; i++) {
      const t = process.hrtime.bigint()
      await fn()
      times.push(Number(process.hrtime.bigint() - t) / 1e6)
    }
    times.sort((a, b) => a - b)
    const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(3)
    console.log(`${label.padEnd(28)} median ${q(0.5)} ms  p90 ${q(0.9)} ms  p99 ${q(0.99)} ms  (n=${n})`)
  }
  await measure('webcare client.search', () => client.search(profile, { limit: 1 }))
  await measure('fetch + JSON.parse', async () => {
    const r = await fetch(`${sb.baseUrl}${path}`, { headers })
    if (!r.ok) throw new Error(String(r.status))
    await r.json()
  })
  await measure('webcare client.search (again)', () => client.search(profile, { limit: 1 }))
} finally {
  await sb.stop()
}
