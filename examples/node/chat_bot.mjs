// @ts-check
// A chat bot on the webcare package: watch a search profile for new messages, show a typing
// indicator, reply, and hand negative conversations over to a human agent.
//
//   node examples/node/chat_bot.mjs --sandbox --messages 3   # starts `webcare sandbox` and feeds it
//   WEBCARE_BASE_URL=... WEBCARE_CLIENT_ID=... WEBCARE_CLIENT_SECRET=... node examples/node/chat_bot.mjs
//
// In your own project, import from 'webcare' instead of the relative path.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { Client, sentiment, WebcareError } from '../../bindings-node/index.mjs'

const { values: args } = parseArgs({
  options: {
    sandbox: { type: 'boolean', default: false },
    messages: { type: 'string', default: '3' },
    profile: { type: 'string' }
  }
})
const wanted = Number(args.messages)

/** Start `webcare sandbox --port 0 --json` and read its credentials. */
async function startSandbox () {
  const bin = process.env.WEBCARE_BIN ?? 'webcare'
  const child = spawn(bin, ['sandbox', '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: /** @type {import('node:stream').Readable} */ (child.stdout) }).once('line', resolve)
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)))
  })
  const info = JSON.parse(line)
  return { child, baseUrl: info.base_url, clientId: info.client_id, clientSecret: info.client_secret }
}

const sandbox = args.sandbox ? await startSandbox() : null
const client = sandbox
  ? new Client({ baseUrl: sandbox.baseUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret })
  : Client.fromEnv()

try {
  const config = await client.configuration()
  const profile = args.profile ?? config.account.searches[0].name
  // A human to hand negative conversations to: any user but the API user.
  const agent = config.account.users.find((u) => !/api/i.test(u.name)) ?? config.account.users[0]
  console.log(`watching '${profile}' for ${wanted} message(s); escalating to ${agent.name}`)

  const watcher = client.watcher(profile, null, { pollIntervalMs: 250 })
  let handled = 0
  watcher.on('result', async (msg) => {
    if (msg.own) return // our own replies
    const score = sentiment(msg.description ?? '')
    console.log(`<- [${msg.sourceName}] ${msg.title ?? 'someone'}: ${msg.description} (${score.label})`)
    await client.event(msg.uniqueId, 'starttyping')
    const text = score.value < 0
      ? 'Wat vervelend! Een collega neemt contact met je op.'
      : 'Bedankt voor je bericht!'
    await client.reply(msg.uniqueId, { message: text })
    await client.event(msg.uniqueId, 'stoptyping')
    console.log(`-> ${text}`)
    if (score.value < 0 && msg.caseId && msg.searchId) {
      await client.handOver(msg.searchId, msg.caseId, agent.id)
      console.log(`   case ${msg.caseId} handed over to ${agent.name}`)
    }
    if (++handled >= wanted) watcher.stop()
  })
  watcher.on('error', (e) => {
    console.error(e instanceof WebcareError ? `${e.name} (${e.code}, HTTP ${e.status}): ${e.message}` : e)
  })

  if (sandbox) {
    // Customers writing in (the sandbox's inbound simulator).
    const texts = ['Mijn internet is alweer traag, echt verschrikkelijk slecht!', 'Thanks for the quick fix, great service!', 'Hoe zet ik mijn wifi wachtwoord om?']
    await new Promise((resolve) => setTimeout(resolve, 500))
    for (let i = 0; i < wanted; i++) {
      await fetch(`${sandbox.baseUrl}/_sandbox/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ source: i % 2 ? 'facebook' : 'twitter', text: texts[i % texts.length] })
      })
    }
  }
  const timeout = setTimeout(() => { console.error('timed out'); watcher.stop(); process.exitCode = 1 }, 60000)
  await watcher.done
  clearTimeout(timeout)
  console.log(`handled ${handled} message(s); resume with sinceId ${watcher.lastId}`)
} finally {
  sandbox?.child.kill()
}
