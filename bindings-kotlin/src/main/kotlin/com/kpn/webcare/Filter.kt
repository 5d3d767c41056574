package com.kpn.webcare

import uniffi.webcare_kotlin.FilterSpec
import uniffi.webcare_kotlin.filterFromJson
import uniffi.webcare_kotlin.filterParse
import uniffi.webcare_kotlin.filterRender
import uniffi.webcare_kotlin.filterToJson
import uniffi.webcare_kotlin.filterToPath
import uniffi.webcare_kotlin.filterValidate
import uniffi.webcare_kotlin.searchPathParse

/**
 * A typed search filter: every field optional; set fields combine with AND, [sources] and
 * [resultIds] are OR lists. Immutable: derive variants with `copy(...)`, or build one with the
 * [filter] DSL.
 *
 * Rendering and parsing are done by the Rust core (one implementation for every language):
 * [toString] gives the canonical segment path (`source:twitter/negative/limit:25`) and
 * [Filter.parse] reads one back, so `Filter.parse(f.toString()) == f`.
 */
data class Filter(
    val sources: List<Source> = emptyList(),
    val sentiment: SentimentClass? = null,
    val period: Period? = null,
    val category: String? = null,
    val label: String? = null,
    val hashtag: String? = null,
    val website: String? = null,
    val word: String? = null,
    /** `profile:` (the author's profile, not the search profile). */
    val profile: String? = null,
    val country: String? = null,
    val city: String? = null,
    val municipality: String? = null,
    val province: String? = null,
    val resultIds: List<Long> = emptyList(),
    val assigned: Long? = null,
    val order: Order? = null,
    val sinceId: Long? = null,
    val newResults: NewResults? = null,
    val limit: Int? = null,
    val offset: Long? = null,
    /** `checked` (true) or `notChecked` (false). */
    val checked: Boolean? = null,
) {
    /** The canonical segment path (no leading slash; empty for an empty filter). */
    override fun toString(): String = native { filterRender(toSpec()) }

    /** The whole search path for a search profile: `/results/<profile>/<segments>`. */
    fun toPath(searchProfile: String): String = native { filterToPath(toSpec(), searchProfile) }

    /** This filter's JSON form (the shared test vectors' and the CLI's form). */
    fun toJson(): String = native { filterToJson(toSpec()) }

    /** Throws [WebcareException.Validation] if the filter cannot be sent (empty values, limit 0). */
    fun validate() = native { filterValidate(toSpec()) }

    internal fun toSpec(): FilterSpec = FilterSpec(
        sources = sources,
        sentiment = sentiment,
        period = period?.toSpec(),
        category = category,
        label = label,
        hashtag = hashtag,
        website = website,
        word = word,
        profile = profile,
        country = country,
        city = city,
        municipality = municipality,
        province = province,
        resultIds = resultIds,
        assigned = assigned,
        order = order,
        sinceId = sinceId,
        newResults = newResults,
        limit = limit?.let {
            if (it < 0) throw WebcareException.Validation("filter 'limit' must be at least 1", null, null, null)
            it.toUInt()
        },
        offset = offset,
        checked = checked,
    )

    companion object {
        /** Parse a segment path (`source:twitter/negative`). Unknown segments throw [WebcareException.Validation]. */
        @JvmStatic
        fun parse(path: String): Filter = native { fromSpec(filterParse(path)) }

        /** Parse a whole search path (`/results/<profile>/<segments>`) into the profile and the filter. */
        @JvmStatic
        fun parseSearchPath(path: String): Pair<String, Filter> = native {
            val sp = searchPathParse(path)
            sp.profile to fromSpec(sp.filter)
        }

        /** A filter from its JSON form. */
        @JvmStatic
        fun fromJson(json: String): Filter = native { fromSpec(filterFromJson(json)) }

        internal fun fromSpec(s: FilterSpec): Filter = Filter(
            sources = s.sources,
            sentiment = s.sentiment,
            period = s.period?.let { Period.from(it) },
            category = s.category,
            label = s.label,
            hashtag = s.hashtag,
            website = s.website,
            word = s.word,
            profile = s.profile,
            country = s.country,
            city = s.city,
            municipality = s.municipality,
            province = s.province,
            resultIds = s.resultIds,
            assigned = s.assigned,
            order = s.order,
            sinceId = s.sinceId,
            newResults = s.newResults,
            limit = s.limit?.toInt(),
            offset = s.offset,
            checked = s.checked,
        )
    }
}

/** Builder for the [filter] DSL. */
class FilterBuilder internal constructor(private var f: Filter) {
    fun source(vararg sources: Source) { f = f.copy(sources = (f.sources + sources).distinct()) }
    fun sentiment(s: SentimentClass) { f = f.copy(sentiment = s) }
    fun period(p: Period) { f = f.copy(period = p) }
    fun between(start: java.time.Instant, end: java.time.Instant) { f = f.copy(period = Period.Range(start, end)) }
    fun category(v: String) { f = f.copy(category = v) }
    fun label(v: String) { f = f.copy(label = v) }
    fun hashtag(v: String) { f = f.copy(hashtag = v) }
    fun website(v: String) { f = f.copy(website = v) }
    fun word(v: String) { f = f.copy(word = v) }
    fun profile(v: String) { f = f.copy(profile = v) }
    fun country(v: String) { f = f.copy(country = v) }
    fun city(v: String) { f = f.copy(city = v) }
    fun municipality(v: String) { f = f.copy(municipality = v) }
    fun province(v: String) { f = f.copy(province = v) }
    fun resultId(vararg ids: Long) { f = f.copy(resultIds = (f.resultIds + ids.toList()).distinct()) }
    fun assigned(userId: Long) { f = f.copy(assigned = userId) }
    fun order(o: Order) { f = f.copy(order = o) }
    fun sinceId(id: Long) { f = f.copy(sinceId = id) }
    fun newResults(v: NewResults) { f = f.copy(newResults = v) }
    fun limit(n: Int) { f = f.copy(limit = n) }
    fun offset(n: Long) { f = f.copy(offset = n) }
    fun checked(v: Boolean = true) { f = f.copy(checked = v) }
    internal fun build(): Filter = f
}

/** Build a [Filter]: `filter { source(Source.TWITTER); sentiment(SentimentClass.NEGATIVE) }`. */
fun filter(base: Filter = Filter(), block: FilterBuilder.() -> Unit): Filter =
    FilterBuilder(base).apply(block).build()
