package com.kpn.webcare

import com.sun.net.httpserver.HttpExchange
import com.sun.net.httpserver.HttpServer
import java.net.InetSocketAddress
import java.net.URLDecoder
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong
import org.json.JSONArray
import org.json.JSONObject

/**
 * A small in-process Webcare API for the Kotlin tests: the token endpoint, configuration, SSO,
 * search (sinceId / order / limit / offset / source / sentiment; the path is parsed by the core),
 * one result with and without context, replies, events and case operations. The search profile
 * `slow` answers after [slowMillis] with a large body, and counts responses the client abandoned
 * ([slowAborted]) to prove that cancelling a coroutine drops the native request.
 */
class FakeApi : AutoCloseable {
    val clientId = "kotlin-test"
    val clientSecret = "s3cret-kotlin-test-value"
    private val token = "tok-" + System.nanoTime()
    private val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 200)
    val baseUrl: String get() = "http://127.0.0.1:${server.address.port}"

    val results = CopyOnWriteArrayList<JSONObject>()
    private val nextId = AtomicLong(1000)
    val requests = CopyOnWriteArrayList<String>()
    val tokenRequests = AtomicInteger()
    val events = CopyOnWriteArrayList<String>()
    val caseOps = CopyOnWriteArrayList<String>()
    val slowAborted = AtomicInteger()
    val slowStarted = AtomicInteger()
    @Volatile var slowMillis = 3000L
    private val handlers = ConcurrentHashMap<Long, Long>()

    init {
        for (i in 1..25) addInbound("message $i: ${if (i % 3 == 0) "terrible service, very angry" else "thanks, all good"}", if (i % 2 == 0) 1 else 7)
        server.executor = Executors.newCachedThreadPool { r -> Thread(r, "fake-api").apply { isDaemon = true } }
        server.createContext("/") { ex ->
            try {
                handle(ex)
            } catch (e: Exception) {
                runCatching { send(ex, 500, JSONObject().put("message", "fake api: $e")) }
            } finally {
                ex.close()
            }
        }
        server.start()
    }

    /** Add an inbound message (as if a customer wrote it); returns its id. */
    fun addInbound(text: String, source: Int = 1): Long {
        val id = nextId.incrementAndGet()
        val sentiment = Sentiment.score(text).value.toInt()
        results.add(
            JSONObject()
                .put("uniqueId", id).put("searchId", 1).put("caseId", "case-${id % 5}")
                .put("description", text).put("source", source).put("type", 4)
                .put("sentiment", sentiment).put("own", 0).put("status", 1)
                .put("time", "2024-05-01T12:00:00")
                .put("defaultConnection", 7)
                .put("availableConnections", JSONArray().put(JSONObject().put("id", 7).put("name", "KPN care")))
                .put("someFutureField", JSONObject().put("nested", true)),
        )
        return id
    }

    override fun close() = server.stop(0)

    private fun handle(ex: HttpExchange) {
        val path = ex.requestURI.rawPath
        requests.add("${ex.requestMethod} $path")
        if (path == "/oauth/client_credential/accesstoken") {
            tokenRequests.incrementAndGet()
            val form = parseForm(String(ex.requestBody.readAllBytes()))
            if (form["client_id"] != clientId || form["client_secret"] != clientSecret) {
                return send(ex, 401, JSONObject().put("ErrorCode", "invalid_client").put("Error", "ClientId is Invalid"))
            }
            return send(
                ex, 200,
                JSONObject().put("access_token", token).put("token_type", "Bearer").put("expires_in", "3599")
                    .put("issued_at", System.currentTimeMillis().toString()).put("status", "approved"),
            )
        }
        if (ex.requestHeaders.getFirst("Authorization") != "Bearer $token") {
            return error(ex, 401, "invalid access token")
        }
        val parts = path.trim('/').split('/')
        val post = ex.requestMethod == "POST"
        when {
            parts == listOf("configuration") -> {
                val cfg = JSONObject()
                    .put("globals", JSONObject().put("sources", JSONObject().put("twitter", 7).put("whatsapp", 1)))
                    .put("account", JSONObject().put("memberId", "m1").put("company", "KPN")
                        .put("users", JSONArray().put(JSONObject().put("id", 11).put("name", "Agent Smith").put("email", "agent@kpn.example")))
                        .put("searches", JSONArray().put(JSONObject().put("id", 1).put("name", "kpn"))))
                ex.responseHeaders.add("Content-Type", "application/json")
                val body = envelope(JSONObject(), path).put("configuration", cfg)
                sendRaw(ex, 200, body.toString().toByteArray())
            }
            parts.size == 2 && parts[0] == "ssoAccessToken" -> {
                val email = URLDecoder.decode(parts[1], "UTF-8")
                if (email != "agent@kpn.example") return error(ex, 404, "unknown user $email")
                ok(ex, path, JSONObject().put("token", "sso-secret-token-123").put("expires", "2030-01-01T00:00:00Z"))
            }
            parts[0] == "results" && !post && parts.size >= 2 && parts[1].toLongOrNull() != null -> {
                val id = parts[1].toLong()
                val r = results.firstOrNull { it.getLong("uniqueId") == id } ?: return error(ex, 404, "result $id not found")
                if (parts.size == 3 && parts[2] == "noContext") return ok(ex, path, r)
                val ctx = JSONArray()
                results.filter { it.optString("caseId") == r.optString("caseId") && it.getLong("uniqueId") != id }.forEach { ctx.put(it) }
                ok(ex, path, JSONObject().put("result", r).put("context", ctx))
            }
            parts[0] == "results" && !post -> search(ex, path)
            parts[0] == "results" && post && parts.size == 3 && parts[2] == "replies" -> {
                val id = parts[1].toLong()
                val parent = results.firstOrNull { it.getLong("uniqueId") == id } ?: return error(ex, 404, "result $id not found")
                val form = parseForm(String(ex.requestBody.readAllBytes()))
                val msg = form["message"].orEmpty()
                if (msg.isBlank()) return error(ex, 400, "message is required")
                val rid = nextId.incrementAndGet()
                val reply = JSONObject().put("uniqueId", rid).put("searchId", 1).put("caseId", parent.optString("caseId"))
                    .put("description", msg).put("own", 1).put("sentiment", 0).put("source", parent.getInt("source")).put("type", 4)
                results.add(reply)
                ok(ex, path, reply)
            }
            parts[0] == "results" && post && parts.size == 4 && parts[2] == "event" -> {
                val id = parts[1].toLong()
                results.firstOrNull { it.getLong("uniqueId") == id } ?: return error(ex, 404, "result $id not found")
                events.add("$id:${parts[3]}")
                ok(ex, path, JSONObject())
            }
            parts[0] == "searches" && post && parts.size >= 5 -> {
                caseOps.add(parts.drop(3).joinToString("/").let { "${parts[3]}:${parts.drop(4).joinToString("/")}" })
                ok(ex, path, JSONObject())
            }
            else -> error(ex, 404, "no route for $path")
        }
    }

    private fun search(ex: HttpExchange, path: String) {
        val (profile, f) = try {
            Filter.parseSearchPath(path)
        } catch (e: WebcareException) {
            return error(ex, 400, e.message)
        }
        if (profile == "slow") {
            slowStarted.incrementAndGet()
            Thread.sleep(slowMillis)
            val big = ByteArray(4 * 1024 * 1024) { ' '.code.toByte() }
            try {
                ex.sendResponseHeaders(200, big.size.toLong())
                ex.responseBody.use { out -> for (i in 0 until 64) { out.write(big, i * 65536, 65536); out.flush(); Thread.sleep(5) } }
            } catch (e: java.io.IOException) {
                slowAborted.incrementAndGet()
            }
            return
        }
        if (profile != "kpn") return error(ex, 404, "search profile '$profile' not found")
        var list = results.filter { it.optInt("own") == 0 || true }
        if (f.sources.isNotEmpty()) list = list.filter { r -> f.sources.any { it.id == r.getLong("source") } }
        f.sentiment?.let { s -> list = list.filter { it.getInt("sentiment") == s.value } }
        f.sinceId?.let { s -> list = list.filter { it.getLong("uniqueId") > s } }
        list = if (f.order == Order.LEAST_RECENT) list.sortedBy { it.getLong("uniqueId") } else list.sortedByDescending { it.getLong("uniqueId") }
        val total = list.size
        list = list.drop((f.offset ?: 0).toInt()).take(f.limit ?: 100)
        val obj = JSONObject()
        val arr = JSONArray()
        list.forEach { arr.put(it) }
        ok(ex, path, JSONObject().put("results", arr).put("total", total))
    }

    private fun envelope(data: Any, path: String) = JSONObject()
        .put("data", data).put("messages", JSONArray()).put("status", "SUCCES")
        .put("metadata", JSONObject().put("values", JSONObject().put("url", path.trimStart('/'))).put("method", "get").put("duration", 0.001))

    private fun ok(ex: HttpExchange, path: String, data: Any) = send(ex, 200, envelope(data, path))

    private fun error(ex: HttpExchange, status: Int, message: String) = send(
        ex, status,
        JSONObject().put("transactionId", "tx-$status-${System.nanoTime()}").put("status", status.toString())
            .put("name", "Error").put("message", message).put("info", ""),
    )

    private fun send(ex: HttpExchange, status: Int, body: JSONObject) {
        ex.responseHeaders.add("Content-Type", "application/json")
        sendRaw(ex, status, body.toString().toByteArray())
    }

    private fun sendRaw(ex: HttpExchange, status: Int, bytes: ByteArray) {
        ex.sendResponseHeaders(status, bytes.size.toLong())
        ex.responseBody.use { it.write(bytes) }
    }

    private fun parseForm(body: String): Map<String, String> = body.split('&').filter { it.contains('=') }.associate {
        val (k, v) = it.split('=', limit = 2)
        URLDecoder.decode(k, "UTF-8") to URLDecoder.decode(v, "UTF-8")
    }
}
