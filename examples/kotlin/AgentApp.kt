// An agent-app flow in Kotlin: watch a search profile for new messages, show a typing
// indicator, reply, and hand the case over to a colleague.
//
// Run against a sandbox:
//   eval "$(webcare sandbox --port 0 --env &)"   # or export WEBCARE_BASE_URL / _CLIENT_ID / _CLIENT_SECRET
//   (compiled into the Kotlin test classpath; scripts/test-kotlin.sh runs it through ExampleTest)
package examples.kotlin

import com.kpn.webcare.Client
import com.kpn.webcare.Event
import com.kpn.webcare.Filter
import com.kpn.webcare.WebcareException
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.flow.filter
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout

/**
 * Handle the [count] newest inbound messages of the first search profile: typing on, reply,
 * typing off, hand the case over to another handler. Returns a log of what was done.
 */
suspend fun runAgent(client: Client, count: Int = 2, log: (String) -> Unit = ::println): List<Long> {
    val cfg = client.configuration()
    val profile = cfg.account.searches.firstOrNull()?.name ?: error("the account has no search profile")
    val handler = cfg.account.users.lastOrNull()?.id
    log("agent: watching '$profile' as ${cfg.account.company}")

    // Start just before the newest inbound messages so the watch has something to show at once;
    // a real app would start from the last id it saved.
    val newest = client.search(profile, Filter(limit = 50)).results.filter { !it.own }
    val since = newest.getOrNull(count)?.uniqueId ?: 0L

    val handled = mutableListOf<Long>()
    withTimeout(60.seconds) {
        client.watch(profile, Filter(), sinceId = since, pollInterval = 200.milliseconds)
            .filter { !it.own } // our own replies show up in the watch too
            .take(count)
            .collect { msg ->
                log("agent: #${msg.uniqueId} [${msg.sentimentClass}] ${msg.description}")
                client.event(msg.uniqueId, Event.START_TYPING)
                val sent = try {
                    client.reply(msg.uniqueId, "Thanks for your message, we are looking into it.")
                } finally {
                    client.event(msg.uniqueId, Event.STOP_TYPING)
                }
                log("agent: replied (${sent.result?.uniqueId ?: sent.ack.url})")
                val caseId = msg.caseId
                val searchId = msg.searchId
                if (caseId != null && searchId != null && handler != null) {
                    try {
                        client.handOver(searchId, caseId, handler)
                        log("agent: case $caseId handed over to user $handler")
                    } catch (e: WebcareException) {
                        log("agent: hand-over failed: ${e.kind}: ${e.message}")
                    }
                }
                handled += msg.uniqueId
            }
    }
    return handled
}

fun main() = runBlocking {
    Client.fromEnv().use { client ->
        val handled = runAgent(client)
        println("agent: handled ${handled.size} message(s)")
    }
}
