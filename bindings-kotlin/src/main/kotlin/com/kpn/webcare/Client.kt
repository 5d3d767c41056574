package com.kpn.webcare

import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import uniffi.webcare_kotlin.ClientOptions
import uniffi.webcare_kotlin.ResultPager
import uniffi.webcare_kotlin.ResultWatcher
import uniffi.webcare_kotlin.WebcareClient

/**
 * Options for a [Client]. `null` keeps the core's default.
 *
 * @property maxRetries retries after the first attempt (0 disables retrying)
 * @property pageSize the page size of [Client.results] (default 100)
 * @property pollInterval how often [Client.watch] polls when there is nothing new (default 2 s)
 */
data class Options(
    val tokenUrl: String? = null,
    val connectTimeout: Duration? = null,
    val requestTimeout: Duration? = null,
    val totalTimeout: Duration? = null,
    val maxRetries: Int? = null,
    val pageSize: Int? = null,
    val pollInterval: Duration? = null,
    val userAgent: String? = null,
    /** DANGEROUS: accept any TLS certificate. Only for a test server you control (default false). */
    val dangerAcceptInvalidCerts: Boolean = false,
) {
    internal fun toNative() = ClientOptions(
        tokenUrl = tokenUrl,
        connectTimeoutMs = connectTimeout?.inWholeMilliseconds?.toULong(),
        requestTimeoutMs = requestTimeout?.inWholeMilliseconds?.toULong(),
        totalTimeoutMs = totalTimeout?.inWholeMilliseconds?.toULong(),
        maxRetries = maxRetries?.toUInt(),
        pageSize = pageSize?.toUInt(),
        pollIntervalMs = pollInterval?.inWholeMilliseconds?.toULong(),
        userAgent = userAgent,
        dangerAcceptInvalidCerts = dangerAcceptInvalidCerts,
    )
}

/**
 * A Webcare API client. Every network call is a `suspend fun`; cancelling the calling coroutine
 * aborts the request on the native side. Thread-safe: share one client; [close] it when done
 * (it is [AutoCloseable], so `Client(...).use { }` works).
 *
 * The client secret never appears in `toString()`, exceptions or logs.
 */
class Client private constructor(private val inner: WebcareClient) : AutoCloseable {

    /** A client for [baseUrl] (for example a sandbox's) with these OAuth2 client credentials. */
    constructor(baseUrl: String, clientId: String, clientSecret: String, options: Options = Options()) :
        this(native { WebcareClient(baseUrl, clientId, clientSecret, options.toNative()) })

    companion object {
        /**
         * A client from `WEBCARE_BASE_URL`, `WEBCARE_CLIENT_ID`, `WEBCARE_CLIENT_SECRET` (and
         * optionally `WEBCARE_TOKEN_URL`). Throws [WebcareException.Config] when one is missing.
         */
        @JvmStatic
        @JvmOverloads
        fun fromEnv(options: Options = Options()): Client =
            Client(native { WebcareClient.fromEnv(options.toNative()) })

        /**
         * Test hook: a panic inside the native library, thrown as [WebcareException.Server]
         * ("internal error in webcare ..."); the process keeps working.
         */
        @JvmStatic
        internal fun debugPanic() = native { uniffi.webcare_kotlin.debugPanic() }

        /** The version of the native library. */
        @JvmStatic
        val nativeVersion: String get() = uniffi.webcare_kotlin.nativeVersion()
    }

    /** The base URL. */
    val baseUrl: String get() = inner.baseUrl()

    /** The client id. */
    val clientId: String get() = inner.clientId()

    /** How many token requests this client made (many concurrent calls share one). */
    val tokenFetchCount: Long get() = inner.tokenFetchCount().toLong()

    /** The poll interval of [watch]. */
    val pollInterval: Duration get() = inner.pollIntervalMs().toLong().milliseconds

    /** Forget the cached access token (the next call fetches a new one). */
    fun clearToken() = inner.clearToken()

    /** `GET /configuration`: the account, its search profiles, users and connections. */
    suspend fun configuration(): Configuration = native { inner.configuration() }

    /** `GET /ssoAccessToken/{email}`: a new single sign-on token for that user. */
    suspend fun ssoToken(email: String): SsoToken = native { inner.ssoToken(email) }

    /** One page of results: the filter's own `limit` and `offset` apply. */
    suspend fun search(profile: String, filter: Filter = Filter()): Page =
        native { inner.search(profile, filter.toSpec()) }

    /**
     * Every result of [filter] across pages (offset paging, in the filter's order), fetched lazily
     * as the flow is collected. [maxResults] caps the total.
     */
    fun results(profile: String, filter: Filter = Filter(), maxResults: Long? = null): Flow<WebcareResult> =
        pagesFlow { inner.pager(profile, filter.toSpec(), maxResults?.toULong()) }

    /** Every result after [sinceId] (exclusive), oldest first (keyset paging: safe while new results arrive). */
    fun resultsSince(profile: String, sinceId: Long, filter: Filter = Filter(), maxResults: Long? = null): Flow<WebcareResult> =
        pagesFlow { inner.keysetPager(profile, filter.toSpec(), sinceId, maxResults?.toULong()) }

