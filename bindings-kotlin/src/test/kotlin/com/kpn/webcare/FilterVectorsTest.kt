package com.kpn.webcare

import java.io.File
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory

/** The shared filter vectors (tests/vectors/filters.json), read by every language's tests. */
class FilterVectorsTest {
    private val vectors: JSONObject by lazy {
        val f = generateSequence(File("").absoluteFile) { it.parentFile }
            .map { File(it, "tests/vectors/filters.json") }
            .first { it.exists() }
        JSONObject(f.readText())
    }

    /** Build the Kotlin Filter from the vector's JSON by hand (tests the Kotlin <-> native conversion). */
    private fun build(j: JSONObject): Filter {
        fun str(k: String) = if (j.has(k)) j.getString(k) else null
        fun long(k: String) = if (j.has(k)) j.getLong(k) else null
        val period = when (val p = j.opt("period")) {
            null -> null
            is String -> when (p) {
                "day" -> Period.Day; "week" -> Period.Week; "month" -> Period.Month; "year" -> Period.Year
                else -> error("bad period $p")
            }
            is JSONObject -> Period.Range(Instant.parse(p.getString("start")), Instant.parse(p.getString("end")))
            else -> error("bad period $p")
        }
        return Filter(
            sources = (j.optJSONArray("sources") ?: JSONArray()).map { Source.valueOf((it as String).uppercase()) },
            sentiment = str("sentiment")?.let { SentimentClass.valueOf(it.uppercase()) },
            period = period,
            category = str("category"), label = str("label"), hashtag = str("hashtag"), website = str("website"),
            word = str("word"), profile = str("profile"), country = str("country"), city = str("city"),
            municipality = str("municipality"), province = str("province"),
            resultIds = (j.optJSONArray("result_ids") ?: JSONArray()).map { (it as Number).toLong() },
            assigned = long("assigned"),
            order = str("order")?.let { Order.valueOf(it.uppercase()) },
            sinceId = long("since_id"),
            newResults = str("new_results")?.let { if (it == "true") NewResults.TRUE else NewResults.RESET },
            limit = if (j.has("limit")) j.getInt("limit") else null,
            offset = long("offset"),
            checked = if (j.has("checked")) j.getBoolean("checked") else null,
        )
    }

    @TestFactory
    fun valid(): List<DynamicTest> = vectors.getJSONArray("valid").map { it as JSONObject }.map { v ->
        DynamicTest.dynamicTest("valid: ${v.getString("name")}") {
            val profile = v.getString("profile")
            val expected = build(v.getJSONObject("filter"))
            assertEquals(v.getString("path"), expected.toPath(profile), "render")
            // The JSON form goes through the core's serde and gives the same filter.
            assertEquals(expected, Filter.fromJson(v.getJSONObject("filter").toString()), "fromJson")
            val paths = listOf(v.getString("path")) + (v.optJSONArray("alternates") ?: JSONArray()).map { it as String }
            for (p in paths) {
                val (prof, f) = Filter.parseSearchPath(p)
                assertEquals(profile, prof, "profile of $p")
                assertEquals(expected, f, "parse $p")
                assertEquals(expected, Filter.parse(f.toString()), "round trip of $p")
            }
        }
    }

    @TestFactory
    fun invalid(): List<DynamicTest> = vectors.getJSONArray("invalid").map { it as JSONObject }.map { v ->
        DynamicTest.dynamicTest("invalid: ${v.getString("name")}") {
            val e = assertFailsWith<WebcareException> { Filter.parseSearchPath(v.getString("path")) }
            assertEquals(v.getString("error_kind"), e.kind)
            assertTrue(e.message.contains(v.getString("error_contains")), "'${e.message}' should contain '${v.getString("error_contains")}'")
        }
    }

    @Test
    fun dslAndCopy() {
        val f = filter { source(Source.TWITTER); sentiment(SentimentClass.NEGATIVE) }
        assertEquals("source:twitter/negative", f.toString())
        assertEquals("source:twitter/negative/limit:25", f.copy(limit = 25).toString())
        assertEquals(f, Filter.parse("source:twitter/negative"))
        assertEquals(f.copy(word = "a b/c"), Filter.parse(f.copy(word = "a b/c").toString()))
        assertEquals("", Filter().toString())
    }

    @Test
    fun badFilterIsValidation() {
        val e = assertFailsWith<WebcareException.Validation> { Filter.parse("source:twitter/bogus:1") }
        assertTrue(e.message.contains("bogus"), e.message)
        assertFailsWith<WebcareException.Validation> { Filter(limit = 0).validate() }
    }
}
