// Node benchmarks of `make bench` (run by scripts/bench/run.sh against one sandbox).
//   node bench.mjs seq OUT.json      sequential small calls (limit:1): webcare, undici.request, fetch
//   node bench.mjs conc OUT.json     batches of 20 concurrent searches (limit:25)
//   node bench.mjs conc-small OUT.json   batches of 20 concurrent small calls (limit:1)
//   node bench.mjs memory OUT.json N peak RSS while streaming N results through the iterator
// The sandbox comes from WEBCARE_BASE_URL / WEBCARE_CLIENT_ID / WEBCARE_CLIENT_SECRET /
// WEBCARE_PROFILE; the package (release addon) from WEBCARE_NODE_PKG.
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { request } from 'undici'

const require = createRequire(import.meta.url)
const { Client } = require(process.env.WEBCARE_NODE_PKG)
const base = process.env.WEBCARE_BASE_URL.replace(/\/$/, '')
const options = { baseUrl: base, clientId: process.env.WEBCARE_CLIENT_ID, clientSecret: process.env.WEBCARE_CLIENT_SECRET }
const profile = process.env.WEBCARE_PROFILE || 'kpn'
const [mode, out, arg] = process.argv.slice(2)

async function token () {
  const r = await fetch(`${base}/oauth/client_credential/accesstoken?grant_type=client_credentials`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: options.clientId, client_secret: options.clientSecret })
  })
  if (!r.ok) throw new Error(`token: ${r.status}`)
  return (await r.json()).access_token
}

/** The sandbox's CPU time in clock ticks (WEBCARE_SANDBOX_PID), or null. */
function sandboxTicks () {
  const pid = process.env.WEBCARE_SANDBOX_PID
  if (!pid) return null
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')')[1].trim().split(' ')
    return Number(f[11]) + Number(f[12])
  } catch {
    return null
  }
}

const itemsOf = (body) => { const r = body.data.results; return Array.isArray(r) ? r : Object.values(r) }
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] }
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))] }

async function measure (fn, n, warm) {
  for (let i = 0; i < warm; i++) await fn(i)
  const times = []
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint()
    await fn(i)
    times.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  return { median_ms: median(times), p90_ms: pct(times, 0.9), p99_ms: pct(times, 0.99), n }
}

function tools (headers, limit, offsetOf) {
  const client = new Client(options)
  const path = (i) => `${base}/results/${profile}/limit:${limit}/offset:${offsetOf(i)}`
  const check = (items) => { if (items.length !== limit) throw new Error(`expected ${limit} results, got ${items.length}`) }
  return {
    webcare: async (i) => check((await client.search(profile, `limit:${limit}/offset:${offsetOf(i)}`)).results),
    'undici.request': async (i) => {
      const r = await request(path(i), { headers })
      if (r.statusCode !== 200) throw new Error(String(r.statusCode))
      check(itemsOf(await r.body.json()))
    },
    fetch: async (i) => {
      const r = await fetch(path(i), { headers })
      if (!r.ok) throw new Error(String(r.status))
      check(itemsOf(await r.json()))
    }
  }
}

const result = { tools: {} }
if (mode === 'seq') {
  const n = Number(process.env.BENCH_CALLS || 1000)
  const headers = { authorization: `Bearer ${await token()}`, accept: 'application/json' }
  const t = tools(headers, 1, (i) => i % 1000)
  for (const round of [1, 2]) { // two interleaved rounds; the better median of each counts
    for (const [name, fn] of Object.entries(t)) {
      const m = await measure(fn, n, 50)
      console.log(`   ${name.padEnd(16)} round ${round} median ${m.median_ms.toFixed(3)} ms  p99 ${m.p99_ms.toFixed(3)} ms`)
      if (!result.tools[name] || m.median_ms < result.tools[name].median_ms) result.tools[name] = m
    }
  }
  result.calls = n
} else if (mode === 'conc' || mode === 'conc-small') {
  // conc: 25-result searches (a page a chat integration shows); conc-small: the limit:1 calls of
  // the sequential benchmark, 20 at a time.
  const limit = mode === 'conc' ? 25 : 1
  const batches = Number(process.env.BENCH_BATCHES || 100)
  const headers = { authorization: `Bearer ${await token()}`, accept: 'application/json' }
  const t = tools(headers, limit, (i) => (i % 20) * limit)
  // Interleaved rounds, as for the sequential calls: a burst of load on the shared machine
  // during one tool's turn should not decide its figure. The better median of each counts.
  const rounds = Number(process.env.BENCH_ROUNDS || 3)
  for (let round = 1; round <= rounds; round++) {
    for (const [name, fn] of Object.entries(t)) {
      // CPU per batch: this process (all its threads) and the sandbox (from /proc, in clock
      // ticks: approximate), to show where the time of a batch goes.
      const cpu0 = process.cpuUsage()
      const sb0 = sandboxTicks()
      const m = await measure(() => Promise.all(Array.from({ length: 20 }, (_, i) => fn(i))), batches, 5)
      const cpu = process.cpuUsage(cpu0)
      m.client_cpu_ms = (cpu.user + cpu.system) / 1000 / (batches + 5)
      const sb1 = sandboxTicks()
      if (sb0 !== null && sb1 !== null) m.sandbox_cpu_ms = (sb1 - sb0) * 10 / (batches + 5)
      console.log(`   ${name.padEnd(16)} round ${round} median ${m.median_ms.toFixed(2)} ms per batch of 20 (client CPU ${m.client_cpu_ms.toFixed(2)} ms)`)
      if (!result.tools[name] || m.median_ms < result.tools[name].median_ms) result.tools[name] = m
    }
  }
  result.limit = limit
  result.concurrency = 20
  result.batches = batches
  result.rounds = rounds
} else if (mode === 'memory') {
  const n = Number(arg || 1000000)
  const client = new Client(options)
  await client.search(profile, 'limit:1')
  globalThis.gc?.()
  const baseline = process.memoryUsage().rss
  let peak = baseline
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 10)
  const t = Date.now()
  let count = 0
  for await (const r of client.results(profile, null, { pageSize: 500, limit: n })) { if (r) count++ }
  clearInterval(timer)
  peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024)
  Object.assign(result, { kind: 'stream', results: count, baseline_bytes: baseline, peak_bytes: peak, growth_bytes: peak - baseline, seconds: (Date.now() - t) / 1000 })
  console.log(`   node stream ${count} results: baseline ${(baseline / 2 ** 20).toFixed(1)} MB, peak ${(peak / 2 ** 20).toFixed(1)} MB, growth ${((peak - baseline) / 2 ** 20).toFixed(1)} MB (${result.seconds.toFixed(1)} s)`)
} else {
  throw new Error(`unknown mode ${mode}`)
}
writeFileSync(out, JSON.stringify(result, null, 2))
process.exit(0)
