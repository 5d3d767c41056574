'use strict'
// The error classes of the package. The native layer throws errors whose message is a marker
// followed by JSON ({kind, message, status, requestId, retryAfter, messages}); `fromNative` turns
// them into the matching WebcareError subclass.

const MARKER = '__webcare_error__'

/** Base class of every error the API client raises. */
class WebcareError extends Error {
  constructor (message, { code = 'Server', status = null, requestId = null, retryAfter = null, messages = [], cause } = {}) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = new.target.name
    /** The kind: Auth, Forbidden, NotFound, Validation, RateLimited, Server, Timeout, Network, Decode, Config. */
    this.code = code
    /** The HTTP status, when there was a response. */
    this.status = status
    /** The request id (x-request-id header or the error body's transactionId). */
    this.requestId = requestId
    /** Seconds the server asked to wait before retrying (rate limits), or null. */
    this.retryAfter = retryAfter
    /** The envelope's messages ({type, title, description}) of backend validation failures. */
    this.messages = messages
  }

  /** Whether retrying the same call later may succeed. */
  get retryable () {
    return ['RateLimited', 'Server', 'Timeout', 'Network'].includes(this.code)
  }
}

class AuthError extends WebcareError {}
class ForbiddenError extends WebcareError {}
class NotFoundError extends WebcareError {}
class ValidationError extends WebcareError {}
class RateLimitError extends WebcareError {}
class ServerError extends WebcareError {}
class TimeoutError extends WebcareError {}
class NetworkError extends WebcareError {}
class DecodeError extends WebcareError {}
class ConfigError extends WebcareError {}

const BY_KIND = {
  Auth: AuthError,
  Forbidden: ForbiddenError,
  NotFound: NotFoundError,
  Validation: ValidationError,
  RateLimited: RateLimitError,
  Server: ServerError,
  Timeout: TimeoutError,
  Network: NetworkError,
  Decode: DecodeError,
  Config: ConfigError
}

/** The error of an operation cancelled by its AbortSignal (like fetch's: name 'AbortError'). */
class AbortError extends Error {
  constructor (message = 'The operation was aborted', options) {
    super(message, options)
    this.name = 'AbortError'
    this.code = 'ABORT_ERR'
  }
}

function abortError (signal) {
  return new AbortError('The operation was aborted', signal && signal.reason !== undefined ? { cause: signal.reason } : undefined)
}

/** Convert an error thrown by the native layer; other errors are returned unchanged. */
function fromNative (err) {
  if (!err || typeof err.message !== 'string' || !err.message.startsWith(MARKER)) return err
  let info
  try {
    info = JSON.parse(err.message.slice(MARKER.length))
  } catch {
    return new WebcareError('unreadable native error')
  }
  if (info.kind === 'Aborted') return new AbortError(info.message)
  const Cls = BY_KIND[info.kind] || WebcareError
  return new Cls(info.message, {
    code: info.kind,
    status: info.status ?? null,
    requestId: info.requestId ?? null,
    retryAfter: info.retryAfter ?? null,
    messages: info.messages ?? []
  })
}

module.exports = {
  WebcareError,
  AuthError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  RateLimitError,
  ServerError,
  TimeoutError,
  NetworkError,
  DecodeError,
  ConfigError,
  AbortError,
  abortError,
  fromNative
}
