package com.kpn.webcare

import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
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
}
