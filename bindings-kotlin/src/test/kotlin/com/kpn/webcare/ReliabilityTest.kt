package com.kpn.webcare

import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import kotlin.test.fail
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test

/**
 * Reliability and security (docs/reliability.md, bindings section): a panic in the native library
 * is a [WebcareException.Server] and the process keeps working; bad arguments fail with a clear
 * exception (never a crash or a hang); secrets never show in `toString()` or exceptions; TLS
 * verification is on unless [Options.dangerAcceptInvalidCerts].
 */
class ReliabilityTest {
    private val url: String? = System.getenv("WEBCARE_SANDBOX_URL")
    private val huge = "x".repeat(1_000_000)

    private fun client(secret: String? = null, options: Options = Options()) =
        Client(url!!, System.getenv("WEBCARE_SANDBOX_ID"), secret ?: System.getenv("WEBCARE_SANDBOX_SECRET"), options)

    @Test
    fun forcedPanicIsAServerErrorAndTheProcessSurvives() {
        repeat(3) {
            try {
                Client.debugPanic()
                fail("no exception")
            } catch (e: WebcareException.Server) {
                assertEquals("Server", e.kind)
                assertEquals(null, e.status)
                assertTrue(e.message.startsWith("internal error in webcare"), e.message)
                assertTrue(e.message.contains("forced panic for tests"), e.message)
            }
            // The native library still works.
            assertTrue(Sentiment.score("Heel slecht geholpen").compound < 0)
        }
        if (url != null) {
            runBlocking { client().use { assertTrue(it.configuration().account.searches.isNotEmpty()) } }
        }
    }

    @Test
    fun tlsVerificationIsOnByDefault() {
        assertFalse(Options().dangerAcceptInvalidCerts)
        assertTrue(Options(dangerAcceptInvalidCerts = true).toNative().dangerAcceptInvalidCerts == true)
    }

    /** [block] must throw a WebcareException or an IllegalArgumentException within 30 s. */
    private suspend fun failure(what: String, block: suspend () -> Unit): Exception {
        val e = try {
            withTimeout(30_000) { block() }
            null
        } catch (e: WebcareException) {
            e
        } catch (e: IllegalArgumentException) {
            e
        }
        if (e == null) fail("$what: no exception")
        assertTrue(!e.message.isNullOrBlank(), "$what: no message")
        assertTrue(e.message!!.length < 3000, "$what: the message echoes the huge argument")
        return e
    }

    @Test
    fun badArgumentsFailClearlyNeverCrashOrHang(): Unit = runBlocking {
        assumeTrue(url != null, "no sandbox")
        client().use { c ->
            val profile = c.configuration().account.searches.first().name
            val id = c.search(profile, Filter(limit = 1)).results.first().uniqueId
            val e1 = failure("reply 1 MB") { c.reply(id, huge) }
            assertTrue(e1 is WebcareException.Validation && e1.message!!.contains("10000"), e1.toString())
            assertTrue(failure("reply blank") { c.reply(id, "   ") } is WebcareException.Validation)
            failure("get -1") { c.get(-1) }
            failure("get 0") { c.get(0) }
            failure("reply connection -5") { c.reply(id, "hi", connectionId = -5) }
            failure("handOver handler -1") { c.handOver(1, "2", -1) }
            failure("search empty profile") { c.search("") }
            failure("search 1 MB word") { c.search(profile, Filter(word = huge)) }
            failure("search 1 MB profile") { c.search(huge) }
            failure("search limit -1") { c.search(profile, Filter(limit = -1)) }
            failure("sso 1 MB") { c.ssoToken(huge) }
            failure("sso not an e-mail") { c.ssoToken("nobody") }
            // Invalid UTF-16 (a lone surrogate): the generated code encodes strict UTF-8, so it is
            // an IllegalArgumentException, never a crash.
            val s1 = failure("sentiment surrogate") { Sentiment.score("bad \uD800 text") }
            assertTrue(s1 is IllegalArgumentException && s1.message!!.contains("Unicode"), s1.toString())
            val s2 = failure("search surrogate") { c.search(profile, Filter(word = "x\uDFFF", limit = 1)) }
            assertTrue(s2 is IllegalArgumentException, s2.toString())
            // Still working.
            assertEquals(1, c.search(profile, Filter(limit = 1)).results.size)
        }
    }

    @Test
    fun noSecretInToStringOrExceptions(): Unit = runBlocking {
        assumeTrue(url != null, "no sandbox")
        val canary = "SECRET-canary-123456"
        val out = mutableListOf<String>()
        client().use { good ->
            out += good.toString()
            val cfg = good.configuration()
            out += cfg.toString()
            val email = cfg.account.users.first { !it.email.isNullOrEmpty() }.email!!
            val sso = good.ssoToken(email)
            val ssoValue = sso.token()!!
            assertTrue(ssoValue.isNotEmpty())
            out += sso.toString()
            client(canary).use { bad ->
                out += bad.toString()
                val e = failure("bad secret") { bad.configuration() }
                assertTrue(e is WebcareException.Auth, e.toString())
                out += e.toString(); out += e.stackTraceToString()
            }
            val nf = failure("404") { good.get(Long.MAX_VALUE / 2) }
            out += nf.toString()
            Client("http://127.0.0.1:9", "id", canary, Options(maxRetries = 0)).use { off ->
                val ne = failure("network") { off.configuration() }
                assertTrue(ne is WebcareException.Network, ne.toString())
                out += ne.toString(); out += ne.stackTraceToString()
            }
            val text = out.joinToString("\n")
            for (secret in listOf(canary, System.getenv("WEBCARE_SANDBOX_SECRET"), ssoValue)) {
                assertFalse(text.contains(secret), "a secret (${secret.take(4)}...) leaked")
            }
        }
    }
}
