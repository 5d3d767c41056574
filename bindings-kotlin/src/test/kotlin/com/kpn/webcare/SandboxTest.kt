package com.kpn.webcare

import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import kotlin.time.Duration.Companion.milliseconds
import org.json.JSONObject
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test

/** Against the real sandbox (`webcare sandbox`), when scripts/test-kotlin.sh could start one. */
class SandboxTest {
    private val url: String? = System.getenv("WEBCARE_SANDBOX_URL")

    private fun client(secret: String? = null) =
        Client(url!!, System.getenv("WEBCARE_SANDBOX_ID"), secret ?: System.getenv("WEBCARE_SANDBOX_SECRET"))

    @Test
    fun operationsAndErrors(): Unit = runBlocking {
        assumeTrue(url != null, "no sandbox")
        client().use { c ->
            val cfg = c.configuration()
            val profile = cfg.account.searches.first().name
            val page = c.search(profile, Filter(limit = 5))
            assertTrue(page.results.isNotEmpty())
            val id = page.results.first().uniqueId
            assertEquals(id, c.getNoContext(id).uniqueId)
            assertEquals(id, c.get(id).result.uniqueId)
            c.event(id, Event.OPENED)
            assertEquals(12, c.results(profile, maxResults = 12).toList().size)
            assertFailsWith<WebcareException.NotFound> { c.get(Long.MAX_VALUE / 2) }
            assertFailsWith<WebcareException.Validation> { c.search(profile, Filter(word = "")) }
            val many = (1..50).map { async(Dispatchers.Default) { c.search(profile, Filter(limit = 1)).results.size } }.awaitAll()
            assertEquals(List(50) { 1 }, many)
        }
        client("not-the-secret").use { bad ->
            assertFailsWith<WebcareException.Auth> { bad.configuration() }
        }
    }

    private val http = HttpClient.newHttpClient()

    private fun control(method: String, path: String, body: String? = null): JSONObject {
        val b = HttpRequest.newBuilder(URI.create(url + path)).header("content-type", "application/json")
        val req = if (method == "POST") b.POST(HttpRequest.BodyPublishers.ofString(body ?: "{}")).build() else b.GET().build()
        val resp = http.send(req, HttpResponse.BodyHandlers.ofString())
        assertEquals(200, resp.statusCode(), resp.body())
        return JSONObject(resp.body())
    }

    /** The sandbox logs a request when it completes; one abandoned by the client is never logged. */
    private fun loggedSearches(since: Long): Int =
        control("GET", "/_sandbox/requests?since=$since").getJSONArray("requests")
            .count { (it as JSONObject).getString("path").startsWith("/results/kpn") }

    @Test
    fun cancellingACoroutineDropsTheRequestInTheSandbox(): Unit = runBlocking {
        assumeTrue(url != null, "no sandbox")
        client().use { c ->
            c.configuration() // token fetched outside the slow window
            try {
                control("POST", "/_sandbox/chaos", """{"spec":"latency=1500ms"}""")
                val mark = control("GET", "/_sandbox/requests").getLong("last")
                val r = withTimeoutOrNull(300.milliseconds) { c.search("kpn", Filter(limit = 1)) }
                assertEquals(null, r)
                delay(2500) // long enough for the delayed request to have completed, had it kept running
                assertEquals(0, loggedSearches(mark), "the cancelled request reached the handler's end")
                // Control: a call that is not cancelled is logged.
                assertEquals(1, c.search("kpn", Filter(limit = 1)).results.size)
                assertEquals(1, loggedSearches(mark))
            } finally {
                control("POST", "/_sandbox/chaos", """{"spec":""}""")
            }
        }
    }
}