    /** A pager for page-at-a-time control; close it when done. */
    fun pager(profile: String, filter: Filter = Filter(), maxResults: Long? = null): Pager =
        Pager(native { inner.pager(profile, filter.toSpec(), maxResults?.toULong()) })

    private fun pagesFlow(open: () -> ResultPager): Flow<WebcareResult> = flow {
        Pager(native(open)).use { pager ->
            while (true) {
                val page = pager.nextPage() ?: break
                for (r in page) emit(r)
            }
        }
    }

    /**
     * New results of a search profile as they arrive, each exactly once, in id order. Polls with
     * `sinceId`; waits [pollInterval] (default: the client's) when there is nothing new.
     *
     * [sinceId] resumes after that id (exclusive; save [WebcareResult.uniqueId] of the last result
     * handled); without it only results that arrive after the first poll are emitted. The flow
     * never completes by itself: cancel the collector (or use `take(n)`) to stop. Cancelling stops
     * polling, aborts an in-flight request and frees the native watcher. A failed poll throws
     * [WebcareException]; use `retryWhen { e, _ -> (e as? WebcareException)?.isRetryable == true }`
     * to keep watching (restart with the last `uniqueId` you saw as [sinceId]).
     */
    fun watch(
        profile: String,
        filter: Filter = Filter(),
        sinceId: Long? = null,
        pollInterval: Duration? = null,
    ): Flow<WebcareResult> = flow {
        watcher(profile, filter, sinceId, pollInterval).use { w ->
            val interval = w.pollInterval
            while (true) {
                val batch = w.nextBatch()
                for (r in batch) emit(r)
                if (batch.isEmpty()) delay(interval)
            }
        }
    }

    /** A watcher for batch-at-a-time control ([Watcher.nextBatch]); close it when done. */
    fun watcher(profile: String, filter: Filter = Filter(), sinceId: Long? = null, pollInterval: Duration? = null): Watcher =
        Watcher(native { inner.watch(profile, filter.toSpec(), sinceId, pollInterval?.inWholeMilliseconds?.toULong()) })

    /** `GET /results/{id}`: the result and its conversation context. */
    suspend fun get(resultId: Long): ResultWithContext = native { inner.get(resultId) }

    /** `GET /results/{id}/noContext`: the result alone. */
    suspend fun getNoContext(resultId: Long): WebcareResult = native { inner.getNoContext(resultId) }

    /**
     * `POST /results/{id}/replies`. Without [connectionId] the result's default connection is
     * used; [public] `false` replies privately. Never sent twice (retried only when the request
     * provably did not reach the server).
     */
    suspend fun reply(resultId: Long, message: String, connectionId: Long? = null, public: Boolean = true): ReplySent =
        native { inner.reply(resultId, message, connectionId, public) }

    /** `POST /results/{id}/event/{event}`: typing indicators, opened, closed. */
    suspend fun event(resultId: Long, event: Event): Ack = native { inner.event(resultId, event) }

    /** `POST /searches/{searchId}/cases/{caseId}/close`. */
    suspend fun closeCase(searchId: Long, caseId: String): Ack = native { inner.closeCase(searchId, caseId) }

    /** `POST /searches/{searchId}/cases/{caseId}/close/handOverToHandler/{handlerId}`. */
    suspend fun handOver(searchId: Long, caseId: String, handlerId: Long): Ack =
        native { inner.handOver(searchId, caseId, handlerId) }

    /** `POST /searches/{searchId}/cases/{caseId}/releaseHandler`. */
    suspend fun releaseHandler(searchId: Long, caseId: String): Ack =
        native { inner.releaseHandler(searchId, caseId) }

    /** Free the native client (calls in flight finish or fail; later calls throw). */
    override fun close() = inner.close()

    override fun toString(): String = "Client(baseUrl=$baseUrl, clientId=$clientId)"
}

/** Pages of a search; [nextPage] returns `null` when done. Close it when done. */
class Pager internal constructor(private val inner: ResultPager) : AutoCloseable {
    /** The next page, or `null` when there are no more. */
    suspend fun nextPage(): List<WebcareResult>? = native { inner.nextPage() }

    /** For keyset pagers, the largest id seen (resume with it as `sinceId`). */
    suspend fun lastId(): Long? = inner.lastId()

    override fun close() = inner.close()
}

/** Polls a search profile for new results; each is returned exactly once. Close it when done. */
class Watcher internal constructor(private val inner: ResultWatcher) : AutoCloseable {
    /** What is new (possibly nothing): one poll's worth; never waits. */
    suspend fun nextBatch(): List<WebcareResult> = native { inner.nextBatch() }

    /** The next new result, polling until there is one. */
    suspend fun next(): WebcareResult = native { inner.next() }

    /** The id of the last result handed out: save it to resume with `sinceId`. */
    suspend fun lastId(): Long? = inner.lastId()

    /** How many polls were made. */
    suspend fun polls(): Long = inner.polls().toLong()

    /** The wait between polls when there is nothing new. */
    val pollInterval: Duration get() = inner.pollIntervalMs().toLong().milliseconds

    override fun close() = inner.close()
}
