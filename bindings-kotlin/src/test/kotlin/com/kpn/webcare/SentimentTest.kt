package com.kpn.webcare

import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

class SentimentTest {
    @Test
    fun englishAndDutch() {
        val pos = Sentiment.score("I love this, great service!")
        assertTrue(pos.compound > 0.3, "$pos")
        assertTrue(pos.sentimentClass == SentimentClass.POSITIVE || pos.sentimentClass == SentimentClass.VERY_POSITIVE, "$pos")
        assertEquals(Language.ENGLISH, pos.language)
        val neg = Sentiment.score("Ik ben heel erg boos, de internetverbinding is slecht en niet goed", Language.AUTO)
        assertEquals(Language.DUTCH, neg.language)
        assertTrue(neg.compound < 0, "$neg")
        assertEquals(3, Sentiment.scoreMany(listOf("a", "b", "c")).size)
        assertEquals(-2, SentimentClass.VERY_NEGATIVE.value)
        assertEquals(3L, Source.TWITTER.id)
    }
}
