package com.kpn.webcare

import examples.kotlin.runAgent
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test

/** Runs examples/kotlin/AgentApp.kt against the fake API, and against the sandbox when there is one. */
class ExampleTest {
    @Test
    fun agentFlowAgainstFakeApi(): Unit = runBlocking {
        FakeApi().use { api ->
            Client(api.baseUrl, api.clientId, api.clientSecret).use { client ->
                val handled = runAgent(client, count = 2)
                assertEquals(2, handled.size)
                assertTrue(handled.all { id -> api.events.contains("$id:starttyping") && api.events.contains("$id:stoptyping") })
                assertTrue(api.caseOps.any { it.contains("handOverToHandler/11") }, "${api.caseOps}")
            }
        }
    }

    @Test
    fun agentFlowAgainstSandbox(): Unit = runBlocking {
        val url = System.getenv("WEBCARE_SANDBOX_URL")
        assumeTrue(url != null, "no sandbox (scripts/test-kotlin.sh starts one when the webcare CLI is built)")
        Client(url!!, System.getenv("WEBCARE_SANDBOX_ID"), System.getenv("WEBCARE_SANDBOX_SECRET")).use { client ->
            val handled = runAgent(client, count = 2)
            assertEquals(2, handled.size)
        }
    }
}
