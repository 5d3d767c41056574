package com.kpn.webcare

import java.io.File
import kotlin.test.assertEquals
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.junit.jupiter.api.condition.DisabledIfSystemProperty
import org.junit.jupiter.api.condition.EnabledIfSystemProperty

/**
 * The soak under chaos ([Soak], docs/reliability.md, Bindings): a short run (250 operations) in
 * every `mvn test`, and a long one when `-Dwebcare.soak.ops=N` is given (`make soak` runs
 * `scripts/test-kotlin.sh --soak $SOAK_OPS`). Each starts its own CLI sandbox. The long one is
 * tagged `soak`, which the pom excludes unless `-Dwebcare.excludedGroups=none` is given, so a
 * normal run neither runs nor reports it.
 */
class SoakTest {
    private fun soak(ops: Int) {
        val bin = Soak.defaultBin()
        assumeTrue(File(bin).canExecute(), "no webcare CLI at $bin")
        val violations = Soak(ops, bin = bin).run()
        assertEquals(emptyList(), violations, "soak violations")
    }

    @Test
    @Timeout(300)
    @DisabledIfSystemProperty(named = "webcare.soak.ops", matches = ".+")
    fun shortSoakUnderChaos() = soak(250)

    @Test
    @Tag("soak")
    @Timeout(1800)
    @EnabledIfSystemProperty(named = "webcare.soak.ops", matches = "\\d+")
    fun longSoakUnderChaos() = soak(System.getProperty("webcare.soak.ops").toInt())
}
