package io.gatehouse;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

import java.security.Security;

/** Installs the Amazon Corretto Crypto Provider first when it loads on this platform. */
final class Crypto {
    private Crypto() {
    }

    /** @return a description of the provider in use, for the start-up log */
    static String install() {
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            if (accp.getLoadingError() == null) {
                AmazonCorrettoCryptoProvider.install();
                accp.assertHealthy();
                return "Amazon Corretto Crypto Provider " + accp.getVersionStr() + " (native AWS-LC), first of "
                        + Security.getProviders().length;
            }
            return "JDK providers (Corretto Crypto Provider unavailable: " + accp.getLoadingError().getMessage() + ")";
        } catch (Throwable t) {
            return "JDK providers (Corretto Crypto Provider unavailable: " + t.getClass().getSimpleName() + ")";
        }
    }
}
