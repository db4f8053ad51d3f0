package io.gatehouse.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.model.User;
import io.gatehouse.core.token.IdTokens;
import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.gatehouse.testing.OidcFlow.q;
import static io.gatehouse.testing.OidcFlow.tokenOk;
import static io.gatehouse.testing.TestServer.basic;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The login and consent pages in real headless Chromium (Debian's chromium + chromium-driver, installed by
 * bin/test-env.d/chromium.sh): sign in, allow, land on a real relying-party callback, redeem the code, verify
 * the id_token. A screenshot of the login page goes to the build output (screenshots/login.png).
 * Without Chromium the test is skipped, or fails when CI is set.
 */
public class BrowserLoginTest {
    static TestServer server;
    static HttpServer rp;
    static final BlockingQueue<String> callbacks = new ArrayBlockingQueue<>(4);
    static String redirectUri;
    static User alice;

    @BeforeAll
    static void start() throws Exception {
        rp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        rp.createContext("/cb", ex -> {
            callbacks.offer(ex.getRequestURI().getRawQuery());
            byte[] b = "<!doctype html><title>RP</title><p>signed in".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/html");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        rp.start();
        redirectUri = "http://127.0.0.1:" + rp.getAddress().getPort() + "/cb";
        server = TestServer.start();
        alice = OidcFlow.addUser(server, "alice", "correct horse");
        server.addClient("webapp", "s3cret", b -> b.grantTypes(Set.of(GrantType.AUTHORIZATION_CODE))
                .redirectUris(List.of(redirectUri)));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (rp != null) rp.stop(0);
    }

    static String tool(String env, String fallback) {
        String v = System.getenv(env);
        return v != null && !v.isBlank() ? v : fallback;
    }

    public static WebDriver chromium() throws Exception {
        File binary = new File(tool("GATEHOUSE_CHROMIUM", "/usr/bin/chromium"));
        File driver = new File(tool("GATEHOUSE_CHROMEDRIVER", "/usr/bin/chromedriver"));
        boolean present = binary.canExecute() && driver.canExecute();
        String missing = "Chromium not found (" + binary + ", " + driver + "): run ./run-tests as root "
                + "(it installs Debian's chromium and chromium-driver) or install them";
        if (System.getenv("CI") != null) assertTrue(present, missing);
        Assumptions.assumeTrue(present, missing);
        System.setProperty("webdriver.chrome.driver", driver.getPath());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary);
        Path profile = Files.createTempDirectory("gh-chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=1000,800", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @Test
    void loginAndConsentInHeadlessChromiumThenVerifiedIdToken() throws Exception {
        WebDriver browser = chromium();
        try {
            String[] pkce = OidcFlow.pkce();
            String state = "s<>\"'&" + System.nanoTime();
            browser.get(server.base + "/oauth2/authorize?" + q("response_type", "code", "client_id", "webapp",
                    "redirect_uri", redirectUri, "scope", "openid profile email", "state", state, "nonce", "browser-nonce",
                    "code_challenge", pkce[1], "code_challenge_method", "S256"));
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("username")));
            assertEquals("Sign in · Gatehouse", browser.getTitle());
            // The stylesheet is allowed by its CSP hash: the button is styled (indigo), not the browser default.
            assertEquals("rgba(79, 70, 229, 1)", browser.findElement(By.cssSelector("button")).getCssValue("background-color"));
            Path dir = Path.of(System.getProperty("build.dir", "target"), "screenshots");
            Files.createDirectories(dir);
            File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), dir.resolve("login.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            browser.findElement(By.name("username")).sendKeys("alice");
            browser.findElement(By.name("password")).sendKeys("wrong password");
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".error")));
            assertEquals("Incorrect username or password.", browser.findElement(By.cssSelector(".error")).getText());

            browser.findElement(By.name("password")).sendKeys("correct horse");
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("button[value=allow]")));
            assertTrue(browser.getPageSource().contains("wants to access your account"));
            Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), dir.resolve("consent.png"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            browser.findElement(By.cssSelector("button[value=allow]")).click();

            String query = callbacks.poll(15, TimeUnit.SECONDS);
            assertNotNull(query, "the relying party got no callback");
            Map<String, String> params = OidcFlow.params("x?" + query);
            assertEquals(state, params.get("state"));
            assertEquals(server.base, params.get("iss"));
            JsonNode tokens = tokenOk(server.form("/api/v1/oauth2/token", q("grant_type", "authorization_code",
                    "code", params.get("code"), "redirect_uri", redirectUri, "code_verifier", pkce[0]), basic("webapp", "s3cret")));
            JWTClaimsSet id = OidcFlow.verify(server, tokens.get("id_token").asText(), JOSEObjectType.JWT);
            assertEquals(alice.id(), id.getSubject());
            assertEquals("browser-nonce", id.getStringClaim("nonce"));
            assertEquals(List.of("webapp"), id.getAudience());
            assertEquals(server.base, id.getIssuer());
            assertEquals(IdTokens.atHash(SigningAlg.RS256, tokens.get("access_token").asText()), id.getStringClaim("at_hash"));
            assertTrue(id.getExpirationTime().after(new java.util.Date()));
        } finally {
            browser.quit();
        }
    }
}
