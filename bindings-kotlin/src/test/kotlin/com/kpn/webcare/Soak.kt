package com.kpn.webcare

import java.io.File
import java.net.URI
import java.net.URLEncoder
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.charset.StandardCharsets
import kotlin.coroutines.cancellation.CancellationException
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.json.JSONObject

/**
 * Soak run of the Kotlin binding: a watcher and repliers against the CLI sandbox with chaos on
 * (the same checks as bindings-node/soak.mjs and bindings-python/soak.py).
 *
 * Starts `webcare sandbox --port 0 --json --results 500` ([bin]: WEBCARE_BIN or
 * $CARGO_TARGET_DIR/debug/webcare). An injector posts inbound messages through /_sandbox/inbound
 * (controls are never subject to chaos), revokes the client's tokens every second and expires them
 * by moving the sandbox clock an hour forward every five (the CLI has no --token-ttl). A watcher
 * ([Client.watch], resumed from the last id it yielded after an error) collects every new result;
 * repliers send an `opened` event and a reply with a unique text to every inbound result. At the
 * end, with chaos off, it checks that every injected id was yielded exactly once and in order;
 * every reply reported as sent is stored exactly once (searching `word:` the run id) and listed in
 * its parent's `replies`; a reply that failed with a response (Server, RateLimited) is not stored,
 * one that failed with Timeout/Network at most once; every failure is a [WebcareException] of an
 * expected kind (no Auth: token expiry is transparent); the client fetched tokens again (seen in
 * the log). Operations are events + replies + watch polls (GET searches in the sandbox request
 * log). [run] prints a report and returns the violations (empty: PASS).
 *
 * The single-threaded `runBlocking` loop runs every coroutine (native calls suspend, they do not
 * block it), so the bookkeeping needs no locks; control requests run on Dispatchers.IO.
 */
