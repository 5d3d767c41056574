package com.kpn.webcare

import kotlin.system.measureTimeMillis
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull
import org.json.JSONObject
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/** Every operation against the in-process fake API (see [FakeApi]). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientTest {
    private lateinit var api: FakeApi
    private lateinit var client: Client

    @BeforeAll
    fun start() {
        api = FakeApi()
        client = Client(api.baseUrl, api.clientId, api.clientSecret, Options(pageSize = 10, pollInterval = 50.milliseconds))
    }

    @AfterAll
    fun stop() {
        client.close()
        api.close()
    }

    @Test
    fun configuration(): Unit = runBlocking {
        val cfg = client.configuration()
        assertEquals("KPN", cfg.account.company)
        assertEquals("kpn", cfg.account.searches.single().name)
        assertEquals(7L, cfg.globals.sources["twitter"])
        assertEquals(11L, cfg.account.users.single().id)
    }

    @Test
    fun ssoTokenIsRedactedInToString(): Unit = runBlocking {
        val t = client.ssoToken("agent@kpn.example")
        assertEquals("sso-secret-token-123", t.token())
        assertEquals("2030-01-01T00:00:00Z", t.expires())
        assertFalse(t.toString().contains("sso-secret-token-123"), t.toString())
        assertTrue(t.toString().contains("REDACTED"), t.toString())
        val e = assertFailsWith<WebcareException.NotFound> { client.ssoToken("nobody@kpn.example") }
        assertEquals(404, e.status)
    }

    @Test
    fun searchOnePage(): Unit = runBlocking {
        val page = client.search("kpn", Filter(limit = 5))
        assertEquals(5, page.results.size)
        assertTrue(page.total!! >= 25)
        val ids = page.results.map { it.uniqueId }
        assertEquals(ids.sortedDescending(), ids)
        val r = client.search("kpn", Filter(limit = 50)).results.first { !it.own }
        assertTrue(JSONObject(r.extraJson).getJSONObject("someFutureField").getBoolean("nested"), r.extraJson)
        assertEquals(r, r.copy())
    }

    @Test
    fun resultsFlowAcrossPages(): Unit = runBlocking {
        val all = client.results("kpn").toList()
        assertEquals(api.results.size, all.size)
        assertEquals(all.size, all.map { it.uniqueId }.toSet().size)
        assertEquals(7, client.results("kpn", maxResults = 7).toList().size)
        // Filters go through the path: only negative ones.
        val neg = client.results("kpn", filter { sentiment(SentimentClass.NEGATIVE) }).toList()
        assertTrue(neg.all { it.sentimentClass == SentimentClass.NEGATIVE })
        // Keyset paging, oldest first.
        val since = all.minOf { it.uniqueId }
        val asc = client.resultsSince("kpn", since).toList().map { it.uniqueId }
        assertEquals(asc.sorted(), asc)
        assertFalse(since in asc)
    }

    @Test
    fun pagerObject(): Unit = runBlocking {
        client.pager("kpn", Filter(limit = 10), maxResults = 15).use { p ->
            assertEquals(10, p.nextPage()!!.size)
            assertEquals(5, p.nextPage()!!.size)
            assertNull(p.nextPage())
        }
    }

    @Test
    fun getWithAndWithoutContext(): Unit = runBlocking {
        val id = api.results.first().getLong("uniqueId")
        val one = client.getNoContext(id)
        assertEquals(id, one.uniqueId)
        assertEquals(7L, one.defaultConnection)
        val ctx = client.get(id)
        assertEquals(id, ctx.result.uniqueId)
        assertTrue(ctx.context.isNotEmpty())
        assertTrue(ctx.context.all { it.caseId == one.caseId })
    }

    @Test
    fun replyEventsAndCases(): Unit = runBlocking {
        val id = api.results.first().getLong("uniqueId")
        assertEquals("results/$id/event/starttyping", client.event(id, Event.START_TYPING).url)
        client.event(id, Event.STOP_TYPING)
        val sent = client.reply(id, "Sorry to hear that, we are on it")
        assertTrue(sent.result!!.own)
        assertEquals("Sorry to hear that, we are on it", sent.result!!.description)
        assertTrue(api.events.containsAll(listOf("$id:starttyping", "$id:stoptyping")))
        client.handOver(1, "case-1", 11)
        client.releaseHandler(1, "case-1")
        client.closeCase(1, "case-1")
        assertTrue(api.caseOps.containsAll(listOf("case-1:close/handOverToHandler/11", "case-1:releaseHandler", "case-1:close")), "${api.caseOps}")
        assertFailsWith<WebcareException.Validation> { client.reply(id, "   ") }
    }

    @Test
    fun errorClasses(): Unit = runBlocking {
        val nf = assertFailsWith<WebcareException.NotFound> { client.get(999_999) }
        assertEquals(404, nf.status)
        assertTrue(nf.message.contains("999999"), nf.message)
        assertNotNull(nf.requestId)
        assertTrue(nf.requestId!!.startsWith("tx-404"))
        assertFailsWith<WebcareException.NotFound> { client.search("no such profile") }
        assertFailsWith<WebcareException.Validation> { client.search("kpn", Filter(word = " ")) }
        assertFailsWith<WebcareException.Validation> { client.get(-1) }
        Client(api.baseUrl, api.clientId, "wrong-secret-value", Options(maxRetries = 0)).use { bad ->
            val e = assertFailsWith<WebcareException.Auth> { bad.configuration() }
            assertEquals(401, e.status)
            assertFalse(e.toString().contains("wrong-secret-value"))
            assertFalse(e.message.contains("wrong-secret-value"))
        }
        assertFailsWith<WebcareException.Config> { Client("not a url", "a", "b") }
        Client("http://127.0.0.1:9", "a", "b", Options(maxRetries = 0)).use { down ->
            val e = assertFailsWith<WebcareException> { down.configuration() }
            assertTrue(e is WebcareException.Network || e is WebcareException.Timeout, "$e")
            assertTrue(e.isRetryable)
        }
    }

    @Test
    fun secretNeverInToString() {
        assertFalse(client.toString().contains(api.clientSecret))
    }

    @Test
    fun watchFlowEmitsNewResultsAndFreesTheWatcher(): Unit = runBlocking {
        val before = uniffi.webcare_kotlin.liveWatchers()
        val got = async(Dispatchers.Default) { client.watch("kpn").take(3).toList() }
        delay(300)
        val ids = (1..3).map { api.addInbound("new message $it") }
        val seen = withTimeout(10.seconds) { got.await() }
        assertEquals(ids, seen.map { it.uniqueId })
        // take(3) cancelled the flow: the native watcher was closed in `use`.
        assertEquals(before, uniffi.webcare_kotlin.liveWatchers())

        // Resuming from a saved id yields what came after, exactly once.
        val more = (1..2).map { api.addInbound("later $it") }
        val resumed = withTimeout(10.seconds) { client.watch("kpn", sinceId = ids.last()).take(2).toList() }
        assertEquals(more, resumed.map { it.uniqueId })

        // Cancelling a collector that is waiting also frees the watcher.
        val job = launch(Dispatchers.Default) { client.watch("kpn").collect { } }
        delay(300)
        assertEquals(before + 1u, uniffi.webcare_kotlin.liveWatchers())
        job.cancelAndJoin()
        assertEquals(before, uniffi.webcare_kotlin.liveWatchers())
    }

    @Test
    fun watcherBatches(): Unit = runBlocking {
        client.watcher("kpn", sinceId = api.results.last().getLong("uniqueId")).use { w ->
            assertEquals(emptyList(), w.nextBatch())
            val id = api.addInbound("batch me")
            assertEquals(listOf(id), w.nextBatch().map { it.uniqueId }.filter { it == id })
            assertEquals(id, w.lastId())
        }
    }

    @Test
    fun cancellationDropsTheNativeRequest(): Unit = runBlocking {
        api.slowMillis = 1500
        val before = api.slowAborted.get()
        val started = api.slowStarted.get()
        val elapsed = measureTimeMillis {
            val r = withTimeoutOrNull(300.milliseconds) { client.search("slow") }
            assertNull(r)
        }
        assertTrue(elapsed < 1000, "cancellation took $elapsed ms")
        assertEquals(started + 1, api.slowStarted.get())
        // The server finds the connection gone when it answers: the request was dropped natively.
        withTimeout(10.seconds) { while (api.slowAborted.get() == before) delay(50) }
        // The client still works afterwards.
        assertEquals(1, client.search("kpn", Filter(limit = 1)).results.size)
    }

    @Test
    fun fiftyConcurrentCalls(): Unit = runBlocking {
        val fresh = Client(api.baseUrl, api.clientId, api.clientSecret)
        fresh.use { c ->
            val out = (1..50).map { i ->
                async(Dispatchers.Default) { c.search("kpn", Filter(limit = 1 + i % 5)).results.size }
            }.awaitAll()
            assertEquals((1..50).map { 1 + it % 5 }, out)
            assertEquals(1L, c.tokenFetchCount, "one token request for 50 concurrent calls")
        }
    }

    @Test
    fun fromEnvWithoutVariablesIsConfig() {
        if (System.getenv("WEBCARE_CLIENT_ID") == null) {
            assertFailsWith<WebcareException.Config> { Client.fromEnv() }
        }
    }
}
