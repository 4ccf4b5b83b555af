package io.ulm.dashboard;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's headless Chromium driven by its chromedriver (packages {@code chromium} and {@code chromium-driver}, which
 * .ci/run installs). Both paths are fixed so that Selenium never looks for, or downloads, a browser of its own;
 * {@code ULM_CHROMIUM} and {@code ULM_CHROMEDRIVER} override them.
 */
final class Browser {

    private Browser() {
    }

    static ChromeDriver start(int width, int height) {
        String binary = System.getenv().getOrDefault("ULM_CHROMIUM", "/usr/bin/chromium");
        String driver = System.getenv().getOrDefault("ULM_CHROMEDRIVER", "/usr/bin/chromedriver");
        assertThat(new File(binary)).as("Chromium (apt-get install chromium chromium-driver; .ci/run does)").canRead();
        assertThat(new File(driver)).as("chromedriver (apt-get install chromium-driver; .ci/run does)").canRead();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + width + "," + height, "--hide-scrollbars", "--force-device-scale-factor=1");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driver)).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
