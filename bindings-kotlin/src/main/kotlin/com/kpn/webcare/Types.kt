package com.kpn.webcare

// The generated records and enums, re-exported under this package so that applications import
// one package. Records are immutable data classes; enums are enum classes.

/** A search result. Unknown fields are kept as a JSON object in `extraJson`. */
typealias WebcareResult = uniffi.webcare_kotlin.WebcareResult
typealias ResultWithContext = uniffi.webcare_kotlin.ResultWithContext
typealias Page = uniffi.webcare_kotlin.Page
typealias Ack = uniffi.webcare_kotlin.Ack
typealias ReplySent = uniffi.webcare_kotlin.ReplySent
typealias Configuration = uniffi.webcare_kotlin.Configuration
typealias Account = uniffi.webcare_kotlin.Account
typealias Globals = uniffi.webcare_kotlin.Globals
typealias User = uniffi.webcare_kotlin.User
typealias Search = uniffi.webcare_kotlin.Search
typealias Connection = uniffi.webcare_kotlin.Connection
typealias Tag = uniffi.webcare_kotlin.Tag
typealias Activity = uniffi.webcare_kotlin.Activity
typealias Score = uniffi.webcare_kotlin.Score

/** A single sign-on token: `token()` gives the secret; `toString()` never shows it. */
typealias SsoToken = uniffi.webcare_kotlin.SsoToken

typealias Source = uniffi.webcare_kotlin.Source
typealias SentimentClass = uniffi.webcare_kotlin.SentimentClass
typealias Event = uniffi.webcare_kotlin.Event
typealias Order = uniffi.webcare_kotlin.Order
typealias NewResults = uniffi.webcare_kotlin.NewResults
typealias Language = uniffi.webcare_kotlin.Language

/** A period of a [Filter]: an explicit UTC range (whole seconds) or a keyword relative to the server's clock. */
sealed class Period {
    /** From [start] to [end] inclusive (UTC; fractions of seconds are dropped). */
    data class Range(val start: java.time.Instant, val end: java.time.Instant) : Period()
    /** The last 24 hours. */
    data object Day : Period()
    /** The last 7 days. */
    data object Week : Period()
    /** The last 30 days. */
    data object Month : Period()
    /** The last 365 days. */
    data object Year : Period()

    internal fun toSpec(): uniffi.webcare_kotlin.PeriodSpec = when (this) {
        is Range -> uniffi.webcare_kotlin.PeriodSpec.Range(start, end)
        Day -> uniffi.webcare_kotlin.PeriodSpec.Day
        Week -> uniffi.webcare_kotlin.PeriodSpec.Week
        Month -> uniffi.webcare_kotlin.PeriodSpec.Month
        Year -> uniffi.webcare_kotlin.PeriodSpec.Year
    }

    internal companion object {
        fun from(p: uniffi.webcare_kotlin.PeriodSpec): Period = when (p) {
            is uniffi.webcare_kotlin.PeriodSpec.Range -> Range(p.start, p.end)
            uniffi.webcare_kotlin.PeriodSpec.Day -> Day
            uniffi.webcare_kotlin.PeriodSpec.Week -> Week
            uniffi.webcare_kotlin.PeriodSpec.Month -> Month
            uniffi.webcare_kotlin.PeriodSpec.Year -> Year
        }
    }
}

/** The API id of this source (`WebcareResult.source`). */
val Source.id: Long get() = uniffi.webcare_kotlin.sourceId(this)

/** The API value of this class, -2..2. */
val SentimentClass.value: Int get() = uniffi.webcare_kotlin.sentimentClassValue(this).toInt()

/** Offline sentiment scoring (English VADER, Dutch lexicon), the same code the sandbox uses. */
object Sentiment {
    /** Score one text; [Language.AUTO] detects English or Dutch. */
    @JvmStatic
    @JvmOverloads
    fun score(text: String, language: Language = Language.AUTO): Score =
        native { uniffi.webcare_kotlin.sentimentScore(text, language) }

    /** Score many texts in one native call. */
    @JvmStatic
    @JvmOverloads
    fun scoreMany(texts: List<String>, language: Language = Language.AUTO): List<Score> =
        native { uniffi.webcare_kotlin.sentimentScoreMany(texts, language) }

    /** Detect English or Dutch. */
    @JvmStatic
    fun detectLanguage(text: String): Language = uniffi.webcare_kotlin.detectLanguage(text)
}
