// Starts `webcare sandbox --port 0 --json` (the CLI binary) for a test suite.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const bin = process.env.WEBCARE_BIN || join(process.env.CARGO_TARGET_DIR || join(root, 'target'), 'debug', 'webcare')

export async function startSandbox (extraArgs = []) {
  const child = spawn(bin, ['sandbox', '--port', '0', '--json', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d) => { stderr += d })
  const lines = createInterface({ input: child.stdout })
  const info = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start in 30 s: ${stderr}`)), 30000)
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`sandbox exited with ${code}: ${stderr}`)) })
    lines.once('line', (line) => {
      clearTimeout(timer)
      try { resolve(JSON.parse(line)) } catch (e) { reject(new Error(`unexpected sandbox output: ${line}`)) }
    })
  })
  child.removeAllListeners('exit')
  const sandbox = {
    baseUrl: info.base_url,
    clientId: info.client_id,
    clientSecret: info.client_secret,
    options: { baseUrl: info.base_url, clientId: info.client_id, clientSecret: info.client_secret },
    /** POST /_sandbox/inbound: a new inbound message; returns the parsed response. */
    async inbound (body) {
      const r = await fetch(`${info.base_url}/_sandbox/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      if (!r.ok) throw new Error(`inbound failed: ${r.status} ${await r.text()}`)
      return r.json()
    },
    async stop () {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  }
  return sandbox
}