class Soak(
    private val ops: Int,
    private val repliers: Int = 6,
    private val chaos: String = DEFAULT_CHAOS,
    private val bin: String = defaultBin(),
) {
    companion object {
        const val DEFAULT_CHAOS = "429=0.03,500=0.02,502=0.03,503=0.02,spike=0.02:200ms,drop=0.01"
        private val EXPECTED = setOf("Server", "Network", "Timeout", "RateLimited")

        fun defaultBin(): String = System.getenv("WEBCARE_BIN")
            ?: File(System.getenv("CARGO_TARGET_DIR") ?: "../target", "debug/webcare").path

        @JvmStatic
        fun main(args: Array<String>) {
            val ops = args.indexOf("--ops").let { if (it >= 0) args[it + 1].toInt() else 5000 }
            kotlin.system.exitProcess(if (Soak(ops).run().isEmpty()) 0 else 1)
        }
    }

    private val http = HttpClient.newHttpClient()
    private lateinit var base: String

    private suspend fun ctl(method: String, path: String, body: JSONObject? = null): JSONObject =
        withContext(Dispatchers.IO) {
            val b = HttpRequest.newBuilder(URI.create("$base/_sandbox/$path")).header("content-type", "application/json")
            val req = if (method == "POST") b.POST(HttpRequest.BodyPublishers.ofString((body ?: JSONObject()).toString())).build()
            else b.GET().build()
            val r = http.send(req, HttpResponse.BodyHandlers.ofString())
            if (r.statusCode() !in 200..299) throw IllegalStateException("/_sandbox/$path: ${r.statusCode()} ${r.body()}")
            JSONObject(r.body())
        }

    private inner class LogStats(profile: String) {
        private val profilePath = "/results/" + URLEncoder.encode(profile, StandardCharsets.UTF_8).replace("+", "%20") + "/"
        var cursor = 0L
        var api = 0
        var token = 0
        var watchRequests = 0
        var faults = sortedMapOf<String, Int>()
        var statuses = sortedMapOf<String, Int>()

        fun reset() { api = 0; token = 0; watchRequests = 0; faults = sortedMapOf(); statuses = sortedMapOf() }

        suspend fun collect() {
            val v = ctl("GET", "requests?since=$cursor")
            val list = v.optJSONArray("requests")
            if (list != null) for (i in 0 until list.length()) {
                val r = list.getJSONObject(i)
                if (r.optLong("seq") <= cursor) continue
                val path = r.optString("path", "")
                if (path.contains("accesstoken")) token++ else api++
                if (r.optString("method") == "GET" && path.startsWith(profilePath)) watchRequests++
                statuses.merge(r.opt("status").toString(), 1, Int::plus)
                val c = r.optString("chaos", "")
                if (c.isNotEmpty() && !r.isNull("chaos")) faults.merge(if (c.startsWith("latency")) "spike" else c, 1, Int::plus)
            }
            cursor = maxOf(cursor, v.optLong("last", 0))
        }
    }

    /** Runs the soak; prints the report; returns the violations (empty when it passed). */
    fun run(): List<String> {
        val started = System.currentTimeMillis()
        val child = ProcessBuilder(bin, "sandbox", "--port", "0", "--json", "--results", "500")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start()
        try {
            val out = child.inputStream.bufferedReader()
            val line = out.readLine() ?: throw IllegalStateException("the sandbox exited with ${child.waitFor()}")
            // Keep draining stdout so the sandbox never blocks on a full pipe.
            Thread { runCatching { out.forEachLine { } } }.apply { isDaemon = true }.start()
            val info = JSONObject(line)
            base = info.getString("base_url")
            return runBlocking { soak(info, started) }
        } finally {
            child.destroy()
            child.waitFor()
        }
    }

    private fun json(m: Map<String, Int>) = m.entries.joinToString(",", "{", "}") { "\"${it.key}\":${it.value}" }

    private suspend fun soak(info: JSONObject, started: Long): List<String> = coroutineScope {
        ctl("POST", "chaos", JSONObject().put("spec", "none"))
        ctl("POST", "quota", JSONObject().put("spec", "1000000000/minute"))
        val clientId = info.getString("client_id")
        val client = Client(
            base, clientId, info.getString("client_secret"),
            Options(maxRetries = 8, requestTimeout = 10.seconds, totalTimeout = 60.seconds, pollInterval = 50.milliseconds),
        )
        client.use { soakWith(client, clientId, started) }
    }

    private suspend fun soakWith(client: Client, clientId: String, started: Long): List<String> = coroutineScope {
        val cfg = client.configuration()
        val profile = cfg.account.searches.first().name
        val twitter = (cfg.account.connections.firstOrNull { it.source == 3L } ?: cfg.account.connections.first()).id
        val newest = client.search(profile, Filter(limit = 1)).results.firstOrNull()?.uniqueId ?: 0L
        val runId = "soakkt" + (System.currentTimeMillis() and 0xffffffffL).toString(16)
        val log = LogStats(profile)
        log.collect()
        log.reset()
        ctl("POST", "chaos", JSONObject().put("spec", chaos))

        val failures = sortedMapOf<String, Int>()
        val untyped = mutableListOf<String>()
        val yielded = mutableListOf<Long>()
        val replies = LinkedHashMap<Long, Pair<String, Any?>>() // id -> ("sent", reply id) | ("failed", kind)
        val queue = Channel<Long>(Channel.UNLIMITED)
        var handled = 0
        var eventsOk = 0
        var watchErrors = 0
        val slowest = sortedMapOf<String, Double>()
        fun fail(what: String, e: Throwable): String? {
            if (e is CancellationException) throw e
            if (e is WebcareException) {
                failures.merge("$what ${e.kind}", 1, Int::plus)
                return e.kind
            }
            untyped += "$what: ${e.javaClass.name}: ${e.message}"
            return null
        }
        fun timed(what: String, t0: Long) {
            slowest[what] = maxOf(slowest[what] ?: 0.0, (System.currentTimeMillis() - t0) / 1000.0)
        }

        val watcher = launch {
            var since = newest
            while (true) {
                try {
                    client.watch(profile, sinceId = since, pollInterval = 50.milliseconds).collect { r ->
                        yielded += r.uniqueId
                        since = r.uniqueId
                        if (!r.own) queue.send(r.uniqueId)
                    }
                } catch (e: Throwable) {
                    ensureActive() // stopped: not a failure
                    fail("watch", e)
                    watchErrors++
                    delay(20)
                }
            }
        }

        val workers = List(repliers) {
            async {
                for (id in queue) {
                    var t0 = System.currentTimeMillis()
                    try {
                        client.event(id, Event.OPENED)
                        eventsOk++
                    } catch (e: Throwable) {
                        fail("event", e)
                    }
                    timed("event", t0)
                    t0 = System.currentTimeMillis()
                    try {
                        val sent = client.reply(id, "$runId reply to $id", connectionId = twitter)
                        replies[id] = "sent" to (sent.result?.uniqueId ?: 0L)
                    } catch (e: Throwable) {
                        replies[id] = "failed" to fail("reply", e)
                    }
                    timed("reply", t0)
                    handled++
                }
            }
        }

        val injected = mutableListOf<Long>()
        var revocations = 0
        var clockMoves = 0
        var lastRevoke = System.currentTimeMillis()
        var lastClock = lastRevoke
        var lastLog = lastRevoke
        fun operations() = 2 * handled + log.watchRequests
        var i = 0
        while (true) {
            val inFlight = injected.size - handled
            if (operations() + 2 * inFlight >= ops) break
            if (inFlight >= 30) { delay(5); continue }
            val now = System.currentTimeMillis()
            if (now - lastRevoke >= 1000 || i == 10) {
                lastRevoke = now; ctl("POST", "tokens/revoke", JSONObject().put("client_id", clientId)); revocations++
            }
            if (now - lastClock >= 5000) { lastClock = now; ctl("POST", "clock", JSONObject().put("advance_seconds", 3600)); clockMoves++ }
            if (now - lastLog >= 500) { lastLog = now; log.collect() }
            val v = ctl(
                "POST", "inbound",
                JSONObject().put("source", "twitter").put("text", "$runId inbound $i: mijn internet doet het niet")
                    .put("person", "Soak Person ${i % 50}").put("profile", profile).put("private", false),
            )
            injected += v.get("uniqueId").toString().toLong()
            i++
            if (i % 500 == 0) System.err.println("soak: $i injected, ${operations()} ops, ${(System.currentTimeMillis() - started) / 1000} s")
        }

        val violations = mutableListOf<String>()
        val deadline = System.currentTimeMillis() + 120_000
        while (true) {
            val maxSent = replies.values.filter { it.first == "sent" }.maxOfOrNull { it.second as Long } ?: 0L
            val last = yielded.lastOrNull() ?: 0L
            if (handled >= injected.size && last >= maxSent) break
            if (System.currentTimeMillis() > deadline) {
                violations += "drain timed out: $handled of ${injected.size} handled, watch at $last, newest reply $maxSent"
                break
            }
            delay(50)
        }
        delay(500)
        watcher.cancelAndJoin()
        queue.close()
        workers.awaitAll()
        ctl("POST", "chaos", JSONObject().put("spec", "none"))
        log.collect()

        // Verification, chaos off.
        for (k in 1 until yielded.size) {
            if (yielded[k] <= yielded[k - 1]) violations += "watch yielded ${yielded[k]} after ${yielded[k - 1]} (duplicate or out of order)"
        }
        val seen = yielded.groupingBy { it }.eachCount()
        for (id in injected) if (seen[id] != 1) violations += "inbound $id yielded ${seen[id] ?: 0} times by watch"
        val stored = HashMap<String, MutableList<Long>>()
        client.resultsSince(profile, newest, Filter(word = runId, limit = 500)).collect { r ->
            if (r.own) stored.getOrPut(r.description ?: "") { mutableListOf() } += r.uniqueId
        }
        var sent = 0; var failed = 0; var unknownStored = 0; var unknownAbsent = 0
        for (id in injected) {
            val found = stored["$runId reply to $id"] ?: emptyList<Long>()
            val outcome = replies[id]
            if (outcome == null) { violations += "inbound $id was never replied to"; continue }
            if (outcome.first == "sent") {
                sent++
                val rid = outcome.second as Long
                if (found.size != 1) violations += "reply to $id reported sent ($rid) but stored ${found.size} times"
                else if (rid != 0L && found[0] != rid) violations += "reply to $id reported as $rid but stored as ${found[0]}"
                if (seen[rid] != 1) violations += "sent reply $rid not yielded exactly once by watch"
            } else {
                failed++
                val kind = outcome.second as String?
                if (kind == "Timeout" || kind == "Network") {
                    when {
                        found.size > 1 -> violations += "reply to $id (failed, $kind) stored ${found.size} times"
                        found.size == 1 -> unknownStored++
                        else -> unknownAbsent++
                    }
                } else if (found.isNotEmpty()) violations += "reply to $id failed with $kind (a response) but was stored ${found.size} times"
            }
        }
        var checked = 0
        for ((id, outcome) in replies) {
            if (outcome.first != "sent" || checked >= 200) continue
            checked++
            val parent = client.getNoContext(id)
            if (outcome.second.toString() !in parent.replies) violations += "parent $id does not list reply ${outcome.second}"
        }
        for ((what, n) in failures) if (what.substringAfterLast(' ') !in EXPECTED) violations += "$n unexpected failures: $what"
        for (u in untyped.take(20)) violations += "not a WebcareException: $u"
        val total = operations()
        if (total < ops) violations += "only $total operations (wanted $ops)"
        if (log.token < 1) violations += "the token never expired or was revoked (${log.token} token requests)"

        val elapsed = (System.currentTimeMillis() - started) / 1000.0
        println("kotlin soak report (${"%.1f".format(elapsed)} s)")
        println("  operations:        $total (watch polls ${log.watchRequests}, events ok $eventsOk, replies ${sent + failed})")
        println("  inbound injected:  ${injected.size}, yielded by watch: ${yielded.size} (inbound + replies), watch restarts after errors $watchErrors")
        println("  replies:           $sent sent, $failed failed ($unknownStored unknown-outcome stored, $unknownAbsent not stored)")
        println("  API requests:      ${log.api} (status ${json(log.statuses)})")
        println("  faults injected:   ${log.faults.values.sum()} ${json(log.faults)}")
        println("  tokens:            ${log.token} token requests, $revocations revocations, $clockMoves clock moves of 1 h")
        println("  failures by kind:  ${json(failures)}")
        println("  slowest call (s):  ${slowest.entries.joinToString(",", "{", "}") { "\"${it.key}\":${"%.3f".format(it.value)}" }}")
        if (violations.isNotEmpty()) {
            println("  result:            FAIL (${violations.size})")
            for (v in violations.take(50)) println("    - $v")
        } else {
            println("  result:            PASS")
        }
        System.out.flush()
        violations
    }
}
