package com.kpn.webcare

import uniffi.webcare_kotlin.WebcareException as NativeException

/**
 * A failed webcare call. One subclass per error kind (the same list in every language).
 *
 * [message] is the server's message (secrets scrubbed); [status] is the HTTP status when there was
 * a response, [requestId] the server's request id, and [retryAfterMs] how long the server asked to
 * wait before retrying (rate limits).
 */
sealed class WebcareException(
    override val message: String,
    /** The kind's name: `Auth`, `NotFound`, ... */
    val kind: String,
    /** The HTTP status, if a response was received. */
    val status: Int?,
    /** The request id, if known. */
    val requestId: String?,
    /** Milliseconds the server asked to wait before retrying. */
    val retryAfterMs: Long?,
) : Exception(message) {
    /** Bad credentials or a rejected token (401). */
    class Auth(message: String, status: Int?, requestId: String?, retryAfterMs: Long?) :
        WebcareException(message, "Auth", status, requestId, retryAfterMs)

    /** Not allowed (403). */
    class Forbidden(message: String, status: Int?, requestId: String?, retryAfterMs: Long?) :
        WebcareException(message, "Forbidden", status, requestId, retryAfterMs)

    /** No such result, case, user or profile (404). */
    class NotFound(message: String, status: Int?, requestId: String?, retryAfterMs: Long?) :
        WebcareException(message, "NotFound", status, requestId, retryAfterMs)

    /** The request was invalid: bad input, a bad filter, or a 4xx from the server. */
    class Validation(message: String, status: Int?, requestId: String?, retryAfterMs: Long?) :
        WebcareException(message, "Validation", status, requestId, retryAfterMs)

    /** Over quota (429) after honouring Retry-After up to the maximum wait; see [retryAfterMs]. */
    class RateLimited(message: String, status: Int?, requestId: String?, retryAfterMs: Long?) :
        WebcareException(message, "RateLimited", status, requestId, retryAfterMs)

    /** The server failed (5xx) after retries, or an internal error in the native library. */
    class Server(message: String, status: Int?, requestId: String?, retryAfterMs: Long?) :
        WebcareException(message, "Server", status, requestId, retryAfterMs)

    /** A timeout (connect, request or total). */
    class Timeout(message: String, status: Int?, requestId: String?, retryAfterMs: Long?) :
        WebcareException(message, "Timeout", status, requestId, retryAfterMs)

    /** The connection failed. */
    class Network(message: String, status: Int?, requestId: String?, retryAfterMs: Long?) :
        WebcareException(message, "Network", status, requestId, retryAfterMs)

    /** The response could not be decoded. */
    class Decode(message: String, status: Int?, requestId: String?, retryAfterMs: Long?) :
        WebcareException(message, "Decode", status, requestId, retryAfterMs)

    /** The client is misconfigured (base URL, credentials, options). */
    class Config(message: String, status: Int?, requestId: String?, retryAfterMs: Long?) :
        WebcareException(message, "Config", status, requestId, retryAfterMs)

    /** Whether retrying the same call later may succeed. */
    val isRetryable: Boolean
        get() = this is RateLimited || this is Server || this is Timeout || this is Network

    override fun toString(): String = buildString {
        append("WebcareException.").append(kind)
        status?.let { append(" (HTTP ").append(it).append(')') }
        append(": ").append(message)
        requestId?.let { append(" [request id ").append(it).append(']') }
        retryAfterMs?.let { append(" (retry after ").append(it).append(" ms)") }
    }

    internal companion object {
        fun from(e: NativeException): WebcareException = when (e) {
            is NativeException.Auth -> Auth(e.reason, e.status?.toInt(), e.requestId, e.retryAfterMs?.toLong())
            is NativeException.Forbidden -> Forbidden(e.reason, e.status?.toInt(), e.requestId, e.retryAfterMs?.toLong())
            is NativeException.NotFound -> NotFound(e.reason, e.status?.toInt(), e.requestId, e.retryAfterMs?.toLong())
            is NativeException.Validation -> Validation(e.reason, e.status?.toInt(), e.requestId, e.retryAfterMs?.toLong())
            is NativeException.RateLimited -> RateLimited(e.reason, e.status?.toInt(), e.requestId, e.retryAfterMs?.toLong())
            is NativeException.Server -> Server(e.reason, e.status?.toInt(), e.requestId, e.retryAfterMs?.toLong())
            is NativeException.Timeout -> Timeout(e.reason, e.status?.toInt(), e.requestId, e.retryAfterMs?.toLong())
            is NativeException.Network -> Network(e.reason, e.status?.toInt(), e.requestId, e.retryAfterMs?.toLong())
            is NativeException.Decode -> Decode(e.reason, e.status?.toInt(), e.requestId, e.retryAfterMs?.toLong())
            is NativeException.Config -> Config(e.reason, e.status?.toInt(), e.requestId, e.retryAfterMs?.toLong())
        }
    }
}

/** Run a native call, turning the generated exceptions into [WebcareException]. */
internal inline fun <T> native(block: () -> T): T =
    try {
        block()
    } catch (e: NativeException) {
        throw WebcareException.from(e)
    } catch (e: uniffi.webcare_kotlin.InternalException) {
        throw WebcareException.Server("internal error in the native library: ${e.message}", null, null, null)
    } catch (e: java.nio.charset.CharacterCodingException) {
        // The generated code encodes strings as strict UTF-8: a lone surrogate cannot be sent.
        throw IllegalArgumentException("a string argument is not valid Unicode (a lone surrogate?): $e", e)
    }
