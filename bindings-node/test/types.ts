// Compiled with `tsc --noEmit` (scripts/test-node.sh): the package's declarations in use.
import { Client, Filter, WebcareError, RateLimitError, AbortError, sentiment, setLogger, type WebcareResult, type Ack } from 'webcare'

async function main (): Promise<void> {
  const client = new Client({ baseUrl: 'http://127.0.0.1:1', clientId: 'id', clientSecret: 'secret', timeoutMs: 5000 })
  const ac = new AbortController()
  const cfg = await client.configuration({ signal: ac.signal, timeoutMs: 1000 })
  const searchId: number = cfg.account.searches[0].id
  const f = new Filter().sources('twitter').sentiment('negative').limit(25)
  const path: string = f.toString()
  const page = await client.search('kpn', { sources: ['twitter'], sentiment: 'negative', limit: 25 })
  const first: WebcareResult | undefined = page.results[0]
  for await (const r of client.results('kpn', f, { limit: 100, pageSize: 50 })) {
    const id: number = r.uniqueId
    const when: Date | null = r.timestamp == null ? null : new Date(r.timestamp)
    void id; void when
  }
  for await (const p of client.results('kpn', 'source:twitter').pages()) { const n: number = p.length; void n }
  const watch = client.watch('kpn', null, { signal: ac.signal, sinceId: 5 })
  for await (const r of watch) { await client.event(r.uniqueId, 'starttyping') }
  const last: number | null = watch.lastId
  const w = client.watcher('kpn', undefined, { pollIntervalMs: 100 })
  w.on('result', async (r) => { await client.reply(r.uniqueId, { message: 'hi', public: false }) })
  w.on('error', (e) => { if (e instanceof RateLimitError) console.log(e.retryAfter) })
  w.stop()
  await w.done
  const full = await client.result(1)
  const ctx: WebcareResult[] = full.context
  const bare: WebcareResult = await client.result(1, { context: false })
  const ack: Ack = await client.handOver(searchId, 'case-1', 7)
  const sso = await client.ssoToken('a@b.example')
  const token: string | null = sso.token
  try { await client.closeCase(1, 'x') } catch (e) {
    if (e instanceof WebcareError) { const s: number | null = e.status; const c: string = e.code; void s; void c }
    if (e instanceof AbortError) console.log('aborted')
  }
  const score = sentiment('great', 'en')
  setLogger((level, target, message) => console.log(level, target, message), 'debug')
  void path; void first; void last; void ctx; void bare; void ack; void token; void score
}
void main
