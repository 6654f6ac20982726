package io.distgate.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SiteIdentityTest {

    private static final DevCa CA = DevCa.create();

    private static IssuedCertificate issue(Set<String> sites, List<String> dnsNames) {
        return CA.issue("test", sites, Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)),
                dnsNames, List.of());
    }

    @Test
    void readsTheSiteFromTheUriSubjectAltName() {
        assertThat(SiteIdentity.of(CA.issueSite("alpha").certificate())).containsExactly("alpha");
    }

    @Test
    void dnsNameEqualToASiteNameGrantsNoSite() {
        assertThat(SiteIdentity.of(issue(Set.of("alpha"), List.of("beta")).certificate())).containsExactly("alpha");
    }

    @Test
    void certificateWithoutSanNamesNoSite() {
        assertThat(SiteIdentity.of(CA.certificate())).isEmpty();
    }

    @Test
    void prefixIsCaseInsensitiveButTheSiteNameIsNot() {
        assertThat(SiteIdentity.sitesOfUris(List.of("URN:DistGate:site:alpha", "urn:distgate:site:Beta",
                "urn:distgate:site:", "urn:other:site:gamma", "https://alpha.example/"))).containsExactly("alpha");
    }

    @Test
    void siteNamesAreLowerCaseDigitsAndPunctuationUpTo63() {
        assertThat(SiteIdentity.isValidSiteName("dc-1.eu_west")).isTrue();
        assertThat(SiteIdentity.isValidSiteName("a".repeat(63))).isTrue();
        assertThat(SiteIdentity.isValidSiteName("a".repeat(64))).isFalse();
        assertThat(SiteIdentity.isValidSiteName("")).isFalse();
        assertThat(SiteIdentity.isValidSiteName("Alpha")).isFalse();
        assertThat(SiteIdentity.isValidSiteName("a:b")).isFalse();
        assertThat(SiteIdentity.isValidSiteName("-a")).as("would read as an option").isFalse();
        assertThat(SiteIdentity.isValidSiteName(".a")).as("would be a hidden file").isFalse();
    }

    @Test
    void checkReturnsTheOneAllowedSiteTheCertificateNames() throws Exception {
        assertThat(SiteIdentity.check(CA.issueSite("beta").certificate(), Set.of("alpha", "beta"))).isEqualTo("beta");
    }

    @Test
    void checkRefusesCertificateOfAnotherSiteAsWrongSite() {
        assertThatThrownBy(() -> SiteIdentity.check(CA.issueSite("gamma").certificate(), Set.of("alpha")))
                .isInstanceOfSatisfying(PeerRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(TlsFailureReason.WRONG_SITE))
                .hasMessageContaining("[gamma]").hasMessageContaining("[alpha]");
    }

    @Test
    void checkRefusesCertificateNamingTwoAllowedSitesAsAmbiguous() {
        IssuedCertificate both = issue(Set.of("alpha", "beta"), List.of());

        assertThatThrownBy(() -> SiteIdentity.check(both.certificate(), Set.of("alpha", "beta")))
                .isInstanceOfSatisfying(PeerRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(TlsFailureReason.WRONG_SITE))
                .hasMessageContaining("ambiguous");
    }

    @Test
    void certificateNamingTwoSitesSpeaksForTheOneThatIsAllowed() throws Exception {
        assertThat(SiteIdentity.check(issue(Set.of("alpha", "beta"), List.of()).certificate(), Set.of("beta", "gamma")))
                .isEqualTo("beta");
    }
}
