// ES module entry: re-exports the CommonJS implementation.
import webcare from './index.js'

export const {
  Client,
  Filter,
  ResultsIterable,
  Watch,
  Watcher,
  SsoToken,
  sentiment,
  sentimentMany,
  setLogger,
  debugPanic,
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
  NativeClient,
  NativePager,
  NativeRows,
  NativeWatcher,
  cancelCall,
  resultRowLayout,
  filterRender,
  filterParse,
  searchPathRender,
  searchPathParse
} = webcare
export default webcare
