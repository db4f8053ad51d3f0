package io.gatehouse.admin.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.OidcFlow;
import io.gatehouse.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static io.gatehouse.testing.OidcFlow.q;
import static io.gatehouse.testing.TestServer.basic;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The console in headless Chromium (set up like {@link io.gatehouse.oidc.BrowserLoginTest}): sign in as the
 * administrator through the real authorize and login pages, register a client and see its secret once, get a token
 * with it over HTTP, rotate the keys, revoke a user's sessions. Screenshots: target/screenshots/console-*.png.
 */
class ConsoleBrowserTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = ConsoleFixture.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void adminSignsInCreatesClientSeesSecretOnceRotatesKeysRevokesSessions() throws Exception {
        WebDriver browser = io.gatehouse.oidc.BrowserLoginTest.chromium();
        try {
            browser.manage().window().setSize(new Dimension(1280, 800));
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
            browser.get(server.base + "/admin");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("username")));
            browser.findElement(By.name("username")).sendKeys("ops");
            browser.findElement(By.name("password")).sendKeys(ConsoleFixture.PASSWORD);
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("svg.chart")));
            assertEquals("Dashboard · Gatehouse admin", browser.getTitle());
            // the stylesheet loaded under the CSP: the header is dark indigo, not unstyled
            assertEquals("rgba(30, 27, 75, 1)", browser.findElement(By.cssSelector("header.top")).getCssValue("background-color"));
            shot(browser, "console-dashboard");

            browser.get(server.base + "/admin/clients");
            browser.findElement(By.id("client_id")).sendKeys("browser-bot");
            browser.findElement(By.id("scope")).sendKeys("read");
            browser.findElement(By.cssSelector(".grid-form button[type=submit]")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("secret-value")));
            String secret = browser.findElement(By.id("secret-value")).getText();
            assertTrue(secret.length() >= 20, secret);
            assertFalse(browser.getCurrentUrl().contains(secret));
            assertTrue(browser.findElement(By.cssSelector("button[data-copy]")).isDisplayed(), "the copy button (JS) is shown");
            shot(browser, "console-client-secret");
            browser.navigate().refresh();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("client_id")));
            assertTrue(browser.findElements(By.id("secret-value")).isEmpty(), "the secret is shown once");
            assertFalse(browser.getPageSource().contains(secret));

            String tokenEndpoint = TestServer.json(server.get("/.well-known/openid-configuration")).get("token_endpoint").asText();
            var tr = server.form(tokenEndpoint.substring(server.base.length()), q("grant_type", "client_credentials"),
                    basic("browser-bot", secret));
            JsonNode token = OidcFlow.tokenOk(tr);
            assertFalse(token.get("access_token").asText().isEmpty());

            browser.get(server.base + "/admin/keys");
            int before = browser.findElements(By.cssSelector("tbody tr")).size();
            browser.findElement(By.linkText("Rotate keys")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".confirm button.danger")));
            shot(browser, "console-confirm");
            browser.findElement(By.cssSelector(".confirm button.danger")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash")));
            assertTrue(browser.findElement(By.cssSelector(".flash")).getText().startsWith("New keys:"));
            assertTrue(browser.findElements(By.cssSelector("tbody tr")).size() > before);
            assertFalse(browser.findElements(By.cssSelector(".badge.next")).isEmpty());
            shot(browser, "console-keys");

            // bob signs in (a Gatehouse session; the console itself refuses him)
            assertEquals(403, new ConsoleFixture.Browser(server).signIn("bob", ConsoleFixture.PASSWORD).statusCode());
            browser.get(server.base + "/admin/users/bob/revoke-sessions");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".confirm button.danger")));
            browser.findElement(By.cssSelector(".confirm button.danger")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash")));
            String flash = browser.findElement(By.cssSelector(".flash")).getText();
            assertTrue(flash.matches("[1-9]\\d* sessions? of bob revoked\\."), flash);
            shot(browser, "console-users");

            browser.get(server.base + "/admin/audit");
            assertTrue(browser.getPageSource().contains("console (user ops)"));
            shot(browser, "console-audit");

            browser.manage().window().setSize(new Dimension(390, 844));
            browser.get(server.base + "/admin/clients");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("client_id")));
            long scrollWidth = ((Number) ((org.openqa.selenium.JavascriptExecutor) browser)
                    .executeScript("return document.documentElement.scrollWidth")).longValue();
            long clientWidth = ((Number) ((org.openqa.selenium.JavascriptExecutor) browser)
                    .executeScript("return document.documentElement.clientWidth")).longValue();
            assertTrue(scrollWidth <= clientWidth + 1, "no horizontal scrolling at phone width: " + scrollWidth + " > " + clientWidth);
            shot(browser, "console-phone-clients");
            browser.get(server.base + "/admin");
            shot(browser, "console-phone-dashboard");
        } finally {
            browser.quit();
        }
    }

    static void shot(WebDriver browser, String name) throws Exception {
        Path dir = Path.of(System.getProperty("build.dir", "target"), "screenshots");
        Files.createDirectories(dir);
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), dir.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
